// Queue messages, a union discriminated by `type`. One file per job handles each.
export interface VersionPublished {
  type: "version-published";
  name: string;
  version: string;
  sha256: string;
}

/** A change that may affect search (publish, yank/unyank, deprecate, remove, delete). */
export interface ReindexPackage {
  type: "reindex-package";
  name: string;
}

/** A queue heartbeat: `sentAt` (ms) is its key in the StatusHistory (jobs/heartbeat.ts). */
export interface Heartbeat {
  type: "heartbeat";
  sentAt: number;
}

export type JobMessage = VersionPublished | ReindexPackage | Heartbeat;
