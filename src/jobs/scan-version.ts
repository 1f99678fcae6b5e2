// Job: scan one version — after its publish, or because an advisory changed — against the
// advisory database: the version's own advisories and those of every version of its dependency
// closure (scanning/closure.ts), through the processor (inline or the container). Idempotent: it
// reads committed state, and findings read at an older advisory revision never replace newer
// ones.
//
// Propagation (docs/processing.md): a scan with `propagate` owes the version's dependents a
// rescan through its cause's revision, and a publish's scan owes them one through the revision it
// read (a dependent may have been scanned before it, at an older revision). The PackageWriter
// commits that dependents page to its outbox with the findings, once per revision, so neither a
// failed send, nor a crash, nor another scan that got there first can lose it. So a rescan skips
// a version only once it is scanned *and* propagated through the change.
//
// Before it reads the advisories, it makes sure the version is in its dependencies' dependents
// indexes (the publish's outbox normally did it already): so an advisory committed after this
// read finds the version when its rescan walks the index, and one committed before is in what
// this scan reads. No version falls between the two.
import type { Env } from "../env";
import type { VersionRecord } from "../domain/package-records";
import type { ScanVersion } from "./messages";
import type { Processor } from "../processing/processor";
import { edgesOf, rowsByPackage } from "../domain/dependents";
import { Packages } from "../services/packages";
import { processorFor } from "../services/processor";
import { scanInput } from "../services/advisory-service";
import { ClosureTooLarge, dependencyClosure, type Pins } from "../scanning/closure";
import { PermanentJobFailure } from "./job-failure";

export async function scanVersion(env: Env, msg: ScanVersion, processor: Processor = processorFor(env)): Promise<void> {
  const packages = new Packages(env);
  const record = await packages.findVersion(msg.name, msg.version);
  if (!record || record.deleted || record.removed) return;
  const scan = record.scan;
  if (msg.cause && scan?.status === "done" && scan.revision !== null && scan.revision >= msg.cause.seq) {
    if (!msg.propagate || (scan.propagated ?? -1) >= msg.cause.seq) return;
  }

  await indexAsDependent(packages, record, "add");
  // Deleted since the read above: the delete's own remove may have run before this add, so the
  // rows are taken out again (a delete committed after this read removes them after this add).
  if ((await packages.findVersion(msg.name, msg.version))?.deleted) return indexAsDependent(packages, record, "remove");
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
  const fanOut = msg.cause === null ? { advisory: null, seq: revision } : msg.propagate ? msg.cause : null;
  await packages.recordScan(
    record.name,
    record.version,
    record.sha256,
    {
      status: "done",
      reason: null,
      revision,
      advisories: findings.advisories.map((a) => a.id),
      dependencyAdvisories: findings.dependencyAdvisories,
    },
    fanOut,
  );
}

/** Records that scanning failed (permanently, or after the last retry); earlier findings stay. */
export async function scanFailed(
  env: Env,
  msg: ScanVersion,
  reason: string,
  detail: string | null = null,
): Promise<void> {
  const packages = new Packages(env);
  const record = await packages.findVersion(msg.name, msg.version);
  if (record) await packages.recordScan(msg.name, msg.version, record.sha256, { status: "failed", reason, detail });
}

function pinsOf(record: VersionRecord): Pins {
  return { dependencies: record.manifest.dependencies, devDependencies: record.manifest.devDependencies ?? [] };
}

async function indexAsDependent(packages: Packages, record: VersionRecord, op: "add" | "remove"): Promise<void> {
  await Promise.all(
    [...rowsByPackage(edgesOf(record))].map(([pkg, rows]) =>
      op === "add" ? packages.addDependents(pkg, rows) : packages.removeDependents(pkg, rows),
    ),
  );
}
