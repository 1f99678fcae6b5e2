import { describe, expect, it } from "vitest";
import { codeOf } from "../../test/helpers/error-codes";
import { PathSet, checkArchivePath, pathKey } from "./paths";

const check = (path: string) => codeOf(() => checkArchivePath(path));
const addAll = (...paths: [string, ("file" | "directory")?][]) =>
  codeOf(() => {
    const set = new PathSet();
    for (const [path, type] of paths) set.add(path, type ?? "file");
  });

describe("checkArchivePath", () => {
  it.each([
    "oripk.toml",
    "LICENSE-MIT",
    "src/a.ori",
    "src/deep/er/x-y_z.ori",
    "src/ünï cødé.ori",
    "src/e\u0301.ori", // NFD is stored as is (collisions with NFC are caught by PathSet)
    "src/日本語/ファイル.ori",
    "src/हिन्दी.ori", // Devanagari needs combining marks
    "src/a (copy) [1] {x} #2 @v1.0 +$%&',;=^_`~!.ori",
    "src/.hidden.ori",
    "src/conf.ori",
    "src/console.ori",
    "src/COM10.ori",
    "src/LPT.ori",
    "src/nul-device.ori",
    "src/a.b.c",
    "src/Ⅻ.ori",
  ])("accepts %s", (path) => {
    expect(() => checkArchivePath(path)).not.toThrow();
  });

  describe("refuses as unsafe_path", () => {
    it.each([
      ["empty", ""],
      ["absolute", "/etc/passwd"],
      ["a parent segment", "src/../x"],
      ["a dot segment", "src/./x"],
      ["an empty segment", "src//x"],
      ["a trailing slash", "src/a/"],
      ["a drive letter", "C:/x"],
      ["a backslash", "src\\a.ori"],
    ])("%s: %s", (_, path) => {
      expect(check(path)).toBe("unsafe_path");
    });

    it.each([
      "CON",
      "con",
      "nul.ori",
      "NUL.tar.gz",
      "Aux.ori",
      "prn",
      "COM1",
      "com9.ori",
      "COM0",
      "LPT1",
      "lpt9.txt",
      "COM¹.ori",
      "LPT³",
      "CONIN$",
      "conout$.x",
      "nul .ori",
      "CON . ori",
    ])("the Windows device name %s (with any extension)", (name) => {
      expect(check(`src/${name}`)).toBe("unsafe_path");
      expect(check(`src/${name}/a.ori`)).toBe("unsafe_path");
    });

    it.each(["a.ori.", "a.ori ", "a.", "dir.", "...", "a .", " a.ori"])(
      "a segment ending with a dot or space, or starting with a space: %j",
      (name) => {
        expect(check(`src/${name}`)).toBe("unsafe_path");
        expect(check(`src/${name}/x.ori`)).toBe("unsafe_path");
      },
    );

    it.each(["<", ">", ":", '"', "|", "?", "*"])("the character %s, which Windows cannot store", (ch) => {
      expect(check(`src/a${ch}b.ori`)).toBe("unsafe_path");
    });

    it.each([
      ["NUL", "\u0000"],
      ["a C0 control", "\u0001"],
      ["ESC", "\u001b"],
      ["DEL", "\u007f"],
      ["a C1 control", "\u0085"],
      ["CSI (C1)", "\u009b"],
      ["right-to-left override", "\u202e"],
      ["left-to-right embedding", "\u202a"],
      ["a bidi isolate", "\u2067"],
      ["right-to-left mark", "\u200f"],
      ["Arabic letter mark", "\u061c"],
      ["zero-width space", "\u200b"],
      ["zero-width joiner", "\u200d"],
      ["word joiner", "\u2060"],
      ["byte-order mark", "\ufeff"],
      ["soft hyphen", "\u00ad"],
      ["a variation selector", "\ufe0f"],
      ["combining grapheme joiner", "\u034f"],
      ["Hangul filler", "\u3164"],
      ["a tag character", "\u{e0041}"],
      ["no-break space", "\u00a0"],
      ["ideographic space", "\u3000"],
      ["line separator", "\u2028"],
      ["a private-use character", "\ue000"],
      ["an unassigned code point", "\u{2fffe}"],
      ["fullwidth solidus", "\uff0f"],
      ["division slash", "\u2215"],
      ["one dot leader", "\u2024"],
      ["fullwidth colon", "\uff1a"],
      ["an emoji", "\u{1f600}"],
    ])("%s", (_, ch) => {
      expect(check(`src/a${ch}b.ori`)).toBe("unsafe_path");
    });

    it("a segment starting with a combining mark", () => {
      expect(check("src/\u0301a.ori")).toBe("unsafe_path");
    });

    it("too long or too deep", () => {
      expect(check(`src/${"a".repeat(253)}`)).toBe("unsafe_path");
      expect(check("d/".repeat(32) + "f")).toBe("unsafe_path");
    });
  });

  it("says which character it refuses", () => {
    expect(() => checkArchivePath("src/a\u202eb.ori")).toThrow(/U\+202E/);
    expect(() => checkArchivePath("src/a\u202eb.ori")).toThrow('path "src/a\\u{202E}b.ori" is not allowed');
    expect(() => checkArchivePath("src/a\u202eb.ori")).not.toThrow(/\u202e/);
    expect(() => checkArchivePath("src/a|b.ori")).toThrow(/"\|", which Windows cannot store/);
  });
});

