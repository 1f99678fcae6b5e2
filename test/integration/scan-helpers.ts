// Shared helpers of the scan and rescan tests: publishes that pin other versions (with their real
// logged checksums in the lock), advisories created through the admin API, and a version's
// findings in a form that reads well in an assertion.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { sampleSubmission } from "../../src/advisories/fixtures";
import type { OsvRecord } from "../../src/advisories/osv";
import type { VersionRecord } from "../../src/domain/package-records";
import type { ScanVersion } from "../../src/jobs/messages";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, publish, sha256HexOf } from "./helpers";

/** The queue's own consumer may be the one that applies a change: its batches wait up to a second. */
export const WAIT = { timeout: 20_000, interval: 100 };

export const record = (pkg: string, version = "1.0.0") =>
  env.PACKAGE_WRITER.getByName(`package:${pkg}`).findVersion(version) as Promise<VersionRecord | null>;

/** Publishes `pkg@version` pinning `deps` (their real logged checksums in the lock). */
export async function publishPinning(pkg: string, deps: string[] = [], version = "1.0.0", dev: string[] = []) {
  const pin = (d: string) => d.slice(0, d.lastIndexOf("@"));
  const ver = (d: string) => d.slice(d.lastIndexOf("@") + 1);
  const lockEntries = await Promise.all(
    [...deps, ...dev].map(async (d) => ({
      name: pin(d),
      version: ver(d),
      sha256: (await record(pin(d), ver(d)))!.sha256,
    })),
  );
  const archive = await buildArchive({
    name: pkg,
    version,
    dependencies: Object.fromEntries(deps.map((d) => [pin(d), ver(d)])),
    devDependencies: Object.fromEntries(dev.map((d) => [pin(d), ver(d)])),
    lockEntries,
  });
  const res = await publish(pkg, archive);
  expect(res.status, await res.clone().text()).toBe(201);
  return sha256HexOf(archive);
}

export const scanAfterPublish = (name: string, version = "1.0.0"): ScanVersion => ({
  type: "scan-version",
  name,
  version,
  cause: null,
  propagate: false,
});

export async function createAdvisory(affected: Record<string, unknown>[]): Promise<OsvRecord> {
  const res = await call("/v1/advisories", {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify(sampleSubmission({ aliases: [], affected })),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as OsvRecord;
}

export async function lastChange(id: string): Promise<number> {
  const history = (await (await call(`/v1/advisories/${id}/history`)).json()) as { history: { seq: number }[] };
  return history.history[history.history.length - 1]!.seq;
}

export const findings = async (pkg: string) => {
  const scan = (await record(pkg))!.scan!;
  return {
    status: scan.status,
    own: scan.advisories,
    deps: scan.dependencyAdvisories.map((d) => ({
      dep: `${d.name}@${d.version}`,
      via: d.via,
      ids: d.advisories.map((a) => `${a.id} fixed in ${a.fixedIn}`),
    })),
  };
};
