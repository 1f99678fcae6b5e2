// The mutation families of the differential test: each takes a valid random package and bends
// one thing the canonical subset rules on (docs/archive-rules.md), sometimes keeping it valid.
// The first three are the cases published in issue 11.
import { concat, paxRecords, tarEntries, type NumericField, type RawTarEntry } from "../helpers/archive-builder";
import {
  encodeEntry,
  encodePackage,
  encodingsFor,
  randomPackage,
  specBytes,
  type Part,
  type TarSpec,
} from "./package-tar";
import { Random } from "./random";

export interface Variant {
  family: string;
  /** What was done, to reproduce a failure by eye. */
  note: string;
  tar: Uint8Array;
}

type Family = (r: Random, spec: TarSpec) => string;

const encoder = new TextEncoder();
const oct = (n: number, width: number) => n.toString(8).padStart(width, "0");
/** Entries a reader would see if it took a file's data for more headers. */
const hidden = () =>
  tarEntries(
    [
      { path: "oripk.toml", data: '[project]\nname = "@evil/x"\n' },
      { path: "src/link", type: "2", linkname: "/etc/passwd" },
      { path: "src/evil.ori", data: "pwned" },
    ],
    { end: false },
  );

const victim = (r: Random, extra: Partial<RawTarEntry> = {}): RawTarEntry => ({
  path: `src/victim-${r.int(100)}.ori`,
  data: "victim data\n",
  ...extra,
});

