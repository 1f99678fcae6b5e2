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

export type JobMessage = VersionPublished | ReindexPackage;
