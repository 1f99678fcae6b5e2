// Strict, bounded gunzip of one gzip member. Decompresses in small slices and stops as soon as
// the output passes the size or ratio limit, so a gzip bomb never costs more than the limit.
// fflate neither checks CRC32/ISIZE nor reports where the deflate stream ended, so the header
// and trailer are handled here, and the end of the stream is read from fflate's Inflate state.
import { Inflate } from "fflate";
import { RegistryError } from "../domain/errors";
import { DEFAULT_LIMITS, type Limits } from "./limits";

export type GunzipLimits = Pick<Limits, "maxDecompressedBytes" | "maxCompressionRatio" | "ratioCheckThresholdBytes">;

/** A deflate block can expand ~1032×, so an 8 KiB slice produces at most ~8.3 MiB at once. */
const SLICE = 8 * 1024;
const TRAILER = 8;
const FLAG = { HCRC: 2, EXTRA: 4, NAME: 8, COMMENT: 16, RESERVED: 0xe0 } as const;

/** Decompresses a single-member gzip stream, verifying CRC32 and ISIZE. */
export function gunzip(input: Uint8Array, limits: GunzipLimits = DEFAULT_LIMITS): Uint8Array {
  const start = parseHeader(input);
  if (input.length < start + TRAILER + 1) throw truncated();
  const body = input.subarray(start, input.length - TRAILER);
  const trailer = new DataView(input.buffer, input.byteOffset + input.length - TRAILER, TRAILER);
  const expectedCrc = trailer.getUint32(0, true);
  const expectedSize = trailer.getUint32(4, true);

  const cap = outputCap(input.length, limits);
  const out = new Output(Math.min(Math.max(expectedSize, 64 * 1024), cap), cap);
  let crc = 0;
  const inflater = new Inflate((chunk) => {
    if (out.length + chunk.length > cap) throw tooBig(input.length, limits);
    crc = crc32(chunk, crc);
    out.append(chunk);
  });

  let ended = false;
  for (let at = 0; at < body.length && !ended; at += SLICE) {
    const end = Math.min(at + SLICE, body.length);
    try {
      inflater.push(body.subarray(at, end), end === body.length);
    } catch (err) {
      throw translate(err);
    }
    ended = streamEnded(inflater);
    if (ended && (end < body.length || leftoverBytes(inflater) > 0)) {
      throw new RegistryError(
        "gzip_trailing_data",
        "the archive has data after the end of its gzip stream (a second gzip member or trailing garbage); upload a single gzip member",
      );
    }
  }
  if (!ended) throw truncated();
  if (crc !== expectedCrc)
    throw new RegistryError(
      "corrupt_gzip",
      "the gzip CRC32 does not match the decompressed data: the archive is corrupt",
    );
  if (out.length !== expectedSize)
    throw new RegistryError(
      "corrupt_gzip",
      "the gzip length field does not match the decompressed data: the archive is corrupt",
    );
  return out.bytes();
}

/** The most output allowed: the absolute limit, tightened by the ratio rule past its threshold. */
export function outputCap(compressedLength: number, limits: GunzipLimits): number {
  const byRatio = Math.max(limits.ratioCheckThresholdBytes, limits.maxCompressionRatio * compressedLength);
  return Math.min(limits.maxDecompressedBytes, byRatio);
}

function parseHeader(b: Uint8Array): number {
  if (b.length < 2 || b[0] !== 0x1f || b[1] !== 0x8b) {
    throw new RegistryError(
      "not_gzip",
      "the archive is not gzip data (it does not start with the bytes 1f 8b); upload a gzip-compressed tar (.oripk)",
    );
  }
  if (b.length < 10) throw truncated();
  if (b[2] !== 8)
    throw new RegistryError(
      "not_gzip",
      `the gzip header names compression method ${b[2]}; only deflate (8) is supported`,
    );
  const flags = b[3] as number;
  if (flags & FLAG.RESERVED)
    throw new RegistryError("corrupt_gzip", "the gzip header sets reserved flag bits: the archive is corrupt");
  let p = 10;
  if (flags & FLAG.EXTRA) {
    if (p + 2 > b.length) throw truncated();
    p += 2 + ((b[p] as number) | ((b[p + 1] as number) << 8));
    if (p > b.length) throw truncated();
  }
  for (const flag of [FLAG.NAME, FLAG.COMMENT]) {
    if (!(flags & flag)) continue;
    const nul = b.indexOf(0, p);
    if (nul < 0) throw truncated();
    p = nul + 1;
  }
  if (flags & FLAG.HCRC) {
    if (p + 2 > b.length) throw truncated();
    const stored = (b[p] as number) | ((b[p + 1] as number) << 8);
    if ((crc32(b.subarray(0, p)) & 0xffff) !== stored)
      throw new RegistryError("corrupt_gzip", "the gzip header checksum does not match: the archive is corrupt");
    p += 2;
  }
  if (p > b.length) throw truncated();
  return p;
}

/** fflate's Inflate state: `s.f` final block seen, `s.l` inside a block, `s.p` bit offset into `p`. */
interface InflateState {
  s: { f?: number; l?: unknown; p?: number };
  p: Uint8Array;
}

function internals(inflater: Inflate): InflateState {
  const st = inflater as unknown as Partial<InflateState>;
  if (typeof st.s !== "object" || st.s === null || !(st.p instanceof Uint8Array)) {
    throw new Error("fflate's Inflate internals changed: update processing/gunzip.ts");
  }
  return st as InflateState;
}

function streamEnded(inflater: Inflate): boolean {
  const { s } = internals(inflater);
  return Boolean(s.f) && !s.l;
}

/** Whole input bytes Inflate holds beyond the end of the deflate stream. */
function leftoverBytes(inflater: Inflate): number {
  const { s, p } = internals(inflater);
  return p.length - Math.ceil((s.p ?? 0) / 8);
}

function translate(err: unknown): unknown {
  if (err instanceof RegistryError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 0) return truncated();
  if (typeof code === "number") {
    return new RegistryError(
      "corrupt_gzip",
      `the gzip data is corrupt (${(err as Error).message}); re-create the archive`,
    );
  }
  return err;
}

function truncated(): RegistryError {
  return new RegistryError(
    "truncated_gzip",
    "the gzip stream ends early: the archive is truncated (was the upload cut off?)",
  );
}

function tooBig(compressedLength: number, limits: GunzipLimits): RegistryError {
  const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (limits.maxCompressionRatio * compressedLength < limits.maxDecompressedBytes) {
    return new RegistryError(
      "compression_ratio_too_high",
      `the archive expands to more than ${limits.maxCompressionRatio}× its compressed size; at most ${limits.maxCompressionRatio}× is allowed past ${mib(limits.ratioCheckThresholdBytes)}`,
      { limit: limits.maxCompressionRatio },
    );
  }
  return new RegistryError(
    "decompressed_too_large",
    `the archive expands to more than ${mib(limits.maxDecompressedBytes)}, the most allowed`,
    {
      limit: limits.maxDecompressedBytes,
    },
  );
}

/** An append-only byte buffer that doubles, starting from the size the trailer claims. */
class Output {
  private buf: Uint8Array;
  private readonly max: number;
  length = 0;

  constructor(initial: number, max: number) {
    this.buf = new Uint8Array(initial);
    this.max = max;
  }

  append(chunk: Uint8Array): void {
    const need = this.length + chunk.length;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, Math.min(this.buf.length * 2, this.max)));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(chunk, this.length);
    this.length = need;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), continuing from `previous`. */
export function crc32(data: Uint8Array, previous = 0): number {
  let c = ~previous;
  for (let i = 0; i < data.length; i++) c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}
