// Builds `.oripk` archives for tests, valid by default and broken on request (hand-made tar
// headers for links, devices, traversal paths, duplicates, pax overrides; gzip bombs).
// Runtime-neutral (web APIs and fflate only): it also runs inside workerd integration tests.
import { Gzip } from "fflate";
import { formatLockfile, type LockEntry } from "../../src/domain/lockfile";
import { CHECKSUM_PATH, formatChecksumFile } from "../../src/processing/checksum-file";
import { sha256Hex } from "../../src/util/bytes";
import { gzipDeterministic } from "../../src/processing/pack";
import { writeTar } from "../../src/processing/tar-writer";

const encoder = new TextEncoder();
const BLOCK = 512;

/** A hand-made tar entry; every field that a valid writer would fix can be set here. */
export interface RawTarEntry {
  /** Written as-is into the 100-byte name field (cut at 100 bytes). */
  path: string;
  /** Typeflag character: "0" file (default), "5" dir, "1" hard link, "2" symlink, "3"/"4" devices, "6" FIFO, … */
  type?: string;
  data?: string | Uint8Array;
  /** Declared size, when it should differ from the data's length. */
  size?: number;
  /** Raw 12-byte size field (e.g. base-256). */
  sizeField?: Uint8Array;
  /** ustar prefix field. */
  prefix?: string;
  linkname?: string;
  /** Emits a pax `x` header with these records before the entry. */
  pax?: Record<string, string>;
  /** Emits a pax `g` header with these records before the entry. */
  paxGlobal?: Record<string, string>;
  /** Emits a GNU `L` long-name header before the entry. */
  gnuLongName?: string;
  /** "ustar" (POSIX, default), "gnu" ("ustar  \0") or "none" (V7, no magic). */
  magic?: "ustar" | "gnu" | "none";
  /** The 2-byte version field after the magic, instead of "00" (POSIX) or " \0" (GNU). */
  version?: string;
  /** Raw bytes for numeric fields (cut or NUL-padded to the field's width), e.g. " 17 \0" or base-256. */
  fields?: Partial<Record<NumericField, string | Uint8Array>>;
  /** Raw bytes written at header offsets after every other field, before the checksum. */
  patch?: readonly (readonly [offset: number, bytes: string | Uint8Array])[];
  badChecksum?: boolean;
  /** Store the signed sum (bytes ≥ 0x80 counted negative), which only some readers accept. */
  signedChecksum?: boolean;
  /** How the checksum field spells the sum (8 bytes), instead of 6 octal digits, NUL, space. */
  checksumText?: (sum: number) => string;
  /** The whole data of the pax `x` header, instead of `pax` records (e.g. malformed records). */
  paxRaw?: string | Uint8Array;
  /** The whole data of the GNU `L` header, instead of `gnuLongName` + NUL. */
  gnuLongNameRaw?: string | Uint8Array;
}

export type NumericField = "mode" | "uid" | "gid" | "size" | "mtime" | "checksum" | "devmajor" | "devminor";
const NUMERIC_FIELDS: Record<NumericField, readonly [offset: number, width: number]> = {
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  devmajor: [329, 8],
  devminor: [337, 8],
};

export interface BuildArchiveOptions {
  name?: string;
  version?: string;
  /** The whole oripk.toml, instead of `validManifest(name, version)`. */
  manifest?: string;
  /** Appended to the generated manifest (e.g. a [features] table). */
  rawManifestExtra?: string;
  /** Registry dependencies: added to [dependencies] and, with made-up digests, to oripk.lock. */
  dependencies?: Record<string, string>;
  /** The same for [dev-dependencies]. */
  devDependencies?: Record<string, string>;
  /** Lock entries to write instead of the made-up ones (e.g. the real digests of published dependencies). */
  lockEntries?: LockEntry[];
  /** The whole oripk.lock (default: the `[checksums]` form that `formatLockfile` writes). */
  lock?: string;
  /** Added to (or replacing) the default files (src/main.ori, README.md). */
  files?: Record<string, string | Uint8Array>;
  /** Paths to leave out, CHECKSUM, oripk.toml and oripk.lock included. */
  omit?: string[];
  /** The whole CHECKSUM, instead of the correct one. */
  checksumOverride?: string;
  /** Appended after the regular files, before the end-of-archive marker. */
  extraTarEntries?: RawTarEntry[];
}

