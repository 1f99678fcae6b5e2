// The canonical subset of tar (docs/archive-rules.md): each rule with an archive that breaks it,
// beginning with the three that were published before it existed (issue 11). Which readers read
// each of them otherwise is shown by test/differential.
import { describe, expect, it } from "vitest";
import { codeOf } from "../../test/helpers/error-codes";
import { concat, paxRecords, tarEntries, type RawTarEntry } from "../../test/helpers/archive-builder";
import { DEFAULT_LIMITS } from "./limits";
import { readTar } from "./tar";

const read = (entries: RawTarEntry[]) => readTar(tarEntries(entries));
const codeFor = (entries: RawTarEntry[]) => codeOf(() => read(entries));
const paths = (entries: RawTarEntry[]) => read(entries).map((e) => e.path);

describe("readTar refuses the published cases of issue 11", () => {
  it("1: a pax size with an empty value (Python and node-tar read 0 and parse the data as entries)", () => {
    const hidden = tarEntries(
      [
        { path: "src/evil.ori", data: "pwned" },
        { path: "oripk.toml", data: "[project]" },
      ],
      { end: false },
    );
    expect(codeFor([{ path: "src/a.ori", pax: { size: "" }, data: hidden }])).toBe("ambiguous_tar");
  });

  it("2: a GNU header with a prefix (Python and Go prepend it)", () => {
    expect(codeFor([{ path: "src/pwn.ori", magic: "gnu", prefix: "../../../../tmp/x" }])).toBe("ambiguous_tar");
  });

  it("3: a ustar header with version other than 00 and a prefix (node-tar ignores the prefix)", () => {
    expect(codeFor([{ path: "oripk.toml", prefix: "src/x", version: "  " }])).toBe("ambiguous_tar");
    expect(codeFor([{ path: "oripk.toml", version: "01" }])).toBe("ambiguous_tar");
  });
});

