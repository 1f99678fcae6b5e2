// Archives in R2 at content-addressed keys. R2 is strongly consistent and a put is durable once
// it returns; since the key is the sha256 of the bytes, writing the same key twice is harmless.
import type { Env } from "../env";
import { FreshCheck } from "../util/fresh-check";
import { ArchiveFiles } from "./archive-files";
import { archiveKey, quarantineKey } from "./keys";

/** This isolate's HEADs in flight per bucket, shared by the downloads that asked before each began. */
const presence = new WeakMap<R2Bucket, FreshCheck<boolean>>();

export class ArchiveStore {
  constructor(
    private readonly bucket: R2Bucket,
    /** Under `npm start`: the local files, barred before bytes leave the download path. */
    private readonly files: ArchiveFiles | null = null,
  ) {}

  /** The store over the Worker's bucket (and, under `npm start`, its local files). */
  static of(env: Pick<Env, "BUCKET" | "ARCHIVE_FILES">): ArchiveStore {
    return new ArchiveStore(env.BUCKET, ArchiveFiles.of(env));
  }

  /** Store bytes under their sha256 unless already there. Verifies the digest R2 computed. */
  async save(sha256Hex: string, bytes: Uint8Array): Promise<void> {
    const key = archiveKey(sha256Hex);
    if (await this.bucket.head(key)) return;
    await this.bucket.put(key, bytes, {
      sha256: sha256Hex,
      httpMetadata: { contentType: "application/gzip" },
    });
  }

  async find(sha256Hex: string): Promise<R2ObjectBody | null> {
    return this.bucket.get(archiveKey(sha256Hex));
  }

  async exists(sha256Hex: string): Promise<boolean> {
    return (await this.bucket.head(archiveKey(sha256Hex))) !== null;
  }

  /**
   * Whether R2 holds the bytes, from a HEAD that began after this call — shared with the other
   * downloads of this isolate that asked while the previous one ran (src/util/fresh-check.ts).
   */
  existsNow(sha256Hex: string, keepAlive: (p: Promise<unknown>) => void): Promise<boolean> {
    let check = presence.get(this.bucket);
    if (!check) presence.set(this.bucket, (check = new FreshCheck<boolean>()));
    return check.ask(sha256Hex, () => this.exists(sha256Hex), keepAlive);
  }

  /** Gone for good: from the download path and from quarantine (an admin delete is final). */
  async remove(sha256Hex: string): Promise<void> {
    await this.files?.bar(sha256Hex);
    await this.bucket.delete([archiveKey(sha256Hex), quarantineKey(sha256Hex)]);
  }

  /**
   * Moves an archive out of the download path (emergency removal): R2 is strongly consistent,
   * so every location stops serving it at once, even where KV still shows the version as
   * available. Idempotent: a second call finds nothing left to move.
   */
  async quarantine(sha256Hex: string): Promise<void> {
    await this.files?.bar(sha256Hex);
    const object = await this.bucket.get(archiveKey(sha256Hex));
    if (!object) return;
    await this.bucket.put(quarantineKey(sha256Hex), object.body, {
      sha256: sha256Hex,
      httpMetadata: object.httpMetadata,
    });
    await this.bucket.delete(archiveKey(sha256Hex));
  }
}
