// Helpers for the advisory tests: create records through the admin API, read the database.
import { env, runInDurableObject } from "cloudflare:test";
import type { OsvRecord } from "../../src/advisories/osv";
import type { AdvisoryDatabase } from "../../src/objects/advisory-database";
import { ADVISORY_DATABASE_NAME } from "../../src/storage/keys";
import { ADMIN } from "./helpers";
import { json } from "./access-helpers";

export { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";

export function database() {
  return env.ADVISORY_DATABASE.getByName(ADVISORY_DATABASE_NAME);
}

/** Creates an advisory as the operator; fails the test unless it answers 201. */
export async function createAdvisory(body: Record<string, unknown>, token: string = ADMIN): Promise<OsvRecord> {
  const res = await json("POST", "/v1/advisories", token, body);
  if (res.status !== 201) throw new Error(`create advisory: ${res.status} ${await res.text()}`);
  return (await res.json()) as OsvRecord;
}

/** The database's revision (its history length) and the KV keys: "nothing stored" checks compare these. */
export async function advisoryState(): Promise<{ revision: number; kv: string[]; counters: unknown[] }> {
  const kv = (await env.METADATA.list({ prefix: "advisories:" })).keys.map((k) => k.name).sort();
  const { revision, counters } = await runInDurableObject(database(), (obj: AdvisoryDatabase, state) => ({
    revision: obj.revision(),
    counters: state.storage.sql.exec("SELECT year, last FROM id_counters").toArray(),
  }));
  return { revision, kv, counters };
}

/** The OSV lock line for a package at a version. */
export function lockOf(entries: [string, string, string][]): string {
  return `[checksums]\n${entries.map(([n, v, sha]) => `"${n}:${v}" = "sha256:${sha}"\n`).join("")}`;
}
