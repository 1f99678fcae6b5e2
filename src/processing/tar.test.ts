import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { checkArchivePath, comparePaths, readTar } from "./tar";
import { writeTar } from "./tar-writer";
import { DEFAULT_LIMITS } from "./limits";
import { concat, tarEntries, tarHeader, type RawTarEntry } from "../../test/helpers/archive-builder";

const read = (entries: RawTarEntry[], limits = DEFAULT_LIMITS) => readTar(tarEntries(entries), limits);
const codeFor = (entries: RawTarEntry[], limits = DEFAULT_LIMITS) => codeOf(() => read(entries, limits));
const text = (d: Uint8Array) => new TextDecoder().decode(d);

describe("readTar", () => {
  it("reads files and directories", () => {
    const entries = read([
      { path: "src/", type: "5" },
      { path: "src/a.ori", data: "a" },
      { path: "README.md", data: "r", type: "\0" },
    ]);
    expect(entries.map((e) => [e.path, e.type, text(e.data)])).toEqual([
      ["src", "directory", ""],
      ["src/a.ori", "file", "a"],
      ["README.md", "file", "r"],
    ]);
  });

  describe("format", () => {
    it("rejects data that is not tar as not_tar", () => {
      const noise = new TextEncoder().encode("this is plain text, not a tar archive\n".repeat(40));
      expect(codeOf(() => readTar(noise))).toBe("not_tar");
      expect(codeOf(() => readTar(new Uint8Array(0)))).toBe("not_tar");
      expect(codeOf(() => readTar(new Uint8Array(100).fill(65)))).toBe("not_tar");
      expect(codeFor([{ path: "a", badChecksum: true }])).toBe("not_tar");
      expect(codeFor([{ path: "a", magic: "none" }])).toBe("not_tar");
    });

    it("rejects a later bad header as corrupt_tar", () => {
      expect(codeFor([{ path: "a" }, { path: "b", badChecksum: true }])).toBe("corrupt_tar");
    });

    it("accepts GNU magic with an empty prefix area", () => {
      expect(read([{ path: "src/a.ori", magic: "gnu" }])[0]?.path).toBe("src/a.ori");
    });

    it("joins the ustar prefix and name", () => {
      expect(read([{ path: "b.ori", prefix: "src/a" }])[0]?.path).toBe("src/a/b.ori");
    });

    it("tolerates a missing end-of-archive marker and zero padding", () => {
      const body = tarEntries([{ path: "a", data: "x" }], { end: false });
      expect(readTar(body)).toHaveLength(1);
      expect(readTar(concat([body, new Uint8Array(10240 - body.length)]))).toHaveLength(1);
    });

    it("rejects data after the end-of-archive marker", () => {
      const hidden = tarEntries([{ path: "evil", data: "x" }]);
      expect(codeOf(() => readTar(concat([tarEntries([{ path: "a" }]), hidden])))).toBe("corrupt_tar");
    });

    it("rejects a partial block and data cut short", () => {
      const whole = tarEntries([{ path: "a", data: "x".repeat(1000) }], { end: false });
      expect(codeOf(() => readTar(whole.subarray(0, 700)))).toBe("corrupt_tar");
      expect(codeOf(() => readTar(concat([whole, new Uint8Array(100)])))).toBe("corrupt_tar");
      expect(codeFor([{ path: "a", data: "x", size: 5000 }])).toBe("corrupt_tar");
    });

    it("rejects malformed and base-256 size fields", () => {
      expect(codeFor([{ path: "a", sizeField: new TextEncoder().encode("0000000009x\0") }])).toBe("corrupt_tar");
      const base256 = new Uint8Array(12);
      base256[0] = 0x80;
      base256[11] = 1;
      expect(codeFor([{ path: "a", sizeField: base256 }])).toBe("unsupported_tar_entry");
    });

    it("rejects a directory that claims data", () => {
      expect(codeFor([{ path: "src/", type: "5", data: "x" }])).toBe("corrupt_tar");
    });
  });

  describe("entry types", () => {
    it.each([
      ["hard link", "1"],
      ["symlink", "2"],
      ["GNU long link name", "K"],
    ])("rejects a %s as link_not_allowed", (_, type) => {
      expect(codeFor([{ path: "src/a.ori", type, linkname: "/etc/passwd" }])).toBe("link_not_allowed");
    });

    it.each([
      ["character device", "3"],
      ["block device", "4"],
      ["FIFO", "6"],
      ["contiguous file", "7"],
    ])("rejects a %s as special_file_not_allowed", (_, type) => {
      expect(codeFor([{ path: "src/dev", type }])).toBe("special_file_not_allowed");
    });

    it.each([["S"], ["V"], ["M"], ["D"], ["Z"]])("rejects type %s as unsupported_tar_entry", (type) => {
      expect(codeFor([{ path: "src/x", type }])).toBe("unsupported_tar_entry");
    });
  });

  describe("pax and GNU extended headers", () => {
    it("applies a pax path and size", () => {
      const long = `src/${"dir/".repeat(25)}file.ori`;
      const [e] = read([{ path: "ignored", pax: { path: long, size: "3", mtime: "1.5" }, data: "abc" }]);
      expect(e?.path).toBe(long);
      expect(text(e!.data)).toBe("abc");
    });

    it("applies a GNU long name", () => {
      const long = `src/${"x".repeat(150)}.ori`;
      expect(read([{ path: long.slice(0, 100), gnuLongName: long }])[0]?.path).toBe(long);
    });

    it("checks overridden paths like any other", () => {
      expect(codeFor([{ path: "src/ok.ori", pax: { path: "../evil" } }])).toBe("unsafe_path");
      expect(codeFor([{ path: "src/ok.ori", gnuLongName: "/etc/passwd" }])).toBe("unsafe_path");
      expect(codeFor([{ path: "src/ok.ori", pax: { path: "src/a\u202eb" } }])).toBe("unsafe_path");
    });

    it("ignores a harmless global header and rejects one that sets a path", () => {
      expect(read([{ path: "a", paxGlobal: { comment: "git commit" } }])).toHaveLength(1);
      expect(codeFor([{ path: "a", paxGlobal: { path: "x" } }])).toBe("ambiguous_tar");
    });

    it("rejects sparse files, two extended headers, and a dangling one", () => {
      expect(codeFor([{ path: "a", pax: { "GNU.sparse.major": "1" } }])).toBe("unsupported_tar_entry");
      expect(codeFor([{ path: "a", pax: { path: "b" }, gnuLongName: "c" }])).toBe("corrupt_tar");
      const dangling = concat([
        tarEntries([{ path: "a" }], { end: false }),
        tarEntries([{ path: "x", type: "x", data: "9 path=b\n" }], { end: false }),
      ]);
      expect(codeOf(() => readTar(dangling))).toBe("corrupt_tar");
      expect(codeOf(() => readTar(concat([dangling, new Uint8Array(1024)])))).toBe("corrupt_tar");
    });

    it.each([
      ["no newline", "8 path=b"],
      ["wrong length", "99 path=b\n"],
      ["no equals", "7 path\n"],
      ["no length", "path=b\n"],
      ["repeated key", "9 path=b\n9 path=c\n"],
    ])("rejects a pax record with %s", (_, records) => {
      expect(
        codeOf(() =>
          readTar(
            concat([
              tarEntries([{ path: "h", type: "x", data: records }], { end: false }),
              tarEntries([{ path: "a" }]),
            ]),
          ),
        ),
      ).toBe("corrupt_tar");
    });
  });

  describe("paths", () => {
    it.each([
      ["parent segment", "../x"],
      ["inner parent segment", "src/../../x"],
      ["trailing parent", "src/.."],
      ["absolute", "/etc/passwd"],
      ["backslash", "src\\a.ori"],
      ["dot prefix", "./src/a.ori"],
      ["dot segment", "src/./a.ori"],
      ["empty segment", "src//a.ori"],
      ["drive letter", "C:/x"],
      ["drive-relative", "c:x"],
      ["colon", "src/a:stream"],
      ["control character", "src/a\u0001.ori"],
      ["DEL", "src/a\u007f.ori"],
    ])("rejects a %s as unsafe_path", (_, path) => {
      expect(codeFor([{ path }])).toBe("unsafe_path");
    });

    it("rejects traversal through the prefix field", () => {
      expect(codeFor([{ path: "x", prefix: ".." }])).toBe("unsafe_path");
    });

    it("rejects non-UTF-8 names", () => {
      const h = tarHeader({ path: "src/a", size: 0 });
      h[5] = 0xff;
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      new TextEncoder().encodeInto(`${sum.toString(8).padStart(6, "0")}\0 `, h.subarray(148, 156));
      expect(codeOf(() => readTar(concat([h, new Uint8Array(1024)])))).toBe("unsafe_path");
    });

    it("limits path length in bytes and depth", () => {
      expect(read([{ path: "src/f", pax: { path: `src/${"a".repeat(252)}` } }])).toHaveLength(1);
      expect(codeFor([{ path: "src/f", pax: { path: `src/${"a".repeat(253)}` } }])).toBe("unsafe_path");
      expect(codeFor([{ path: "src/f", pax: { path: `src/${"é".repeat(127)}` } }])).toBe("unsafe_path");
      expect(read([{ path: "src/f", pax: { path: "d/".repeat(31) + "f" } }])).toHaveLength(1);
      expect(codeFor([{ path: "src/f", pax: { path: "d/".repeat(32) + "f" } }])).toBe("unsafe_path");
    });
  });

  describe("duplicates", () => {
    it.each([
      ["the same file twice", [{ path: "src/a.ori" }, { path: "src/a.ori" }]],
      ["a file and a directory", [{ path: "src/a", type: "5" }, { path: "src/a" }]],
      ["a directory and a file", [{ path: "src/a" }, { path: "src/a/", type: "5" }]],
      [
        "the same directory twice",
        [
          { path: "src/", type: "5" },
          { path: "src", type: "5" },
        ],
      ],
      ["a file used as a directory", [{ path: "src/a" }, { path: "src/a/b.ori" }]],
      ["a directory used as a file", [{ path: "src/a/b.ori" }, { path: "src/a" }]],
      ["names differing only in case", [{ path: "src/A.ori" }, { path: "src/a.ori" }]],
      ["names differing only in Unicode normalisation", [{ path: "src/\u00e9.ori" }, { path: "src/e\u0301.ori" }]],
    ] as [string, RawTarEntry[]][])("rejects %s as duplicate_path", (_, entries) => {
      expect(codeFor(entries)).toBe("duplicate_path");
    });

    it("allows an explicit directory next to the files in it", () => {
      expect(read([{ path: "src/a/b.ori" }, { path: "src/a/", type: "5" }, { path: "src/", type: "5" }])).toHaveLength(
        3,
      );
    });
  });

  describe("limits", () => {
    it("caps the number of entries", () => {
      const limits = { ...DEFAULT_LIMITS, maxEntries: 3 };
      expect(read([{ path: "a" }, { path: "b" }, { path: "c", pax: { path: "c" } }], limits)).toHaveLength(3);
      expect(codeFor([{ path: "a" }, { path: "b" }, { path: "c" }, { path: "d" }], limits)).toBe("too_many_entries");
    });

    it("caps a single file before reading it", () => {
      const limits = { ...DEFAULT_LIMITS, maxFileBytes: 10 };
      expect(read([{ path: "a", data: "x".repeat(10) }], limits)).toHaveLength(1);
      expect(codeFor([{ path: "a", data: "x".repeat(11) }], limits)).toBe("file_too_large");
      // A declared size beyond the data still reports the size limit first.
      expect(codeFor([{ path: "a", size: 1e9 }], limits)).toBe("file_too_large");
      expect(codeFor([{ path: "a", pax: { size: "11" }, data: "x".repeat(11) }], limits)).toBe("file_too_large");
    });
  });
});

