// Reading and updating an oripk.lock on disk for `verify` and `download --lock`. A lock is read
// in either form (`[checksums]`, or the older top-level lines) and always written in the
// `[checksums]` form Ori's proposal uses, atomically (beside the file, then renamed). A line that
// already pins another checksum for the same package and version is never overwritten: that
// is a verification failure, as Go reports a go.sum mismatch.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { VerificationError } from "../client/errors";
import { formatLockfile, parseLockfile, type LockEntry } from "../domain/lockfile";
import { LocalError } from "./exit-codes";

/** The entries of the lock at `path` (none if there is no file); a bad file is a LocalError. */
export function readLock(path: string): LockEntry[] {
  if (!existsSync(path)) return [];
  try {
    return parseLockfile(readFileSync(path));
  } catch (err) {
    throw new LocalError(`${path}: ${(err as Error).message}`);
  }
}

/**
 * What adding `entry` to the lock at `path` would do — nothing yet. Throws a VerificationError
 * when the lock already pins another checksum for it.
 */
export function planLockUpdate(path: string, entry: LockEntry): { entries: LockEntry[]; added: boolean } {
  const entries = readLock(path);
  const same = entries.find((e) => e.name === entry.name && e.version === entry.version);
  if (same && same.sha256 !== entry.sha256) {
    throw new VerificationError(`${entry.name}@${entry.version} against ${path}`, [
      {
        check: "the verified archive's sha256 vs the line already in the lock file",
        expected: `sha256:${same.sha256}`,
        actual: `sha256:${entry.sha256}`,
      },
    ]);
  }
  return same ? { entries, added: false } : { entries: [...entries, entry], added: true };
}

/** Writes the lock in the `[checksums]` form, replacing the file in one rename. */
export function writeLock(path: string, entries: readonly LockEntry[]): void {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.partial`;
  try {
    writeFileSync(tmp, formatLockfile(entries), { flag: "wx" });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
