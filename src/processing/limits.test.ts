import { describe, it, expect } from "vitest";
import { DEFAULT_LIMITS, resolveLimits } from "./limits";

describe("limits", () => {
  it("has the registry's defaults", () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      maxCompressedBytes: 10 * 1024 * 1024,
      maxDecompressedBytes: 32 * 1024 * 1024,
      maxCompressionRatio: 100,
      ratioCheckThresholdBytes: 1024 * 1024,
      maxEntries: 10_000,
      maxFileBytes: 16 * 1024 * 1024,
      maxPathBytes: 256,
      maxPathDepth: 32,
      maxManifestBytes: 64 * 1024,
      maxLockfileBytes: 1024 * 1024,
      maxChecksumFileBytes: 2 * 1024 * 1024,
    });
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });

  it("applies overrides without touching the defaults", () => {
    expect(resolveLimits({ maxEntries: 5, maxFileBytes: undefined })).toEqual({ ...DEFAULT_LIMITS, maxEntries: 5 });
    expect(DEFAULT_LIMITS.maxEntries).toBe(10_000);
  });

  it("rejects nonsense overrides", () => {
    expect(() => resolveLimits({ maxEntries: 0 })).toThrow(TypeError);
    expect(() => resolveLimits({ maxEntries: 1.5 })).toThrow(TypeError);
    expect(() => resolveLimits({ nope: 1 } as never)).toThrow(TypeError);
  });
});
