// The size limits archive processing enforces, as one typed object: the defaults are the
// registry's policy; tests and the container entry may override single fields.

export interface Limits {
  /** Compressed archive (DESIGN §1: 10 MB). */
  maxCompressedBytes: number;
  /**
   * Sum of everything gunzip produces (tar headers included). Kept well under a Worker
   * isolate's 128 MB: the output buffer, the upload and the parsed entries share that memory.
   */
  maxDecompressedBytes: number;
  /** decompressed / compressed; a gzip bomb trips this long before the total limit. */
  maxCompressionRatio: number;
  /** The ratio rule applies only past this many decompressed bytes, so tiny archives pass. */
  ratioCheckThresholdBytes: number;
  /** Tar entries (files and directories). */
  maxEntries: number;
  /** Any single file. */
  maxFileBytes: number;
  /** A path in UTF-8 bytes. */
  maxPathBytes: number;
  /** Path segments (`src/a/b.ori` has 3). */
  maxPathDepth: number;
  maxManifestBytes: number;
  maxLockfileBytes: number;
  maxChecksumFileBytes: number;
  /** README.md is kept for display up to this size (cut at a character boundary beyond it). */
  maxReadmeBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxCompressedBytes: 10 * MiB,
  maxDecompressedBytes: 32 * MiB,
  maxCompressionRatio: 100,
  ratioCheckThresholdBytes: 1 * MiB,
  maxEntries: 10_000,
  maxFileBytes: 16 * MiB,
  maxPathBytes: 256,
  maxPathDepth: 32,
  maxManifestBytes: 64 * 1024,
  maxLockfileBytes: 1 * MiB,
  maxChecksumFileBytes: 2 * MiB,
  maxReadmeBytes: 64 * 1024,
});

/** The defaults with `overrides` applied; a non-positive or non-integer override is a bug. */
export function resolveLimits(overrides?: Partial<Limits>): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS)) throw new TypeError(`unknown limit ${key}`);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`limit ${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key as keyof Limits] = value;
  }
  return limits;
}
