// Job: scan one version — after its publish, or because an advisory changed — against the
// advisory database: the version's own advisories and those of every version of its dependency
// closure (scanning/closure.ts), through the processor (inline or the container). Idempotent: it
// reads committed state, and findings read at an older advisory revision never replace newer
// ones. A scan asked for by an advisory change is skipped when the version already reflects that
// change; with `propagate`, findings that changed ask for the version's dependents in turn.
//
// Before it reads the advisories, it makes sure the version is in its dependencies' dependents
// indexes (the publish's outbox normally did it already): so an advisory committed after this
// read finds the version when its rescan walks the index, and one committed before is in what
// this scan reads. No version falls between the two.
import type { Env } from "../env";
import type { VersionRecord } from "../domain/package-records";
import type { ScanVersion, JobMessage } from "./messages";
import type { Processor } from "../processing/processor";
import { edgesOf, rowsByPackage } from "../domain/dependents";
import { Packages } from "../services/packages";
import { processorFor } from "../services/processor";
import { scanInput } from "../services/advisory-service";
import { ClosureTooLarge, dependencyClosure, type Pins } from "../scanning/closure";
import { PermanentJobFailure } from "./job-failure";
import { sendJobs } from "./send-jobs";

export async function scanVersion(
  env: Env,
  msg: ScanVersion,
  processor: Processor = processorFor(env),
  send: (jobs: JobMessage[]) => Promise<void> = (jobs) => sendJobs(env, jobs),
): Promise<void> {
  const packages = new Packages(env);
  const record = await packages.findVersion(msg.name, msg.version);
  if (!record || record.deleted || record.removed) return;
  const scan = record.scan;
  if (msg.cause && scan?.status === "done" && scan.revision !== null && scan.revision >= msg.cause.seq) return;

  await indexAsDependent(packages, record);
  let closure;
  try {
    closure = await dependencyClosure(pinsOf(record), async (pin) => {
      const dep = await packages.findVersion(pin.name, pin.version);
      return dep ? pinsOf(dep) : null;
    });
  } catch (e) {
    if (e instanceof ClosureTooLarge) throw new PermanentJobFailure(e.message);
    throw e;
  }
  const { revision, records } = await scanInput(env, [...new Set([record.name, ...closure.map((d) => d.name)])]);
  const findings = await processor.scan({
    name: record.name,
    version: record.version,
    dependencies: closure,
    advisories: records,
  });
  const outcome = await packages.recordScan(record.name, record.version, record.sha256, {
    status: "done",
    reason: null,
    revision,
    advisories: findings.advisories.map((a) => a.id),
    dependencyAdvisories: findings.dependencyAdvisories,
  });
  if (msg.propagate && msg.cause && outcome.applied && outcome.changed && outcome.hasDependents) {
    await send([
      {
        type: "rescan-advisory",
        stage: "dependents",
        advisory: msg.cause.advisory,
        seq: msg.cause.seq,
        of: { name: record.name, version: record.version },
        cursor: null,
      },
    ]);
  }
}

/** Records that scanning failed (permanently, or after the last retry); earlier findings stay. */
export async function scanFailed(env: Env, msg: ScanVersion, reason: string): Promise<void> {
  const packages = new Packages(env);
  const record = await packages.findVersion(msg.name, msg.version);
  if (record) await packages.recordScan(msg.name, msg.version, record.sha256, { status: "failed", reason });
}

function pinsOf(record: VersionRecord): Pins {
  return { dependencies: record.manifest.dependencies, devDependencies: record.manifest.devDependencies ?? [] };
}

async function indexAsDependent(packages: Packages, record: VersionRecord): Promise<void> {
  await Promise.all([...rowsByPackage(edgesOf(record))].map(([pkg, rows]) => packages.addDependents(pkg, rows)));
}
