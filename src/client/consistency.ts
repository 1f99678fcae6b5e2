// Consistency between checkpoints: the log must only ever grow. A LogWitness remembers the
// largest checkpoint this machine has verified (through a CheckpointStore, e.g. a cache file)
// and requires every new checkpoint to be consistent with it, recomputing both roots from the
// served consistency proof. A fork or a rollback shows up here.
import { RegistryClientError, VerificationError } from "./errors";
import { decodeProof, describeCheckpoint, errorText, openTrustedCheckpoint } from "./verify";
import { bytesEqual } from "../util/bytes";
import { checkTree } from "../log/proof";
import type { Checkpoint } from "../log/checkpoint";

/** Persists the last verified checkpoint (as its signed note) for one log. */
export interface CheckpointStore {
  load(): Promise<string | null>;
  /**
   * Remembers `note` (a checkpoint of tree size `size`) unless one at least as large is
   * stored: the memory only grows, even when several runs save at once.
   */
  save(note: string, size: number): Promise<void>;
}

/** The tree size a stored checkpoint note claims (unverified: for ordering only), or null. */
export function noteTreeSize(note: string): number | null {
  const line = note.split("\n")[1];
  return line !== undefined && /^\d+$/.test(line) ? Number(line) : null;
}

/** Fetches a consistency proof (base64 hashes) between two tree sizes. */
export type ConsistencyFetcher = (from: number, to: number) => Promise<string[]>;

export class MemoryCheckpointStore implements CheckpointStore {
  constructor(public note: string | null = null) {}
  async load() {
    return this.note;
  }
  async save(note: string, size: number) {
    if (this.note === null || (noteTreeSize(this.note) ?? -1) < size) this.note = note;
  }
}

export class LogWitness {
  private latest: { checkpoint: Checkpoint; note: string } | null | undefined;

  constructor(
    private readonly verifierKey: string,
    private readonly store: CheckpointStore,
    private readonly fetchProof: ConsistencyFetcher,
  ) {}

  /** The last checkpoint verified on this machine, re-verified with the trusted key. */
  async last(): Promise<Checkpoint | null> {
    if (this.latest === undefined) this.latest = await this.load();
    return this.latest?.checkpoint ?? null;
  }

  private async load(): Promise<{ checkpoint: Checkpoint; note: string } | null> {
    const note = await this.store.load();
    // The cache is re-opened with the trusted key: a corrupted or planted file is refused,
    // not believed.
    return note === null
      ? null
      : { checkpoint: openTrustedCheckpoint("the cached checkpoint", note, this.verifierKey), note };
  }

  /**
   * Requires `next` (already signature-checked) to be consistent with the last checkpoint
   * seen, in whichever direction is older, and remembers the larger of the two.
   */
  async observe(next: Checkpoint, note: string): Promise<{ previous: Checkpoint | null }> {
    const previous = await this.last();
    if (previous !== null) await this.checkEither(previous, next);
    if (previous === null || next.size > previous.size) {
      // Another run on this machine may have remembered a newer checkpoint meanwhile: check
      // against it too, and never replace it with a smaller one (the cache only grows).
      const stored = await this.load();
      if (stored !== null && stored.checkpoint.size !== previous?.size) await this.checkEither(stored.checkpoint, next);
      if (stored === null || next.size > stored.checkpoint.size) {
        this.latest = { checkpoint: next, note };
        // The store keeps the larger if yet another run saved one during the check above.
        await this.store.save(note, next.size);
      } else {
        this.latest = stored;
      }
    }
    return { previous };
  }

  private async checkEither(seen: Checkpoint, next: Checkpoint): Promise<void> {
    if (seen.size <= next.size) await this.checkConsistent(seen, next, false);
    else await this.checkConsistent(next, seen, true);
  }

  /** `servedIsOlder`: the registry now serves a smaller tree than the one remembered. */
  private async checkConsistent(older: Checkpoint, newer: Checkpoint, servedIsOlder: boolean): Promise<void> {
    const subject = `the log ${newer.origin}`;
    const check = `consistency of the tree of size ${older.size} with the tree of size ${newer.size}`;
    if (older.size === newer.size) {
      if (!bytesEqual(older.hash, newer.hash)) {
        throw new VerificationError(subject, [
          {
            check: "two signed checkpoints of the same size have different roots (the log forked)",
            expected: describeCheckpoint(older),
            actual: describeCheckpoint(newer),
          },
        ]);
      }
      return;
    }
    let served: string[];
    try {
      served = await this.fetchProof(older.size, newer.size);
    } catch (err) {
      // A registry that refuses to prove its tree is a prefix of one it signed earlier has
      // gone back in time. Other failures (network, 5xx) are not verdicts and propagate.
      if (servedIsOlder && err instanceof RegistryClientError && err.status < 500) {
        throw new VerificationError(subject, [
          {
            check: "the log shrank (rollback)",
            detail: `this machine saw a signed tree of size ${newer.size}; the registry now serves size ${older.size} and refuses to prove consistency (${err.code}: ${err.message})`,
          },
        ]);
      }
      throw err;
    }
    const proof = decodeProof(served);
    if (!proof)
      throw new VerificationError(subject, [
        { check, detail: "the consistency proof is not a list of base64 SHA-256 hashes" },
      ]);
    try {
      checkTree(proof, newer.size, newer.hash, older.size, older.hash);
    } catch (err) {
      throw new VerificationError(subject, [
        {
          check,
          detail: `${errorText(err)}; seen before: ${describeCheckpoint(older)}; now: ${describeCheckpoint(newer)}`,
        },
      ]);
    }
  }
}
