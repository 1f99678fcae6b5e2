// Job after an advisory change (create, update, withdraw): scan again every version it affects
// now or affected before the change (a withdrawal or a narrowed range must drop findings too),
// then fan out to the versions that pin those, page by page of their dependents index, in batches
// of the queue's sendBatch size. Each dependent's scan fans out further only if its findings
// changed (scan-version.ts), so the walk follows exact pins as far as they carry the advisory,
// and a version reached twice (a diamond) is scanned once per change: the second scan sees its
// findings already at that change's revision and stops.
// Idempotent: a redelivery sends the same scans again, and a scan that has nothing new to read
// changes nothing.
import type { Env } from "../env";
import { affects } from "../advisories/match";
import { packagesOf } from "../advisories/osv";
import { advisoryChange } from "../services/advisory-service";
import { Packages } from "../services/packages";
import { isLogged } from "../services/package-access";
import type { JobMessage, RescanAdvisory, ScanVersion } from "./messages";
import { SEND_BATCH, sendJobs } from "./send-jobs";

export async function rescanAdvisory(
  env: Env,
  msg: RescanAdvisory,
  send: (jobs: JobMessage[]) => Promise<void> = (jobs) => sendJobs(env, jobs),
): Promise<void> {
  if (msg.stage === "affected") await rescanAffected(env, msg, send);
  else await rescanDependents(env, msg, send);
}

async function rescanAffected(
  env: Env,
  msg: Extract<RescanAdvisory, { stage: "affected" }>,
  send: (jobs: JobMessage[]) => Promise<void>,
): Promise<void> {
  const change = await advisoryChange(env, msg.advisory, msg.seq);
  if (!change) throw new Error(`the advisory database has no change ${msg.seq} of ${msg.advisory}`);
  const cause = { advisory: msg.advisory, seq: msg.seq };
  const named = new Set([...packagesOf(change.current), ...(change.previous ? packagesOf(change.previous) : [])]);
  const packages = new Packages(env);
  const jobs: JobMessage[] = [];
  for (const pkg of named) {
    // A package nobody published has no versions, and must not get a writer by being asked.
    if (!(await isLogged(env, pkg))) continue;
    const versions = (await packages.listVersions(pkg))
      .filter((v) => !v.deleted)
      .map((v) => v.version)
      .filter((v) => affects(change.current, pkg, v) || (change.previous !== null && affects(change.previous, pkg, v)));
    if (versions.length === 0) continue;
    for (const version of versions) jobs.push(scan(pkg, version, cause, false));
    for (const version of await packages.versionsWithDependents(pkg, versions))
      jobs.push({ ...cause, type: "rescan-advisory", stage: "dependents", of: { name: pkg, version }, cursor: null });
  }
  await send(jobs);
}

async function rescanDependents(
  env: Env,
  msg: Extract<RescanAdvisory, { stage: "dependents" }>,
  send: (jobs: JobMessage[]) => Promise<void>,
): Promise<void> {
  const cause = { advisory: msg.advisory, seq: msg.seq };
  const after = msg.cursor === null ? null : (JSON.parse(msg.cursor) as [string, string, string]);
  const page = await new Packages(env).listDependents(msg.of.name, {
    version: msg.of.version,
    after,
    limit: SEND_BATCH,
  });
  const jobs: JobMessage[] = page.map((d) => scan(d.name, d.dependentVersion, cause, true));
  const last = page[page.length - 1];
  if (page.length === SEND_BATCH && last)
    jobs.push({ ...msg, cursor: JSON.stringify([last.version, last.name, last.dependentVersion]) });
  await send(jobs);
}

function scan(name: string, version: string, cause: ScanVersion["cause"], propagate: boolean): ScanVersion {
  return { type: "scan-version", name, version, cause, propagate };
}
