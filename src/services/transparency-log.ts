// The transparency log as the rest of the Worker sees it: the LogSequencer (the single writer;
// strongly consistent: an entry it answers for is sequenced durably) and the log's objects in
// R2 (the checkpoint may lag the sequencer by one step after a crash; tiles are immutable).
// Read-only here: only the sequencer appends.
import type { Env } from "../env";
import type { InclusionReceipt } from "../log/receipt";
import { logSigner } from "../objects/log-key";
import { LOG_SEQUENCER_NAME } from "../storage/keys";
import { LogObjectStore } from "../storage/log-objects";

/** Names this isolate found in the log: they stay there. */
const knownNames = new Set<string>();
/** Whether this isolate saw the names-complete marker (it stays). */
let namesComplete = false;

/** For tests that play a log older than its name markers. */
export function forgetNameMarkersSeen(): void {
  knownNames.clear();
  namesComplete = false;
}

export class TransparencyLog {
  private readonly objects: LogObjectStore;

  constructor(private readonly env: Env) {
    this.objects = new LogObjectStore(env.BUCKET);
  }

  private sequencer() {
    return this.env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME);
  }

  /** The verifier key `name+id+base64` of the log's signing key. */
  verifierKey(): string {
    return logSigner(this.env).verifierKey;
  }

  /** The latest checkpoint: R2's copy, or the sequencer's (which signs one for an empty log). */
  async checkpoint(): Promise<string> {
    return (await this.objects.findCheckpoint()) ?? (await this.sequencer().latest()).checkpoint;
  }

  /** The latest checkpoint straight from the sequencer, with its tree size. */
  latest(): Promise<{ size: number; checkpoint: string }> {
    return Promise.resolve(this.sequencer().latest());
  }

  findTile(path: string): Promise<R2ObjectBody | null> {
    return this.objects.findTile(path);
  }

  /** The entry of `name version`, with its index, or null. */
  findEntry(pkg: string, version: string): Promise<{ index: number; line: string } | null> {
    return Promise.resolve(this.sequencer().findEntry(`${pkg} ${version}`));
  }

  /**
   * Whether the log has any entry of this package (`@acme/http`) or scope (`@acme`): every
   * version is logged before it is committed, so a name with none does not exist, and its own
   * Durable Object need not (must not) be touched. Asked of R2's name markers (written before the
   * checkpoint covering the name's first entry; R2 is strongly consistent), never of the one
   * sequencer, so a flood of reads of missing names cannot slow publishes. A known name stays
   * known (the log only grows): each isolate remembers them.
   */
  async knows(name: string): Promise<boolean> {
    if (knownNames.has(name)) return true;
    const [known, complete] = await Promise.all([
      this.objects.hasName(name),
      namesComplete || this.objects.namesComplete(),
    ]);
    if (known) {
      if (knownNames.size >= 50_000) knownNames.clear();
      knownNames.add(name);
      return true;
    }
    if (complete) {
      namesComplete = true;
      return false;
    }
    // A log older than its markers, until the sequencer has written them all (asking wakes it).
    return this.sequencer().knows(name);
  }

  prove(index: number): Promise<InclusionReceipt> {
    return Promise.resolve(this.sequencer().prove(index));
  }

  consistency(from: number, to: number): Promise<string[]> {
    return Promise.resolve(this.sequencer().consistency(from, to));
  }
}
