// A random but valid package, as a list of tar parts (headers with their data) that the
// mutation families then bend: every file is encoded the way one real writer would (plain ustar,
// ustar prefix, pax path, GNU long name, GNU magic), with canonical field spellings.
import { concat, paxRecords, tarEntries, type RawTarEntry } from "../helpers/archive-builder";
import { PathSet } from "../../src/processing/paths";
import type { Random } from "./random";

/** One header (with its data), or raw bytes (a hand-made block, trailing garbage…). */
export type Part = RawTarEntry | { raw: Uint8Array };

export interface TarSpec {
  parts: Part[];
  /** What follows the last entry; two zero blocks unless a family says otherwise. */
  trailer: Uint8Array;
}

export interface PackageFile {
  path: string;
  data: Uint8Array;
}

const encoder = new TextEncoder();
const WORDS = [
  "lib",
  "util",
  "parser",
  "http",
  "json",
  "core",
  "a",
  "b",
  "Mixed",
  "x-y_z",
  "v1.2",
  "(copy)",
  "é",
  "日本",
  "straße",
  "Ünï",
  "हिन्दी",
  "σοφία",
  "ファイル",
  "e\u0301",
];

export function randomPackage(r: Random): PackageFile[] {
  const files: PackageFile[] = [
    { path: "oripk.toml", data: encoder.encode(`[project]\nname = "@acme/p${r.int(1000)}"\nversion = "1.0.0"\n`) },
    { path: "oripk.lock", data: new Uint8Array(0) },
    { path: "CHECKSUM", data: encoder.encode(`sha256:${"0".repeat(64)}  src/main.ori\n`) },
    { path: "src/main.ori", data: encoder.encode("fn main() {}\n") },
  ];
  if (r.chance(0.5)) files.push({ path: "README.md", data: randomData(r) });
  const seen = new PathSet();
  for (const f of files) seen.add(f.path, "file");
  const extra = 1 + r.int(5);
  for (let i = 0; i < extra; i++) {
    const depth = 1 + r.int(3);
    const segments = ["src"];
    for (let d = 0; d < depth; d++) segments.push(r.chance(0.15) ? "d".repeat(20 + r.int(70)) : r.pick(WORDS));
    segments[segments.length - 1] += r.pick([".ori", ".md", "", ".txt"]);
    const path = segments.join("/");
    try {
      seen.add(path, "file");
    } catch {
      continue; // a collision with an earlier random path: not what this package is about
    }
    files.push({ path, data: randomData(r) });
  }
  return files;
}

function randomData(r: Random): Uint8Array {
  const size = r.pick([0, 1, 100, 511, 512, 513, 1024, r.int(3000)]);
  return r.chance(0.5) ? r.bytes(size) : encoder.encode("x".repeat(size));
}

export type Encoding = "ustar" | "gnu" | "prefix" | "pax" | "gnu-long";

/** The encodings a real writer could choose for `path`. */
export function encodingsFor(path: string): Encoding[] {
  const bytes = encoder.encode(path).length;
  const out: Encoding[] = ["pax", "gnu-long"];
  if (bytes <= 100) out.push("ustar", "gnu");
  else if (splitPrefix(path)) out.push("prefix");
  return out;
}

/** The parts of one file (or directory) in the given encoding. */
export function encodeEntry(
  path: string,
  data: Uint8Array,
  enc: Encoding,
  extra: Partial<RawTarEntry> = {},
  type = "0",
): Part[] {
  const base: RawTarEntry = { path, data, type, ...extra };
  switch (enc) {
    case "ustar":
      return [base];
    case "gnu":
      return [{ ...base, magic: "gnu" }];
    case "prefix": {
      const split = splitPrefix(path)!;
      return [{ ...base, path: split.name, prefix: split.prefix }];
    }
    case "pax":
      return [
        { path: `PaxHeaders/${tail(path)}`, type: "x", data: paxRecords({ path }) },
        { ...base, path: truncate(path) },
      ];
    case "gnu-long":
      return [
        { path: "././@LongLink", type: "L", magic: "gnu", data: `${path}\0` },
        { ...base, path: truncate(path), magic: "gnu" },
      ];
  }
}

/** A whole package with every file in a random encoding, sometimes with explicit directories. */
export function encodePackage(r: Random, files: readonly PackageFile[]): TarSpec {
  const parts: Part[] = [];
  const dirs = new Set<string>();
  for (const f of files) {
    const segments = f.path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join("/");
      if (dirs.has(dir) || !r.chance(0.3)) continue;
      dirs.add(dir);
      parts.push(
        ...encodeEntry(r.chance(0.5) ? `${dir}/` : dir, new Uint8Array(0), r.pick(encodingsFor(`${dir}/`)), {}, "5"),
      );
    }
    parts.push(...encodeEntry(f.path, f.data, r.pick(encodingsFor(f.path)), {}, r.chance(0.1) ? "\0" : "0"));
  }
  return { parts, trailer: new Uint8Array(1024) };
}

export function specBytes(spec: TarSpec): Uint8Array {
  const chunks = spec.parts.map((p) => ("raw" in p ? p.raw : tarEntries([p], { end: false })));
  return concat([...chunks, spec.trailer]);
}

/** ustar's split: at most 155 bytes of prefix and 100 of name, at a `/`. */
export function splitPrefix(path: string): { prefix: string; name: string } | undefined {
  const bytes = encoder.encode(path);
  for (let i = 0; i < path.length; i++) {
    if (path[i] !== "/") continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    const p = encoder.encode(prefix).length;
    if (p <= 155 && bytes.length - p - 1 <= 100 && name !== "") return { prefix, name };
  }
  return undefined;
}

/** A header name for an entry whose real path is elsewhere: ASCII-safe and at most 100 bytes. */
function truncate(path: string): string {
  return path
    .replace(/[^\x20-\x7e]/g, "_")
    .slice(0, 99)
    .replace(/\/+$/, (m) => (path.endsWith("/") ? m : "_"));
}

function tail(path: string): string {
  return path
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/\/+$/, "")
    .split("/")
    .pop()!
    .slice(0, 80);
}
