// The advisory records naming some packages, parsed, for the audit and the OSV queries: each
// isolate keeps the records it parsed with the database revision they were read at, and every
// call asks the AdvisoryDatabase whether that revision is still current (one small call, in the
// same step as reading whatever is missing), so the answer is always the database's current
// state — strongly consistent, like reading every record afresh — without moving and parsing a
// thousand records per request (issue 13's audit figure; docs/advisories.md).
import type { OsvRecord } from "../advisories/osv";
import type { Env } from "../env";
import type { AdvisoryDatabase } from "../objects/advisory-database";
import { ADVISORY_DATABASE_NAME } from "../storage/keys";

/** Packages kept per isolate before the cache starts over (each a few KiB of parsed records). */
const MAX_PACKAGES = 10_000;

type SinceApi = (
  ...args: Parameters<AdvisoryDatabase["forPackagesSince"]>
) => Promise<ReturnType<AdvisoryDatabase["forPackagesSince"]>>;

type Kept = { stamp: string; seq: number; byPackage: Map<string, readonly OsvRecord[]> };
let calls = 0;
let kept: Kept | null = null;

/** Each package's records (not withdrawn), as of the database's revision at this call. */
export async function recordsFor(env: Env, packages: readonly string[]): Promise<Map<string, readonly OsvRecord[]>> {
  if (packages.length === 0) return new Map();
  const stub = env.ADVISORY_DATABASE.getByName(ADVISORY_DATABASE_NAME) as unknown as {
    forPackagesSince: SinceApi;
  };
  if (kept && kept.byPackage.size > MAX_PACKAGES) kept = null;
  const snapshot = kept;
  const missing = packages.filter((p) => !snapshot?.byPackage.has(p));
  const seq = ++calls;
  const answer = await stub.forPackagesSince(snapshot?.stamp ?? null, [...packages], missing);
  // Not a reset: the database is still at the snapshot's revision, which holds the rest.
  const base = answer.reset || !snapshot ? ({ stamp: answer.stamp, seq, byPackage: new Map() } as Kept) : snapshot;
  const parsed = new Map<string, OsvRecord>();
  const parse = (text: string) => parsed.get(text) ?? parsed.set(text, JSON.parse(text) as OsvRecord).get(text)!;
  for (const [pkg, texts] of answer.records) base.byPackage.set(pkg, Object.freeze(texts.map(parse)));
  // Calls overlap: keep what the latest call that started saw.
  if (!kept || base.seq >= kept.seq) kept = base;
  return new Map(packages.map((p) => [p, base.byPackage.get(p) ?? []]));
}