export function validManifest(name: string, version: string, extra = ""): string {
  return [
    "[project]",
    `name = "${name}"`,
    `version = "${version}"`,
    'description = "A test package"',
    'license = "MIT"',
    'authors = ["Test Author <test@example.com>"]',
    'repository = "https://example.com/test/repo"',
    'keywords = ["test-fixture"]',
    'ori = "0.5.0"',
    "",
    extra,
  ].join("\n");
}

/** The files of an archive (CHECKSUM included unless omitted), before tar and gzip. */
export async function buildArchiveFiles(opts: BuildArchiveOptions = {}): Promise<Record<string, string | Uint8Array>> {
  const name = opts.name ?? "@acme/hello";
  const version = opts.version ?? "1.0.0";
  const deps = Object.entries(opts.dependencies ?? {});
  const devDeps = Object.entries(opts.devDependencies ?? {});
  const table = (header: string, list: [string, string][]) =>
    list.length ? `[${header}]\n${list.map(([n, v]) => `"${n}" = "${v}"`).join("\n")}\n` : "";
  const depTables = table("dependencies", deps) + table("dev-dependencies", devDeps);
  const lockEntries: LockEntry[] =
    opts.lockEntries ??
    (await Promise.all(
      [...deps, ...devDeps].map(async ([n, v]) => ({ name: n, version: v, sha256: await sha256Hex(`${n}:${v}`) })),
    ));
  const files: Record<string, string | Uint8Array> = {
    "oripk.toml": opts.manifest ?? validManifest(name, version, `${depTables}${opts.rawManifestExtra ?? ""}`),
    "oripk.lock": opts.lock ?? formatLockfile(uniqueEntries(lockEntries)),
    "README.md": `# ${name}\n\nA test package.\n`,
    "src/main.ori": 'fn main() {\n  print("hello")\n}\n',
    ...opts.files,
  };
  for (const path of opts.omit ?? []) delete files[path];
  if (!(opts.omit ?? []).includes(CHECKSUM_PATH)) {
    const lines = await Promise.all(
      Object.entries(files)
        .filter(([path]) => path !== CHECKSUM_PATH)
        .map(async ([path, data]) => ({ path, sha256: await sha256Hex(data) })),
    );
    files[CHECKSUM_PATH] = opts.checksumOverride ?? formatChecksumFile(lines);
  }
  return files;
}

/** A package in both tables has one lock line. */
function uniqueEntries(entries: LockEntry[]): LockEntry[] {
  return [...new Map(entries.map((e) => [`${e.name}:${e.version}`, e])).values()];
}

/** The uncompressed tar of `buildArchive`. */
export async function buildTar(opts: BuildArchiveOptions = {}): Promise<Uint8Array> {
  const files = await buildArchiveFiles(opts);
  const tar = writeTar(Object.entries(files).map(([path, data]) => ({ path, data })));
  if (!opts.extraTarEntries?.length) return tar;
  return concat([tar.subarray(0, tar.length - 2 * BLOCK), tarEntries(opts.extraTarEntries)]);
}

/** A gzip-compressed tar with a correct CHECKSUM unless told otherwise. */
export async function buildArchive(opts: BuildArchiveOptions = {}): Promise<Uint8Array> {
  return gzipDeterministic(await buildTar(opts));
}

/** Raw tar bytes for hand-made entries, followed by the two zero blocks unless `end` is false. */
export function tarEntries(entries: readonly RawTarEntry[], opts: { end?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (e.paxGlobal) parts.push(...metaEntry("g", "pax_global_header", paxRecords(e.paxGlobal)));
    if (e.pax || e.paxRaw !== undefined)
      parts.push(
        ...metaEntry(
          "x",
          `PaxHeaders/${e.path.slice(0, 80)}`,
          e.paxRaw !== undefined ? bytesOf(e.paxRaw) : paxRecords(e.pax ?? {}),
        ),
      );
    if (e.gnuLongName !== undefined || e.gnuLongNameRaw !== undefined) {
      parts.push(
        ...metaEntry(
          "L",
          "././@LongLink",
          e.gnuLongNameRaw !== undefined ? bytesOf(e.gnuLongNameRaw) : encoder.encode(`${e.gnuLongName}\0`),
          "gnu",
        ),
      );
    }
    const data = typeof e.data === "string" ? encoder.encode(e.data) : (e.data ?? new Uint8Array(0));
    parts.push(tarHeader({ ...e, size: e.size ?? data.length }), padBlock(data));
  }
  if (opts.end !== false) parts.push(new Uint8Array(2 * BLOCK));
  return concat(parts);
}

