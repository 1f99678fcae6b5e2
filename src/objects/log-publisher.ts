// Writes the sequenced log out to R2 in the tlog-tiles layout and signs checkpoints.
// Invariant: every tile a checkpoint needs is in R2 before that checkpoint is signed, stored in
// SQLite and copied to R2 — so a verifier never sees a checkpoint whose tiles are missing; and so
// is the name marker of every package and scope it covers (reads of names ask R2, not the sequencer).
import type { Env } from "../env";
import {
  ENTRIES_LEVEL,
  TILE_WIDTH,
  encodeEntryBundle,
  newTilesForSize,
  tileHashes,
  tilePath,
  type Tile,
} from "../log/tiles";
import { treeHash } from "../log/tree";
import { signCheckpoint } from "../log/checkpoint";
import { LogObjectStore } from "../storage/log-objects";
import { logSigner } from "./log-key";
import type { SqliteHashStore } from "./log-hash-store";

/** How many entries' names one step of markNames writes (at most two markers per entry). */
const MARK_NAMES_CHUNK = 250;

export class LogPublisher {
  private readonly objects: LogObjectStore;
  /** Whether this instance wrote (or found written) the names-complete marker. */
  private namesComplete = false;

  constructor(
    private readonly env: Env,
    private readonly store: SqliteHashStore,
  ) {
    this.objects = new LogObjectStore(env.BUCKET);
  }

  /**
   * Stage 2: write every tile that grows between the published and the sequenced size, and the
   * name markers of the packages and scopes first logged there (markNames). Both before stage 3.
   */
  async stageTiles(): Promise<void> {
    const { published, sequenced } = this.store.state();
    const tiles = sequenced === published ? [] : newTilesForSize(published, sequenced);
    await Promise.all([...tiles.map((t) => this.objects.saveTile(tilePath(t), this.tileBytes(t))), this.markNames()]);
  }

  /**
   * The name marker (names/…: what reads of names ask instead of the sequencer) of each package
   * and scope first logged at or after the last marked size. In stage 2, so a publish that
   * answered is findable; a log older than the markers gets them all on its next alarm.
   */
  async markNames(options: { rewriteComplete?: boolean } = {}): Promise<void> {
    if (options.rewriteComplete) this.namesComplete = false;
    const { sequenced } = this.store.state();
    // In chunks, each recorded once written: a long log's first run (its backfill) resumes where
    // a failure stopped it, and no step needs more than a few hundred R2 writes.
    for (let from = this.store.namesMarkedThrough(); from < sequenced; from = this.store.namesMarkedThrough()) {
      const to = Math.min(sequenced, from + MARK_NAMES_CHUNK);
      await Promise.all(this.store.namesFirstIn(from, to).map((name) => this.objects.saveName(name)));
      this.store.markNamesThrough(to);
    }
    // From here on every entry is marked before it is acknowledged (stage 2), so a missing
    // marker means a missing name: readers may stop asking the sequencer.
    if (!this.namesComplete) {
      await this.objects.saveNamesComplete();
      this.namesComplete = true;
    }
  }

  /** Stage 3: sign a checkpoint of the sequenced size; SQLite first (the commit), then R2. */
  async publishCheckpoint(): Promise<string> {
    const size = this.store.state().sequenced;
    const signer = logSigner(this.env);
    const checkpoint = signCheckpoint({ origin: signer.name, size, hash: treeHash(size, this.store) }, signer);
    this.store.markPublished(size, checkpoint);
    await this.objects.saveCheckpoint(checkpoint);
    return checkpoint;
  }

  /** After a crash between SQLite and R2, R2 may hold an older checkpoint: copy the current one. */
  async syncCheckpointObject(): Promise<void> {
    const current = this.store.state().checkpoint;
    if (!current) return;
    if ((await this.objects.findCheckpoint()) === current) return;
    await this.objects.saveCheckpoint(current);
  }

  /** A log with no entries still has a checkpoint (of size 0) once anyone asks for one. */
  async ensureCheckpoint(): Promise<string> {
    return this.store.state().checkpoint ?? this.publishCheckpoint();
  }

  private tileBytes(t: Tile): Uint8Array {
    if (t.level !== ENTRIES_LEVEL) return tileHashes(t, this.store);
    const start = t.index * TILE_WIDTH;
    const encoder = new TextEncoder();
    return encodeEntryBundle(this.store.entries(start, start + t.width).map((line) => encoder.encode(line)));
  }
}