describe("readTar accepts only the canonical subset", () => {
  it("accepts the headers GNU tar, Python, Go and node-tar write", () => {
    const entries: RawTarEntry[] = [
      { path: "src/", type: "5", magic: "gnu", fields: { devmajor: "", devminor: "" } },
      { path: "src/a.ori", data: "a", fields: { mode: "000644 \0", uid: "  1750 \0" } },
      { path: "b.ori", prefix: "src/deep", data: "b", fields: { size: "00000000001" } },
      {
        path: "src/c",
        pax: { path: "src/c.ori", mtime: "1700000000.123456789", atime: "1", ctime: "-5", uname: "ü", uid: "4000000" },
        data: "c",
      },
      { path: "src/d", gnuLongName: `src/${"d".repeat(120)}.ori`, data: "d", magic: "gnu" },
    ];
    expect(paths(entries)).toEqual(["src", "src/a.ori", "src/deep/b.ori", "src/c.ori", `src/${"d".repeat(120)}.ori`]);
    expect(
      read([{ path: "README.md", paxGlobal: { comment: "0123456789abcdef0123456789abcdef01234567" } }]),
    ).toHaveLength(1);
  });

  it("accepts what node-tar writes: empty ids and times when portable, star-style times, an empty uname", () => {
    expect(paths([{ path: "src/", type: "5", fields: { uid: "", gid: "", mtime: "" } }])).toEqual(["src"]);
    const times: RawTarEntry["patch"] = [
      [476, "15303654016\0"],
      [488, "15303654016\0"],
    ];
    expect(paths([{ path: "a.ori", prefix: "src", patch: times, data: "a" }])).toEqual(["src/a.ori"]);
    expect(
      paths([
        { path: "src/a.ori", pax: { uname: "", "SCHILY.dev": "65024", "SCHILY.ino": "2147564", "SCHILY.nlink": "1" } },
      ]),
    ).toEqual(["src/a.ori"]);
  });

  describe("header fields", () => {
    it.each([
      ["no magic (V7)", { magic: "none" }, "not_tar"],
      ["GNU magic with the POSIX version", { magic: "gnu", version: "00" }, "ambiguous_tar"],
      ["POSIX magic with the GNU version", { version: " \0" }, "ambiguous_tar"],
      ["a signed checksum", { path: "src/é.ori", signedChecksum: true }, "ambiguous_tar"],
      ["bytes after the name's NUL", { patch: [[50, "hidden"]] }, "ambiguous_tar"],
      ["bytes after the prefix's NUL", { prefix: "src", patch: [[400, "x"]] }, "ambiguous_tar"],
      ["bytes after the owner name's NUL", { patch: [[265, "root\0x"]] }, "ambiguous_tar"],
      ["a star trailer in the last 12 bytes", { patch: [[508, "tar\0"]] }, "ambiguous_tar"],
      ["star-style times that are not octal", { prefix: "src", patch: [[476, "junk"]] }, "corrupt_tar"],
      ["bytes between a short prefix and the star times", { prefix: "src", patch: [[470, "x"]] }, "ambiguous_tar"],
      [
        "a checksum of 8 digits (node-tar reads on into the typeflag)",
        { checksumText: (n: number) => n.toString(8).padStart(8, "0") },
        "ambiguous_tar",
      ],
      ["an empty mode", { fields: { mode: "" } }, "corrupt_tar"],
      ["an empty size", { fields: { size: "" } }, "corrupt_tar"],
      ["a link name on a regular file", { linkname: "/etc/passwd" }, "ambiguous_tar"],
      ["a V7-style directory (file type, name ending in /)", { path: "src/d/", type: "\0" }, "ambiguous_tar"],
      [
        "a file type whose header name ends in / under a pax path",
        { path: "src/d/", pax: { path: "src/d" } },
        "ambiguous_tar",
      ],
      ["setuid mode", { fields: { mode: "0004755\0" } }, "unsupported_tar_entry"],
      ["file-type bits in the mode", { fields: { mode: "0100644\0" } }, "unsupported_tar_entry"],
      ["an empty name", { path: "", prefix: "src" }, "corrupt_tar"],
      ["a byte-order mark before the name (a UTF-8 decoder would drop it)", { path: "\ufeffsrc/a.ori" }, "unsafe_path"],
    ] as [string, Partial<RawTarEntry>, string][])("%s", (_, extra, code) => {
      expect(codeFor([{ path: "src/a.ori", data: "a", ...extra }])).toBe(code);
    });

    it.each([
      ["0o17 (Python reads 15)", "0o17\0"],
      ["17x (node-tar reads 15)", "17x\0"],
      ["1 7 (GNU tar reads 1)", "1 7\0"],
      ["+17", "+17\0"],
      ["a leading NUL (Go reads 15, Python 0)", "\x0017\0"],
      ["only spaces", "       \0"],
      ["a tab", "\t17\0"],
    ])("refuses the numeric encoding %s", (_, raw) => {
      expect(codeFor([{ path: "src/a.ori", fields: { mtime: raw } }])).toBe("corrupt_tar");
      expect(codeFor([{ path: "src/a.ori", fields: { uid: raw } }])).toBe("corrupt_tar");
    });

    it("refuses base-256 numbers in any field", () => {
      expect(
        codeFor([{ path: "src/a.ori", fields: { mtime: new Uint8Array([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) } }]),
      ).toBe("unsupported_tar_entry");
      expect(
        codeFor([
          { path: "src/a.ori", fields: { gid: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) } },
        ]),
      ).toBe("unsupported_tar_entry");
    });

    it("refuses a lone zero block at the end (GNU tar warns), and accepts none or two", () => {
      const body = tarEntries([{ path: "src/a.ori", data: "a" }], { end: false });
      expect(codeOf(() => readTar(concat([body, new Uint8Array(512)])))).toBe("ambiguous_tar");
      expect(readTar(body)).toHaveLength(1);
      expect(readTar(concat([body, new Uint8Array(1024)]))).toHaveLength(1);
    });

    it("refuses non-zero padding between an entry's data and the next header", () => {
      const tar = tarEntries([{ path: "src/a.ori", data: "a" }]);
      tar[512 + 100] = 1;
      expect(codeOf(() => readTar(tar))).toBe("ambiguous_tar");
      expect(codeOf(() => readTar(tar.subarray(0, 700)))).toBe("corrupt_tar");
    });
  });

  describe("pax records", () => {
    /** pax records whose first block ends with the first byte after `path`'s "caf" (a `comment` fills the block up to it). */
    function straddling(path: string): Record<string, string> {
      for (let n = 1; n < 512; n++) {
        const records = { comment: "c".repeat(n), path };
        if (new TextDecoder().decode(paxRecords(records)).indexOf("caf") + 3 === 511) return records;
      }
      throw new Error("no comment length puts the character across the block boundary");
    }

    it("refuses a pax path not in Unicode NFC: libarchive (bsdtar, the tar of macOS and Windows) extracts it normalised", () => {
      // "e" + U+0301: bsdtar on Linux writes the file as "\u00e9" (NFC), on macOS as NFD; only an
      // NFC path is one name to every reader. (ustar and GNU names are kept as bytes by all.)
      expect(codeFor([{ path: "src/x.ori", pax: { path: "src/e\u0301.ori" }, data: "x" }])).toBe("ambiguous_tar");
      expect(codeFor([{ path: "src/x.ori", pax: { path: "src/\u212b.ori" }, data: "x" }])).toBe("ambiguous_tar"); // Angstrom sign: NFC is U+00C5
      expect(paths([{ path: "src/x.ori", pax: { path: "src/\u00e9.ori" }, data: "x" }])).toEqual(["src/\u00e9.ori"]);
      expect(paths([{ path: "src/e\u0301.ori", data: "x" }])).toEqual(["src/e\u0301.ori"]);
    });

    it("refuses non-ASCII bytes past an extended header's first block: node-tar decodes each streamed piece alone", () => {
      // Streamed (any .oripk through gunzip), node-tar gets this header's data in two pieces at the
      // block boundary, decodes "é" as two U+FFFD, drops the record whose length no longer matches,
      // and extracts the entry under its header name — here a second oripk.toml.
      const pax = straddling("src/caf\u00e9.ori");
      expect(codeFor([{ path: "oripk.toml", pax, data: "[project]\n" }])).toBe("ambiguous_tar");
      // GNU long names alike (longer than the default path limit allows, but not the rule's business).
      const longer = tarEntries([
        { path: "src/x.ori", gnuLongName: `src/${"\u00e9".repeat(300)}.ori`, magic: "gnu", data: "x" },
      ]);
      expect(codeOf(() => readTar(longer, { ...DEFAULT_LIMITS, maxPathBytes: 4096 }))).toBe("ambiguous_tar");
      const name = `src/${"\u00e9".repeat(100)}.ori`;
      // Within the first block, or ASCII past it, nothing can be cut.
      expect(
        paths([{ path: "src/x.ori", gnuLongNameRaw: `${name}${"\0".repeat(600)}`, magic: "gnu", data: "x" }]),
      ).toEqual([name]);
      expect(
        paths([{ path: "src/x", pax: { path: "src/caf\u00e9.ori", comment: "c".repeat(600) }, data: "x" }]),
      ).toEqual(["src/caf\u00e9.ori"]);
      expect(paths([{ path: "src/x", pax: straddling("src/cafe.ori"), data: "x" }])).toEqual(["src/cafe.ori"]);
    });

    it.each([
      ["an unknown key", { "SCHILY.xattr.user.x": "1" }],
      ["linkpath", { linkpath: "/etc/passwd" }],
      ["hdrcharset", { hdrcharset: "BINARY" }],
      ["node-tar's own type key", { type: "SymbolicLink" }],
      ["an empty path", { path: "" }],
      ["a size that differs from the header's", { size: "2" }],
      ["a size with a sign", { size: "+1" }],
      ["a size with a leading zero", { size: "01" }],
      ["a size in hex", { size: "0x1" }],
      ["a size with a space", { size: " 1" }],
      ["a malformed mtime", { mtime: "1e9" }],
      ["an mtime with 10 fraction digits", { mtime: "1.1234567891" }],
      ["an mtime of nan", { mtime: "nan" }],
      ["a uid with a sign", { uid: "-1" }],
      ["a newline in a comment (node-tar splits there)", { comment: "a\n12 path=b\n" }],
      ["a NUL in the owner name", { uname: "root\0x" }],
      ["a byte-order mark before the key", { "\ufeffpath": "src/b.ori" }],
    ] as [string, Record<string, string>][])("refuses %s", (_, pax) => {
      expect(codeFor([{ path: "src/a.ori", data: "a", pax }])).toBe("ambiguous_tar");
    });

    it.each([
      ["a length with a leading zero", "09 path=b\n"],
      ["bytes after the last record", "9 path=b\n\0\0"],
    ])("refuses a record with %s", (_, raw) => {
      expect(codeFor([{ path: "src/a.ori", paxRaw: raw }])).toBe("corrupt_tar");
    });

    it("refuses a global header that is not first, or that sets more than a comment", () => {
      expect(codeFor([{ path: "src/a.ori" }, { path: "src/b.ori", paxGlobal: { comment: "x" } }])).toBe(
        "ambiguous_tar",
      );
      expect(codeFor([{ path: "src/a.ori", paxGlobal: { mtime: "1" } }])).toBe("ambiguous_tar");
      expect(codeFor([{ path: "src/a.ori", paxGlobal: { size: "5" } }])).toBe("ambiguous_tar");
    });

    it("refuses a global header between an extended header and its entry", () => {
      const tar = concat([
        tarEntries([{ path: "PaxHeaders/a", type: "x", data: "18 path=src/b.ori\n" }], { end: false }),
        tarEntries([{ path: "pax_global_header", type: "g", data: "12 comment=\n" }], { end: false }),
        tarEntries([{ path: "src/a.ori" }]),
      ]);
      expect(codeOf(() => readTar(tar))).toBe("corrupt_tar");
    });
  });

  describe("GNU long names", () => {
    it("refuses bytes after the long name's NUL, an empty one, and one in a POSIX header", () => {
      expect(codeFor([{ path: "src/a.ori", gnuLongNameRaw: "src/b.ori\0src/c.ori\0" }])).toBe("ambiguous_tar");
      expect(codeFor([{ path: "src/a.ori", gnuLongNameRaw: "\0" }])).toBe("corrupt_tar");
      const posixL = concat([
        tarEntries([{ path: "././@LongLink", type: "L", data: "src/b.ori\0" }], { end: false }),
        tarEntries([{ path: "src/a.ori" }]),
      ]);
      expect(codeOf(() => readTar(posixL))).toBe("ambiguous_tar");
    });

    it("accepts a long name without a NUL", () => {
      expect(paths([{ path: "src/a.ori", gnuLongNameRaw: "src/b.ori" }])).toEqual(["src/b.ori"]);
    });
  });
});