describe("checkArchivePath", () => {
  it("accepts ordinary relative paths", () => {
    for (const p of ["oripk.toml", "src/a.ori", "src/deep/er/x-y_z.ori", "src/ünï cødé.ori", "LICENSE.md"])
      expect(() => checkArchivePath(p)).not.toThrow();
  });

  it("rejects the empty path", () => {
    expect(codeOf(() => checkArchivePath(""))).toBe("unsafe_path");
  });
});

describe("comparePaths", () => {
  it("orders by UTF-8 bytes", () => {
    expect(
      [
        "src/b",
        "README.md",
        "src/a",
        "CHECKSUM",
        "src/\u00e9",
        "src/z",
        "oripk.toml",
        "src/\u{1f600}",
        "src/\uffff",
      ].sort(comparePaths),
    ).toEqual([
      "CHECKSUM",
      "README.md",
      "oripk.toml",
      "src/a",
      "src/b",
      "src/z",
      "src/\u00e9",
      "src/\uffff",
      "src/\u{1f600}",
    ]);
  });
});

describe("writeTar → readTar", () => {
  it("round-trips", () => {
    const long = `src/${"deep/".repeat(25)}file.ori`;
    const files = [
      { path: "src/main.ori", data: "fn main() {}\n" },
      { path: long, data: new Uint8Array(1500).fill(9) },
      { path: "oripk.toml", data: "" },
    ];
    const entries = readTar(writeTar(files));
    expect(entries.map((e) => e.path)).toEqual(["oripk.toml", long, "src/main.ori"].sort(comparePaths));
    expect(entries.find((e) => e.path === long)?.data).toEqual(new Uint8Array(1500).fill(9));
  });
});
