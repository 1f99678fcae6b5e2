// The collision key of src/processing/paths.ts against Python's full Unicode case folding
// (`str.casefold`) and NFKC, for every code point: whatever Python folds together, pathKey must
// fold together too (it may fold more, e.g. dotless ı with I, as NTFS does).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkArchivePath, pathKey } from "../../src/processing/paths";

const SCRIPT = `
import json, sys, unicodedata
out = []
for cp in range(0x110000):
    if 0xD800 <= cp < 0xE000 or unicodedata.category(chr(cp)) == "Cn":
        continue
    c = chr(cp)
    for other in {c.casefold(), unicodedata.normalize("NFKC", c), unicodedata.normalize("NFKC", c).casefold()}:
        if other != c:
            out.append([cp, other])
json.dump({"unicode": unicodedata.unidata_version, "pairs": out}, sys.stdout)
`;

describe("pathKey folds at least what Python's casefold and NFKC fold", () => {
  const run = spawnSync("python3", ["-c", SCRIPT], { encoding: "utf8", maxBuffer: 64 << 20 });
  const { unicode, pairs } = JSON.parse(run.stdout) as { unicode: string; pairs: [number, string][] };

  it(`for every code point of Unicode ${unicode}`, () => {
    // pathKey folds each segment alone, so a character that NFKC turns into a "/" (℀, ／) keeps
    // its segment; such characters are symbols or punctuation, never allowed in a path anyway.
    const separators = pairs.filter(([, other]) => other.includes("/"));
    for (const [cp] of separators) expect(() => checkArchivePath(`src/${String.fromCodePoint(cp)}`)).toThrow();
    const missed = pairs.filter(
      ([cp, other]) => !other.includes("/") && pathKey(String.fromCodePoint(cp)) !== pathKey(other),
    );
    const show = missed
      .slice(0, 20)
      .map(([cp, other]) => `U+${cp.toString(16).toUpperCase()} ${String.fromCodePoint(cp)} → ${other}`);
    expect(pairs.length).toBeGreaterThan(5000);
    expect(show, `${missed.length} pairs Python folds together and pathKey does not`).toEqual([]);
  });
});
