// The last checkpoint this machine verified, per log, in the user's cache directory. It is the
// memory that makes consistency checks possible: the next checkpoint must extend this one.
// The file holds the signed note as served and is re-verified on every load.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CheckpointStore } from "../client/consistency";

export class FileCheckpointStore implements CheckpointStore {
  readonly path: string;

  /** One file per log identity: the verifier key's name and key id. */
  constructor(cacheDir: string, verifierKey: string) {
    const [name = "log", id = "0"] = verifierKey.split("+");
    this.path = join(cacheDir, "checkpoints", `${name.replace(/[^A-Za-z0-9.-]/g, "_")}+${id.replace(/[^0-9a-fA-F]/g, "")}`);
  }

  async load(): Promise<string | null> {
    try {
      return readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as { code?: string }).code === "ENOENT") return null;
      throw err;
    }
  }

  async save(note: string): Promise<void> {
    mkdirSync(join(this.path, ".."), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, note);
    renameSync(tmp, this.path);
  }
}
