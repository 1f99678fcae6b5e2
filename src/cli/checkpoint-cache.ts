// The last checkpoint this machine verified, per log, in the user's cache directory. It is the
// memory that makes consistency checks possible: the next checkpoint must extend this one.
// The file holds the signed note as served and is re-verified on every load.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { noteTreeSize, type CheckpointStore } from "../client/consistency";
import { LocalError } from "./exit-codes";

/** A lock older than this was left by a run that died: it is taken over. */
const STALE_LOCK_MS = 10_000;
/** Longer than STALE_LOCK_MS, so a run just after a crash waits the stale lock out. */
const LOCK_WAIT_MS = 15_000;

export class FileCheckpointStore implements CheckpointStore {
  readonly path: string;

  /** One file per log identity: the verifier key's name and key id. */
  constructor(cacheDir: string, verifierKey: string) {
    const [name = "log", id = "0"] = verifierKey.split("+");
    this.path = join(
      cacheDir,
      "checkpoints",
      `${name.replace(/[^A-Za-z0-9.-]/g, "_")}+${id.replace(/[^0-9a-fA-F]/g, "")}`,
    );
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
      const tmp = `${this.path}.${randomBytes(6).toString("hex")}.tmp`;
      writeFileSync(tmp, note, { flag: "wx" });
      renameSync(tmp, this.path);
    });
  }

  /**
   * Holds `<file>.lock` (created exclusively, holding a random token) while `work` runs. A lock
   * older than STALE_LOCK_MS was left by a run that died: it is renamed away (only one waiter's
   * rename can succeed) and then taken. Release removes the lock only if it still holds our token.
   */
  private async locked(work: () => Promise<void>): Promise<void> {
    const lock = `${this.path}.lock`;
    const token = randomBytes(12).toString("hex");
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        writeFileSync(lock, token, { flag: "wx" });
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== "EEXIST") throw err;
      }
      const mtime = statMtime(lock);
      if (mtime !== null && Date.now() - mtime > STALE_LOCK_MS) {
        const aside = `${lock}.${token}.stale`;
        try {
          renameSync(lock, aside);
          rmSync(aside, { force: true });
        } catch {
          // Another waiter moved it first; try again.
        }
        continue;
      }
      if (Date.now() > deadline)
        throw new LocalError(`${lock} is held by another ori-registry run; remove it if none is running`);
      await new Promise((r) => setTimeout(r, 20));
    }
    try {
      await work();
    } finally {
      if (readIfExists(lock) === token) rmSync(lock, { force: true });
    }
  }
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function statMtime(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}