export const FAMILIES: Record<string, Family> = {
  "pax-size"(r, spec) {
    const data = r.chance(0.4) ? hidden() : encoder.encode("x".repeat(r.pick([0, 1, 511, 512, 700])));
    const n = data.length;
    const value = r.pick([
      "",
      " ",
      `${n}`,
      `${n}`,
      ` ${n}`,
      `${n} `,
      `+${n}`,
      `0${n}`,
      `0x${n.toString(16)}`,
      `${n}.0`,
      "1e2",
      "-1",
      `${n + 1}`,
      `${Math.max(0, n - 1)}`,
      "0",
      `${n}\n`,
    ]);
    spec.parts.push(
      {
        path: "PaxHeaders/v",
        type: "x",
        data: paxRecords({ size: value, ...(r.chance(0.5) ? { path: "src/v.ori" } : {}) }),
      },
      victim(r, { data }),
    );
    return `pax size ${JSON.stringify(value)} for ${n} bytes`;
  },
  "gnu-prefix"(r, spec) {
    const prefix = r.pick([
      "",
      "",
      "../../../../tmp/x",
      "src/x",
      `${oct(0o14000000000, 11)}\0${oct(0o14000000000, 11)}\0`,
      "\0junk",
      "src",
    ]);
    const bytes = prefix === "src" ? r.bytes(155) : encoder.encode(prefix);
    spec.parts.push(victim(r, { path: "src/pwn.ori", magic: "gnu", patch: [[345, bytes]] }));
    return `GNU header with prefix area ${JSON.stringify(prefix || "(empty)")}`;
  },
  "ustar-version"(r, spec) {
    const version = r.pick(["00", "00", "  ", " \0", "\0\0", "01", "0\0", "\0 "]);
    const magic = r.pick(["ustar", "ustar", "gnu"] as const);
    const prefix = magic === "gnu" ? undefined : r.pick([undefined, "src/x"]);
    spec.parts.push({ path: prefix ? "oripk.toml" : "src/v.ori", prefix, magic, version, data: "[project]\n" });
    return `${magic} magic, version ${JSON.stringify(version)}, prefix ${prefix ?? "none"}`;
  },
  magic(r, spec) {
    const raw = r.pick([
      "ustar\x0000",
      "ustar  \0",
      "ustar\0\0\0",
      "USTAR\x0000",
      "ustar \x0000",
      "\0\0\0\0\0\0\0\0",
      "ustar\0 \0",
      "ustar00\0",
      "ustar\0" + "0",
    ]);
    spec.parts.push(victim(r, { magic: "none", patch: [[257, raw]] }));
    return `magic+version ${JSON.stringify(raw)}`;
  },
  numeric(r, spec) {
    const field = r.pick(["mode", "uid", "gid", "size", "mtime", "devmajor", "devminor"] as NumericField[]);
    const width = field === "size" || field === "mtime" ? 12 : 8;
    const data = "y".repeat(r.pick([0, 5, 100]));
    const value = field === "size" ? data.length : field === "mode" ? 0o644 : r.pick([0, 7, 1750, 0o777777]);
    const o = value.toString(8);
    const raw = r.pick([
      `${o.padStart(width - 1, "0")}\0`,
      `${o.padStart(width, "0")}`,
      `${o.padStart(width - 2, "0")} \0`,
      `${o.padStart(width - 1, " ")}\0`,
      `${o}\0`,
      `${o} `,
      `\0${o}`,
      `0o${o}\0`,
      `+${o}\0`,
      `${o}x\0`,
      `${o}\0junk`,
      `${o} 7\0`,
      `\t${o}\0`,
      "",
      " ".repeat(width),
      `1_${o}\0`,
      "base256",
    ]);
    const bytes = raw === "base256" ? base256(value, width) : raw;
    spec.parts.push(victim(r, { data, fields: { [field]: bytes } }));
    return `${field} = ${JSON.stringify(raw)} (${value})`;
  },
  checksum(r, spec) {
    const form = r.pick([
      "6nul-space",
      "7nul",
      "6space-nul",
      "8",
      "space6nul",
      "short",
      "signed",
      "plus1",
      "minus1",
      "leading-nul",
    ]);
    const text: Record<string, (n: number) => string> = {
      "6nul-space": (n) => `${oct(n, 6)}\0 `,
      "7nul": (n) => `${oct(n, 7)}\0`,
      "6space-nul": (n) => `${oct(n, 6)} \0`,
      "8": (n) => oct(n, 8),
      space6nul: (n) => ` ${oct(n, 6)}\0`,
      short: (n) => `${n.toString(8)}\0`,
      signed: (n) => `${oct(n, 6)}\0 `,
      plus1: (n) => `${oct(n + 1, 6)}\0 `,
      minus1: (n) => `${oct(n - 1, 6)}\0 `,
      "leading-nul": (n) => `\0${oct(n, 6)} `,
    };
    spec.parts.push(
      victim(r, {
        path: `src/${r.pick(["é", "a", "日本"])}.ori`,
        checksumText: text[form],
        signedChecksum: form === "signed",
      }),
    );
    return `checksum ${form}`;
  },
  typeflag(r, spec) {
    const type = r.pick([
      "0",
      "\0",
      "5",
      "1",
      "2",
      "3",
      "4",
      "6",
      "7",
      "g",
      "x",
      "L",
      "K",
      "S",
      "V",
      "M",
      "D",
      "N",
      "X",
      "A",
      "Z",
      " ",
    ]);
    const linkname = r.pick([undefined, undefined, "src/main.ori", "/etc/passwd"]);
    const data = type === "5" && r.chance(0.7) ? "" : "typeflag data";
    spec.parts.push(victim(r, { path: type === "5" ? "src/dir" : "src/t.ori", type, linkname, data }));
    return `typeflag ${JSON.stringify(type)}${linkname ? ` linkname ${linkname}` : ""}`;
  },
  "long-names"(r, spec) {
    const long = `src/${"l".repeat(120)}.ori`;
    const L = (data: string, magic: "gnu" | "ustar" = "gnu"): RawTarEntry => ({
      path: "././@LongLink",
      type: "L",
      magic,
      data,
    });
    const X = (records: Record<string, string>): RawTarEntry => ({
      path: "PaxHeaders/x",
      type: "x",
      data: paxRecords(records),
    });
    const cases: [string, Part[]][] = [
      ["L", [L(`${long}\0`), { path: long.slice(0, 100), magic: "gnu", data: "l" }]],
      ["L without NUL", [L(long), { path: "src/short.ori", magic: "gnu", data: "l" }]],
      ["L with junk after NUL", [L(`${long}\0src/other.ori\0`), { path: "src/short.ori", magic: "gnu", data: "l" }]],
      ["L with NUL padding", [L(`${long}\0\0\0\0`), { path: "src/short.ori", magic: "gnu", data: "l" }]],
      ["empty L", [L(""), { path: "src/short.ori", magic: "gnu", data: "l" }]],
      ["L in a POSIX header", [L(`${long}\0`, "ustar"), { path: "src/short.ori", data: "l" }]],
      ["L then a POSIX entry with prefix", [L(`${long}\0`), { path: "short.ori", prefix: "src/pre", data: "l" }]],
      ["L for a directory", [L("src/ldir/\0"), { path: "src/ldir/", type: "5", magic: "gnu" }]],
      ["L ending in / for a file", [L("src/lfile/\0"), { path: "src/lfile", magic: "gnu", data: "l" }]],
      ["x then L", [X({ path: "src/from-pax.ori" }), L("src/from-l.ori\0"), { path: "src/short.ori", data: "l" }]],
      ["L then x", [L("src/from-l.ori\0"), X({ path: "src/from-pax.ori" }), { path: "src/short.ori", data: "l" }]],
      ["x then x", [X({ path: "src/one.ori" }), X({ path: "src/two.ori" }), { path: "src/short.ori", data: "l" }]],
      ["L then L", [L("src/one.ori\0"), L("src/two.ori\0"), { path: "src/short.ori", magic: "gnu", data: "l" }]],
      ["pax path with a prefix", [X({ path: long }), { path: "short.ori", prefix: "evil", data: "l" }]],
      ["pax path ending in / for a file", [X({ path: "src/pfile/" }), { path: "src/pfile", data: "l" }]],
      ["pax path ending in / for a directory", [X({ path: "src/pdir/" }), { path: "src/pdir", type: "5" }]],
      [
        "header name ending in / under a pax path",
        [X({ path: "src/pfile" }), { path: "src/pfile/", type: r.pick(["0", "\0"]), data: "l" }],
      ],
      ["empty pax path", [X({ path: "" }), { path: "src/short.ori", data: "l" }]],
      ["prefix of 130 bytes", [{ path: "n.ori", prefix: `src/${"p".repeat(126)}`, data: "l" }]],
      ["prefix of 131 bytes", [{ path: "n.ori", prefix: `src/${"p".repeat(127)}`, data: "l" }]],
      ["prefix of 155 bytes", [{ path: "n.ori", prefix: `src/${"p".repeat(151)}`, data: "l" }]],
      ["name of 100 bytes", [{ path: `src/${"n".repeat(96)}`, data: "l" }]],
      ["name and prefix full", [{ path: "n".repeat(100), prefix: `src/${"p".repeat(151)}`, data: "l" }]],
    ];
    const [note, parts] = r.pick(cases);
    spec.parts.push(...parts);
    return note;
  },
  "long-meta"(r, spec) {
    // An extended header longer than a block: node-tar, streamed, decodes it piece by piece.
    const path = r.pick(["src/caf\u00e9.ori", "src/cafe.ori", "src/caf\u65e5.ori"]);
    const at = r.pick([511, 510, 509, 600]);
    const records = fillFirstBlock(path, at);
    const name = r.pick(["oripk.toml", "src/short.ori"]);
    spec.parts.push(
      { path: "PaxHeaders/x", type: "x", data: paxRecords(records) },
      { path: name, data: name === "oripk.toml" ? "[project]\n" : "l" },
    );
    return `pax path ${JSON.stringify(path)} with its "caf" ending at byte ${at} of the header (header name ${name})`;
  },
  "pax-records"(r, spec) {
    const good: Record<string, string[]> = {
      mtime: ["1700000000", "1700000000.5", "1796167059.964652078", "-1", "0"],
      atime: ["1", "1.123456789"],
      ctime: ["2"],
      uid: ["0", "4000000"],
      gid: ["0", "12345"],
      uname: ["root", "ü"],
      gname: ["wheel"],
      comment: ["git 0123abc"],
      "SCHILY.dev": ["2049"],
      "SCHILY.ino": ["123456789"],
      "SCHILY.nlink": ["1"],
    };
    const bad: Record<string, string[]> = {
      mtime: ["", "1e9", "nan", "inf", " 1", "1.1234567891", "0x10", "1_0", "+1"],
      uid: ["-1", "", "1.5", " 1", "99999999999"],
      uname: ["", "a\nb", "root\0x"],
      comment: ["", "a\n12 path=src/evil.ori\n"],
      linkpath: ["/etc/passwd"],
      hdrcharset: ["BINARY", "ISO-IR 10646 2000 UTF-8"],
      charset: ["ISO-IR 10646 2000 UTF-8"],
      "SCHILY.xattr.user.x": ["1"],
      "LIBARCHIVE.creationtime": ["1700000000"],
      "GNU.sparse.name": ["src/sparse.ori"],
      "GNU.sparse.major": ["1"],
      type: ["SymbolicLink"],
      mode: ["4755"],
      "\ufeffpath": ["src/bom.ori"],
      "SCHILY.dev": ["", "x"],
    };
    const table = r.chance(0.5) ? good : bad;
    const key = r.pick(Object.keys(table));
    const value = r.pick(table[key]!);
    if (r.chance(0.2)) {
      const raw = r.pick([
        "10 path=b\n",
        "9 path=b",
        "08 uid=0\n",
        "7 uid 0\n",
        "6 =ab\n",
        "9 path=b\n9 path=c\n",
        "9 path=b\n\0\0\0",
        "9 path=b\ngarbage",
        "0 path=b\n",
        " 9 path=b\n",
      ]);
      spec.parts.push({ path: "PaxHeaders/v", type: "x", data: raw }, victim(r, { path: "b" }));
      return `raw pax records ${JSON.stringify(raw)}`;
    }
    spec.parts.push({ path: "PaxHeaders/v", type: "x", data: paxRecords({ [key]: value }) }, victim(r));
    return `pax ${JSON.stringify(key)}=${JSON.stringify(value)}`;
  },
  global(r, spec) {
    const records = r.pick<Record<string, string>>([
      { comment: "0123456789abcdef0123456789abcdef01234567" },
      { comment: "x" },
      { mtime: "1" },
      { path: "src/g.ori" },
      { size: "5" },
      { uname: "root" },
      { linkpath: "x" },
      { comment: "" },
    ]);
    const g: RawTarEntry = { path: "pax_global_header", type: "g", data: paxRecords(records) };
    const where = r.pick(["first", "first", "middle", "twice"]);
    if (where === "first" || where === "twice") spec.parts.unshift(g);
    if (where === "middle" || where === "twice") spec.parts.splice(1 + r.int(spec.parts.length - 1), 0, g);
    return `global ${JSON.stringify(records)} ${where}`;
  },
  trailer(r, spec) {
    const zeros = (n: number) => new Uint8Array(n);
    const choices: [string, () => Uint8Array][] = [
      ["none", () => zeros(0)],
      ["one zero block", () => zeros(512)],
      ["two zero blocks", () => zeros(1024)],
      ["a 10240-byte record", () => zeros(10240 - 512 * r.int(4))],
      ["junk after two zero blocks", () => concat([zeros(1024), r.bytes(512)])],
      ["an entry after one zero block", () => concat([zeros(512), hidden(), zeros(1024)])],
      ["an entry after two zero blocks", () => concat([zeros(1024), hidden(), zeros(1024)])],
      ["a partial block", () => zeros(100)],
      [
        "a byte deep in the padding",
        () => {
          const z = zeros(4096);
          z[1000 + r.int(3000)] = 1;
          return z;
        },
      ],
    ];
    const [note, make] = r.pick(choices);
    spec.trailer = make();
    return note;
  },
  strings(r, spec) {
    const cases: [string, Partial<RawTarEntry>][] = [
      ["junk after the name's NUL", { patch: [[60, "\0hidden"]] }],
      ["junk after the prefix's NUL", { prefix: "src", patch: [[400, "x"]] }],
      ["junk after the owner's NUL", { patch: [[265, "root\0x"]] }],
      ["junk after the group's NUL", { patch: [[297, "root\0x"]] }],
      [
        "an owner name",
        {
          patch: [
            [265, "root"],
            [297, "wheel"],
          ],
        },
      ],
      ["bytes in 500-511", { patch: [[505, "x"]] }],
      ["a star trailer", { patch: [[508, "tar\0"]] }],
      [
        "a star trailer with atime",
        {
          prefix: "src/st",
          patch: [
            [476, `${oct(1, 11)} ${oct(1, 11)} `],
            [508, "tar\0"],
          ],
        },
      ],
      ["a link name on a file", { linkname: "src/main.ori" }],
      ["an empty name with a prefix", { path: "", prefix: "src/e.ori" }],
    ];
    const [note, extra] = r.pick(cases);
    spec.parts.push(victim(r, extra));
    return note;
  },
  mode(r, spec) {
    const mode = r.pick([
      "0000644\0",
      "0000755\0",
      "0000000\0",
      "0000777\0",
      "0004755\0",
      "0002755\0",
      "0001777\0",
      "0100644\0",
      "0007777\0",
    ]);
    spec.parts.push(victim(r, { fields: { mode } }));
    return `mode ${JSON.stringify(mode)}`;
  },
  paths(r, spec) {
    const name = r.pick([
      "src/ok.ori",
      "src/ünï cødé.ori",
      "src/COM10.ori",
      "src/console.ori",
      "src/CON",
      "src/nul.ori",
      "src/Com1.txt",
      "src/LPT9",
      "src/COM¹",
      "src/a.ori.",
      "src/a.ori ",
      "src/ a.ori",
      "src/a<b",
      "src/a>b",
      "src/a|b",
      "src/a?b",
      "src/a*b",
      'src/a"b',
      "src/a:b",
      "src/a\\b",
      "src/a\u202eb.ori",
      "src/a\u200bb.ori",
      "src/a\u0085b.ori",
      "src/a\u009bb.ori",
      "src/a\u00a0b.ori",
      "src/a\ufe0fb.ori",
      "src/\u3164.ori",
      "src/MAIN.ori",
      "src/Main.ori",
      "SRC/x.ori",
      "src/main.ORI",
      "src/ma\u0131n.ori",
      "src/ſrc.ori",
      "../etc/passwd",
      "/etc/passwd",
      "src/../x",
      "./src/x",
      "src//x",
      "C:/x",
    ]);
    spec.parts.push(victim(r, { path: name }));
    return `path ${JSON.stringify(name)}`;
  },
  padding(r, spec) {
    const where = r.pick(["file", "pax", "long-name", "none"]);
    const tar = (e: Part[]) => concat(e.map((p) => ("raw" in p ? p.raw : tarEntries([p], { end: false }))));
    const parts: Part[] =
      where === "pax"
        ? encodeEntry("src/p.ori", encoder.encode("pp"), "pax")
        : where === "long-name"
          ? encodeEntry("src/p.ori", encoder.encode("pp"), "gnu-long")
          : [victim(r)];
    const bytes = tar(parts);
    if (where !== "none") bytes[512 + 300] = 0x41; // inside the first data block, after the data
    spec.parts.push({ raw: bytes });
    return `non-zero padding after ${where} data`;
  },
  valid(r, spec) {
    const f = victim(r, { data: r.bytes(r.int(2000)) });
    const enc = r.pick(encodingsFor(f.path));
    const extra: Partial<RawTarEntry> = r.pick([
      {},
      { fields: { mode: "000644 \0", uid: "000000 \0", gid: "000000 \0" } },
      { fields: { mtime: "14000000000" } },
      { fields: { devmajor: "", devminor: "" } },
      { checksumText: (n: number) => `${oct(n, 7)}\0` },
    ]);
    spec.parts.push(...encodeEntry(f.path, f.data as Uint8Array, enc, extra));
    return `a valid extra file (${enc})`;
  },
};

/** pax records whose `path` has the byte after its "caf" at offset `at` (a `comment` fills up to it). */
function fillFirstBlock(path: string, at: number): Record<string, string> {
  for (let n = 1; n < 1024; n++) {
    const records = { comment: "c".repeat(n), path };
    if (new TextDecoder().decode(paxRecords(records)).indexOf("caf") + 3 === at) return records;
  }
  throw new Error(`no comment puts ${path} there`);
}

/** `count` variants from `seed`, the families taken in turn. */
export function generate(seed: number, count: number): Variant[] {
  const r = new Random(seed);
  const names = Object.keys(FAMILIES);
  const out: Variant[] = [];
  for (let i = 0; i < count; i++) {
    const family = names[i % names.length]!;
    const spec = encodePackage(r, randomPackage(r));
    const note = FAMILIES[family]!(r, spec);
    out.push({ family, note: `#${i} ${note}`, tar: specBytes(spec) });
  }
  return out;
}

function base256(value: number, width: number): Uint8Array {
  const out = new Uint8Array(width);
  out[0] = 0x80;
  for (let i = width - 1, v = value; i > 0 && v > 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  return out;
}