/** One 512-byte header built from a raw entry. */
export function tarHeader(e: RawTarEntry & { size: number }): Uint8Array {
  const h = new Uint8Array(BLOCK);
  h.set(encoder.encode(e.path).subarray(0, 100), 0);
  put(h, 100, "0000644\0");
  put(h, 108, "0000000\0");
  put(h, 116, "0000000\0");
  if (e.sizeField) h.set(e.sizeField.subarray(0, 12), 124);
  else put(h, 124, `${e.size.toString(8).padStart(11, "0")}\0`);
  put(h, 136, "00000000000\0");
  put(h, 156, e.type ?? "0");
  if (e.linkname) h.set(encoder.encode(e.linkname).subarray(0, 100), 157);
  const magic = e.magic ?? "ustar";
  if (magic === "ustar") put(h, 257, "ustar\x0000");
  if (magic === "gnu") put(h, 257, "ustar  \0");
  if (e.version !== undefined) h.set(bytesOf(e.version).subarray(0, 2), 263);
  if (e.prefix) h.set(encoder.encode(e.prefix).subarray(0, 155), 345);
  for (const [name, raw] of Object.entries(e.fields ?? {}) as [NumericField, string | Uint8Array][]) {
    const [at, width] = NUMERIC_FIELDS[name];
    h.fill(0, at, at + width);
    h.set(bytesOf(raw).subarray(0, width), at);
  }
  for (const [at, raw] of e.patch ?? []) h.set(bytesOf(raw).subarray(0, BLOCK - at), at);
  if (e.fields?.checksum !== undefined) return h;
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += e.signedChecksum && b >= 0x80 ? b - 0x100 : b;
  if (e.badChecksum) sum += 1;
  h.fill(0, 148, 156);
  put(h, 148, (e.checksumText ?? ((n: number) => `${n.toString(8).padStart(6, "0")}\0 `))(sum).slice(0, 8));
  return h;
}

function bytesOf(raw: string | Uint8Array): Uint8Array {
  return typeof raw === "string" ? encoder.encode(raw) : raw;
}

/** pax records `<len> <key>=<value>\n`, the length counting itself. */
export function paxRecords(records: Record<string, string>): Uint8Array {
  let out = "";
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    const bodyLength = encoder.encode(body).length;
    let len = bodyLength + 1;
    while (String(len).length + bodyLength !== len) len = String(len).length + bodyLength;
    out += `${len}${body}`;
  }
  return encoder.encode(out);
}

/**
 * A gzip whose tar holds one file of `decompressedBytes` zeros (default 200 MiB → ~200 KB
 * compressed), deflated in 1 MiB slices of one shared buffer so building it stays cheap.
 */
export function gzipBomb(opts: { decompressedBytes?: number } = {}): Uint8Array {
  const size = opts.decompressedBytes ?? 200 * 1024 * 1024;
  const out: Uint8Array[] = [];
  const gz = new Gzip({ level: 6, mtime: 0 }, (chunk) => out.push(chunk));
  gz.push(tarHeader({ path: "src/bomb.ori", size }));
  const zeros = new Uint8Array(1024 * 1024);
  let left = size + ((BLOCK - (size % BLOCK)) % BLOCK) + 2 * BLOCK;
  while (left > zeros.length) {
    gz.push(zeros);
    left -= zeros.length;
  }
  gz.push(zeros.subarray(0, left), true);
  return concat(out);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function metaEntry(type: string, path: string, data: Uint8Array, magic: RawTarEntry["magic"] = "ustar"): Uint8Array[] {
  return [tarHeader({ path, type, size: data.length, magic }), padBlock(data)];
}

function padBlock(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

function put(h: Uint8Array, at: number, ascii: string): void {
  for (let i = 0; i < ascii.length; i++) h[at + i] = ascii.charCodeAt(i);
}
