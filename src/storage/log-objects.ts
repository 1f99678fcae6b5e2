// The transparency log's objects in R2, laid out as tlog-tiles under `log/`: hash tiles, entry
// bundles and the latest checkpoint; and under `names/` a marker per package and scope it names. R2 is strongly consistent and a put is durable once it
// returns; a tile's bytes are fixed by the entries sequenced before it is written (so it is
// immutable, and a rewrite puts the same bytes), and the checkpoint is replaced by newer ones.
import { LOG_CHECKPOINT_KEY, LOG_NAMES_COMPLETE_KEY, logNameKey, logObjectKey } from "./keys";

export class LogObjectStore {
  constructor(private readonly bucket: R2Bucket) {}

  async findCheckpoint(): Promise<string | null> {
    const object = await this.bucket.get(LOG_CHECKPOINT_KEY);
    return object ? object.text() : null;
  }

  async saveCheckpoint(note: string): Promise<void> {
    await this.bucket.put(LOG_CHECKPOINT_KEY, note, { httpMetadata: { contentType: "text/plain; charset=utf-8" } });
  }

  /** A tile or entry bundle at its tlog-tiles path (`tile/0/x001/067.p/12`), streamed. */
  findTile(path: string): Promise<R2ObjectBody | null> {
    return this.bucket.get(logObjectKey(path));
  }

  /** Whether the log names this package or scope (its marker exists; a miss stores nothing). */
  async hasName(name: string): Promise<boolean> {
    return (await this.bucket.head(logNameKey(name))) !== null;
  }

  async saveName(name: string): Promise<void> {
    await this.bucket.put(logNameKey(name), new Uint8Array(0));
  }

  /** Whether the markers cover the whole log (written once they do; it then stays true). */
  async namesComplete(): Promise<boolean> {
    return (await this.bucket.head(LOG_NAMES_COMPLETE_KEY)) !== null;
  }

  async saveNamesComplete(): Promise<void> {
    await this.bucket.put(LOG_NAMES_COMPLETE_KEY, new Uint8Array(0));
  }

  async saveTile(path: string, bytes: Uint8Array): Promise<void> {
    await this.bucket.put(logObjectKey(path), bytes, { httpMetadata: { contentType: "application/octet-stream" } });
  }
}
