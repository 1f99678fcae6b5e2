// Queue messages, a union discriminated by `type`. One file per job handles each.
export interface VersionPublished {
  type: "version-published";
  name: string;
  version: string;
  sha256: string;
}

export type JobMessage = VersionPublished;
