// Queue messages, a union discriminated by `type`. One file per job handles each; every job is
// idempotent (it re-reads committed state), so a redelivered or duplicated message is harmless.
//
// The pipeline after a publish (docs/processing.md): `process-version` and `scan-version` are
// sent by the PackageWriter's outbox in the commit that records them pending; `rescan-advisory`
// by the AdvisoryDatabase's outbox in the commit of an advisory change. Jobs that a job sends
// (a rescan's scans, the next page of a fan-out) need no outbox of their own: the message that
// sends them is acknowledged only after they are sent, so a crash sends them again.

/** Verify the stored archive against the log's checksum, build the file index, render the README. */
export interface ProcessVersion {
  type: "process-version";
  name: string;
  version: string;
  sha256: string;
}

/** Scan a version and its dependency closure against the advisories. */
export interface ScanVersion {
  type: "scan-version";
  name: string;
  version: string;
  /**
   * The advisory change that asked for it (null: the scan after a publish). The scan is skipped
   * when the version's findings already reflect that change or a later one; with `propagate`, a
   * scan whose findings changed asks for the version's dependents to be scanned in turn.
   */
  cause: { advisory: string; seq: number } | null;
  propagate: boolean;
}

/**
 * An advisory changed (`seq`: its position in the database's history). `stage: "affected"` finds
 * the versions the record affects now or affected before and scans each, then fans out to their
 * dependents; `stage: "dependents"` is one page of that fan-out: the versions that pin `of`.
 */
export type RescanAdvisory =
  | { type: "rescan-advisory"; stage: "affected"; advisory: string; seq: number }
  | {
      type: "rescan-advisory";
      stage: "dependents";
      advisory: string;
      seq: number;
      of: { name: string; version: string };
      cursor: string | null;
    };

/** A change that may affect search (publish, yank/unyank, deprecate, remove, delete). */
export interface ReindexPackage {
  type: "reindex-package";
  name: string;
}

/**
 * What builds before the pipeline sent after a publish (an outbox row or a message still in
 * the queue from before an upgrade): handled as `process-version`, which supersedes it.
 */
export interface LegacyVersionPublished {
  type: "version-published";
  name: string;
  version: string;
  sha256: string;
}

/** A queue heartbeat: `sentAt` (ms) is its key in the StatusHistory (jobs/heartbeat.ts). */
export interface Heartbeat {
  type: "heartbeat";
  sentAt: number;
}

export type JobMessage =
  ProcessVersion | ScanVersion | RescanAdvisory | ReindexPackage | LegacyVersionPublished | Heartbeat;

/** Jobs with the same key do the same work (an outbox sends one of them). */
export function jobKey(job: JobMessage): string {
  switch (job.type) {
    case "reindex-package":
      return `reindex ${job.name}`;
    case "heartbeat":
      return `heartbeat ${job.sentAt}`;
    case "process-version":
    case "version-published":
      return `process ${job.name} ${job.version} ${job.sha256}`;
    case "scan-version":
      return `scan ${job.name} ${job.version} ${job.cause ? `${job.cause.advisory} ${job.cause.seq}` : "publish"} ${job.propagate}`;
    case "rescan-advisory":
      return job.stage === "affected"
        ? `rescan ${job.advisory} ${job.seq}`
        : `rescan ${job.advisory} ${job.seq} ${job.of.name}@${job.of.version} ${job.cursor ?? ""}`;
  }
}
