import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { gzipSync } from "fflate";
import { crc32, gunzip, outputCap } from "./gunzip";
import { DEFAULT_LIMITS } from "./limits";
import { gzipDeterministic } from "./pack";
import { concat, gzipBomb } from "../../test/helpers/archive-builder";

const text = (s: string) => new TextEncoder().encode(s);
/** toEqual walks typed arrays element by element; this is fast on megabytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
/** Incompressible bytes (a simple PRNG), so sizes stay predictable. */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe("gunzip", () => {
  it("round-trips small and multi-slice inputs", () => {
    for (const data of [text("hello"), new Uint8Array(0), noise(100_000), new Uint8Array(300_000).fill(7)]) {
      expect(sameBytes(gunzip(gzipDeterministic(data)), data)).toBe(true);
    }
  });

  it("reads optional header fields (name, comment, extra, header CRC)", () => {
    const data = text("payload ".repeat(100));
    const plain = gzipSync(data, { level: 6, mtime: 0 });
    const body = plain.subarray(10);
    const extra = [0x41, 0x42, 0x02, 0x00, 0x78, 0x79];
    const head = new Uint8Array([
      0x1f,
      0x8b,
      8,
      4 | 8 | 16 | 2,
      0,
      0,
      0,
      0,
      0,
      3,
      extra.length,
      0,
      ...extra,
      ...text("f.tar\0"),
      ...text("hi\0"),
    ]);
    const hcrc = crc32(head) & 0xffff;
    expect(sameBytes(gunzip(concat([head, new Uint8Array([hcrc & 0xff, hcrc >> 8]), body])), data)).toBe(true);
    expect(codeOf(() => gunzip(concat([head, new Uint8Array([~hcrc & 0xff, 0]), body])))).toBe("corrupt_gzip");
  });

  it("rejects data that is not gzip", () => {
    expect(codeOf(() => gunzip(text("PK\x03\x04 a zip file")))).toBe("not_gzip");
    expect(codeOf(() => gunzip(new Uint8Array(0)))).toBe("not_gzip");
    expect(codeOf(() => gunzip(new Uint8Array([0x1f])))).toBe("not_gzip");
    const zlibMethod = gzipDeterministic(text("x"));
    zlibMethod[2] = 7;
    expect(codeOf(() => gunzip(zlibMethod))).toBe("not_gzip");
  });

  it("rejects reserved header flags", () => {
    const gz = gzipDeterministic(text("x"));
    gz[3] = 0x20;
    expect(codeOf(() => gunzip(gz))).toBe("corrupt_gzip");
  });

  it("rejects a truncated stream wherever it is cut", () => {
    const gz = gzipDeterministic(noise(50_000));
    for (const cut of [
      3,
      9,
      10,
      12,
      18,
      100,
      Math.floor(gz.length / 2),
      gz.length - 9,
      gz.length - 8,
      gz.length - 4,
      gz.length - 1,
    ]) {
      expect([cut, codeOf(() => gunzip(gz.subarray(0, cut)))]).toEqual([cut, "truncated_gzip"]);
    }
  });

  it("rejects a corrupt CRC32 or length trailer", () => {
    const gz = gzipDeterministic(text("hello world"));
    const badCrc = gz.slice();
    badCrc[gz.length - 8]! ^= 1;
    expect(codeOf(() => gunzip(badCrc))).toBe("corrupt_gzip");
    const badSize = gz.slice();
    badSize[gz.length - 4]! ^= 1;
    expect(codeOf(() => gunzip(badSize))).toBe("corrupt_gzip");
  });

  it("rejects corrupt deflate data", () => {
    const gz = gzipDeterministic(noise(2000)).slice();
    gz[10] = 0x07; // BFINAL=1, BTYPE=3, which does not exist
    expect(codeOf(() => gunzip(gz))).toBe("corrupt_gzip");
  });

  it("rejects a second member and trailing garbage", () => {
    const one = gzipDeterministic(text("first"));
    expect(codeOf(() => gunzip(concat([one, gzipDeterministic(text("second"))])))).toBe("gzip_trailing_data");
    expect(codeOf(() => gunzip(concat([one, new Uint8Array(1)])))).toBe("gzip_trailing_data");
    expect(codeOf(() => gunzip(concat([one, new Uint8Array(512)])))).toBe("gzip_trailing_data");
    // Garbage crafted to end with the first member's own trailer is still found.
    expect(codeOf(() => gunzip(concat([one, text("junk"), one.subarray(one.length - 8)])))).toBe("gzip_trailing_data");
    // Large trailing garbage is found without scanning it all.
    expect(codeOf(() => gunzip(concat([gzipDeterministic(noise(100_000)), noise(5_000_000)])))).toBe(
      "gzip_trailing_data",
    );
  });

  it("stops a gzip bomb at the ratio limit without inflating it all", () => {
    const bomb = gzipBomb({ decompressedBytes: 50 * 1024 * 1024 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(codeOf(() => gunzip(bomb))).toBe("compression_ratio_too_high");
  });

  it("stops at the total limit when the ratio is fine", () => {
    const data = noise(3 * 1024 * 1024);
    const limits = { ...DEFAULT_LIMITS, maxDecompressedBytes: 2 * 1024 * 1024 };
    expect(codeOf(() => gunzip(gzipDeterministic(data), limits))).toBe("decompressed_too_large");
    expect(sameBytes(gunzip(gzipDeterministic(data), { ...limits, maxDecompressedBytes: data.length }), data)).toBe(
      true,
    );
  });

  it("does not apply the ratio rule below its threshold", () => {
    const zeros = new Uint8Array(1024 * 1024);
    const gz = gzipDeterministic(zeros);
    expect(zeros.length / gz.length).toBeGreaterThan(100);
    expect(sameBytes(gunzip(gz), zeros)).toBe(true);
    expect(codeOf(() => gunzip(gzipDeterministic(new Uint8Array(1024 * 1024 + 1))))).toBe("compression_ratio_too_high");
  });

  it("computes the output cap from both rules", () => {
    expect(outputCap(1000, DEFAULT_LIMITS)).toBe(1024 * 1024);
    expect(outputCap(100_000, DEFAULT_LIMITS)).toBe(10_000_000);
    expect(outputCap(5 * 1024 * 1024, DEFAULT_LIMITS)).toBe(32 * 1024 * 1024); // the total limit wins over 100×
  });
});

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(text("123456789"))).toBe(0xcbf43926);
    expect(crc32(text("6789"), crc32(text("12345")))).toBe(0xcbf43926);
  });
});
