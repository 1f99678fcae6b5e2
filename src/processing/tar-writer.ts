// A deterministic ustar writer for `ori pack` and test fixtures: files only (directories are
// implied), sorted by path, mode 0644, uid/gid 0, empty owner names, mtime 0. The same files
// always give the same bytes, and nothing it writes is rejected by tar.ts.
import { RegistryError, quote } from "../domain/errors";
import { DEFAULT_LIMITS, type Limits } from "./limits";
import { PathSet, checkArchivePath, comparePaths } from "./paths";

export interface TarFile {
  path: string;
  data: Uint8Array | string;
}

const BLOCK = 512;
/** 11 octal digits in the size field. */
const MAX_SIZE = 8 ** 11 - 1;
const encoder = new TextEncoder();

export function writeTar(
  files: readonly TarFile[],
  limits: Pick<Limits, "maxPathBytes" | "maxPathDepth"> = DEFAULT_LIMITS,
): Uint8Array {
  const paths = new PathSet();
  const prepared = files
    .map((f) => {
      checkArchivePath(f.path, limits);
      paths.add(f.path, "file");
      const data = typeof f.data === "string" ? encoder.encode(f.data) : f.data;
      if (data.length > MAX_SIZE)
        throw new RegistryError("file_too_large", `${quote(f.path)} is too large for a tar entry`, { path: f.path });
      return { path: f.path, data };
    })
    .sort((a, b) => comparePaths(a.path, b.path));

  let total = 2 * BLOCK;
  for (const f of prepared) total += BLOCK + Math.ceil(f.data.length / BLOCK) * BLOCK;
  const out = new Uint8Array(total);
  let off = 0;
  for (const f of prepared) {
    out.set(header(f.path, f.data.length), off);
    out.set(f.data, off + BLOCK);
    off += BLOCK + Math.ceil(f.data.length / BLOCK) * BLOCK;
  }
  return out;
}

function header(path: string, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const { name, prefix } = splitPath(path);
  h.set(name, 0);
  put(h, 100, "0000644\0");
  put(h, 108, "0000000\0");
  put(h, 116, "0000000\0");
  put(h, 124, `${size.toString(8).padStart(11, "0")}\0`);
  put(h, 136, "00000000000\0");
  put(h, 148, "        ");
  put(h, 156, "0");
  put(h, 257, "ustar\x0000");
  put(h, 329, "0000000\0");
  put(h, 337, "0000000\0");
  h.set(prefix, 345);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/** ustar stores up to 100 bytes of name plus a 155-byte prefix split at a `/`. */
function splitPath(path: string): { name: Uint8Array; prefix: Uint8Array } {
  const bytes = encoder.encode(path);
  if (bytes.length <= 100) return { name: bytes, prefix: new Uint8Array(0) };
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x2f) continue;
    const prefix = bytes.subarray(0, i);
    const name = bytes.subarray(i + 1);
    if (prefix.length <= 155 && name.length <= 100) return { name, prefix };
  }
  throw new RegistryError(
    "path_not_representable",
    `the path ${quote(path)} cannot be stored in a ustar header: it needs a / splitting it into at most 155 bytes and at most 100 bytes`,
    { path },
  );
}

function put(h: Uint8Array, at: number, ascii: string): void {
  for (let i = 0; i < ascii.length; i++) h[at + i] = ascii.charCodeAt(i);
}