describe("pathKey", () => {
  it.each([
    ["σ", "ς", "Σ"],
    ["µ", "μ", "Μ"],
    ["ſ", "s", "S"],
    ["ß", "ss", "ẞ"],
    ["K", "k", "\u212a"], // Kelvin sign
    ["Å", "å", "\u212b"], // Angstrom sign
    ["é", "e\u0301", "É"],
    ["ﬁ", "fi", "FI"],
    ["Ａ", "a", "A"], // fullwidth
    ["ǅ", "ǆ", "Ǆ"],
    ["ΐ", "ι\u0308\u0301", "Ϊ\u0301"],
    ["ᾳ", "αι", "ΑΙ"],
    ["İ", "i\u0307", "I\u0307"],
    ["ı", "i", "I"], // NTFS upper-cases ı to I
    ["ꭰ", "Ꭰ", "ꭰ"], // Cherokee folds to upper case
    ["COM¹", "com1", "COM1"],
  ])("folds %s, %s and %s together", (a, b, c) => {
    expect(pathKey(`src/${a}`)).toBe(pathKey(`src/${b}`));
    expect(pathKey(`src/${a}`)).toBe(pathKey(`src/${c}`));
  });

  it("keeps different files apart", () => {
    expect(pathKey("src/a.ori")).not.toBe(pathKey("src/b.ori"));
    expect(pathKey("src/a")).not.toBe(pathKey("src/а")); // Cyrillic а: a look-alike, but another file everywhere
  });

  it("folds each segment alone, so no mapping makes a new separator", () => {
    expect(pathKey("src/a\u2100b")).not.toBe(pathKey("src/aa/cb")); // ℀ is a/c under NFKC
  });
});

describe("PathSet", () => {
  it.each([
    ["σ and ς", "src/σ.ori", "src/ς.ori"],
    ["µ and μ", "src/µ.ori", "src/μ.ori"],
    ["ſ and s", "src/ſ.ori", "src/s.ori"],
    ["ß and ss", "src/straße.ori", "src/strasse.ori"],
    ["ẞ and ß", "src/STRAẞE.ori", "src/straße.ori"],
    ["Kelvin and k", "src/\u212a.ori", "src/k.ori"],
    ["NFC and NFD", "src/\u00e9.ori", "src/e\u0301.ori"],
    ["a ligature", "src/ﬁle.ori", "src/file.ori"],
    ["fullwidth", "src/ＡＢＣ.ori", "src/abc.ori"],
    ["dotted capital I", "src/İ.ori", "src/i\u0307.ori"],
    ["plain case", "src/Main.ori", "src/main.ori"],
  ])("refuses %s as duplicate_path", (_, a, b) => {
    expect(addAll([a], [b])).toBe("duplicate_path");
    expect(addAll([b], [a])).toBe("duplicate_path");
  });

  it("refuses directories whose names differ only by case, explicit or implied", () => {
    expect(addAll(["src/Lib/a.ori"], ["src/lib/b.ori"])).toBe("duplicate_path");
    expect(addAll(["src/Lib", "directory"], ["src/lib/b.ori"])).toBe("duplicate_path");
    expect(addAll(["src/lib/b.ori"], ["src/LIB", "directory"])).toBe("duplicate_path");
    expect(addAll(["src/σ/a.ori"], ["src/ς/a2.ori"])).toBe("duplicate_path");
  });

  it("refuses a file that folds onto a directory and the other way round", () => {
    expect(addAll(["src/A"], ["src/a/b.ori"])).toBe("duplicate_path");
    expect(addAll(["src/a/b.ori"], ["src/A"])).toBe("duplicate_path");
    expect(addAll(["src/a/b.ori"], ["src/a"])).toBe("duplicate_path");
  });

  it("accepts a directory spelt the same way everywhere, and distinct files", () => {
    expect(
      addAll(
        ["src", "directory"],
        ["src/Lib", "directory"],
        ["src/Lib/a.ori"],
        ["src/Lib/b.ori"],
        ["src/lib2/a.ori"],
        ["src/a"],
        ["src/а"],
      ),
    ).toBeUndefined();
  });
});
