// The last checkpoint this machine verified, per log, in the user's cache directory. It is the
// memory that makes consistency checks possible: the next checkpoint must extend this one.
// The file holds the signed note as served and is re-verified on every load.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { noteTreeSize, type CheckpointStore } from "../client/consistency";
import { LocalError } from "./exit-codes";

/** A lock older than this was left by a run that died: it is taken over. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

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

  /** Compare-and-replace under a lock file, so two runs cannot make the memory shrink. */
  async save(note: string, size: number): Promise<void> {
    mkdirSync(join(this.path, ".."), { recursive: true });
    await this.locked(async () => {
      const current = await this.load();
      if (current !== null && (noteTreeSize(current) ?? -1) >= size) return;
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, note);
      renameSync(tmp, this.path);
    });
  }

  private async locked(work: () => Promise<void>): Promise<void> {
    const lock = `${this.path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lock, "wx"));
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== "EEXIST") throw err;
        const age = Date.now() - (statMtime(lock) ?? Date.now());
        if (age > STALE_LOCK_MS) rmSync(lock, { force: true });
        else if (Date.now() > deadline) throw new LocalError(`${lock} is held by another ori-registry run; remove it if none is running`);
        else await new Promise((r) => setTimeout(r, 20));
      }
    }
    try {
      await work();
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

function statMtime(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}
