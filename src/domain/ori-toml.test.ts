// The Ori dialect pre-pass: exactly Ori's bare dependency keys are rewritten; every valid TOML
// document passes unchanged; hostile layouts (strings, arrays, inline tables, comments, CRLF,
// BOM) never make a rewrite happen where it must not; errors point at the text as written.
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { parseOriToml, toStrictToml } from "./ori-toml";
import { formatLockfile } from "./lockfile";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorOf } from "../../test/helpers/error-codes";

const strict = (text: string) => toStrictToml(text).toml;
const root = (text: string) => parseOriToml(text).root;

describe("toStrictToml: what is rewritten", () => {
  it("quotes bare @scope/name keys in [dependencies] and [dev-dependencies]", () => {
    expect(strict('[dependencies]\n@orilib/utils = "2.0.1"\n')).toBe('[dependencies]\n"@orilib/utils" = "2.0.1"\n');
    expect(strict('[dev-dependencies]\n@orilib/test-helpers="1.0.0"  # dev\n')).toBe(
      '[dev-dependencies]\n"@orilib/test-helpers"="1.0.0"  # dev\n',
    );
    expect(strict('[dependencies]\n  @a/b = { version = "1.0.0", features = ["x"] }\n')).toBe(
      '[dependencies]\n  "@a/b" = { version = "1.0.0", features = ["x"] }\n',
    );
    expect(strict('[dependencies]\n@a/b.version = "1.0.0"\n')).toBe('[dependencies]\n"@a/b".version = "1.0.0"\n');
  });

  it("quotes the package segment of [dependencies.@scope/name] and [dev-dependencies.@scope/name]", () => {
    expect(strict('[dependencies.@orilib/parser]\nversion = "3.0.2"\n')).toBe(
      '[dependencies."@orilib/parser"]\nversion = "3.0.2"\n',
    );
    expect(strict('[ dev-dependencies . @a/b ]  # c\nversion = "1.0.0"\n')).toBe(
      '[ dev-dependencies . "@a/b" ]  # c\nversion = "1.0.0"\n',
    );
    expect(strict('["dependencies".@a/b]\nversion = "1.0.0"\n')).toBe('["dependencies"."@a/b"]\nversion = "1.0.0"\n');
  });

  it('gives a bare std module line the value "*"', () => {
    expect(strict("[dependencies]\nstd.json\n  std.collections.hashmap   # comment\nstd.io#c\n")).toBe(
      '[dependencies]\nstd.json = "*"\n  std.collections.hashmap = "*"   # comment\nstd.io = "*"#c\n',
    );
    expect(strict("[dev-dependencies]\nstd.testing")).toBe('[dev-dependencies]\nstd.testing = "*"');
  });

  it("keeps CRLF line endings and a BOM", () => {
    expect(strict('\uFEFF[dependencies]\r\nstd.json\r\n@a/b = "1.0.0"\r\n')).toBe(
      '\uFEFF[dependencies]\r\nstd.json = "*"\r\n"@a/b" = "1.0.0"\r\n',
    );
    expect(root('\uFEFF[dependencies]\r\nstd.json\r\n@a/b = "1.0.0"\r\n')).toEqual({
      dependencies: { std: { json: "*" }, "@a/b": "1.0.0" },
    });
  });

  it("reads the quoted spellings as the same thing", () => {
    const bare = root('[dependencies]\nstd.json\n@a/b = "1.0.0"\n[dependencies.@c/d]\nversion = "2.0.0"\n');
    const quoted = root('[dependencies]\nstd.json = "*"\n"@a/b" = "1.0.0"\n[dependencies."@c/d"]\nversion = "2.0.0"\n');
    expect(bare).toEqual(quoted);
  });
});

describe("toStrictToml: what is never rewritten", () => {
  // Each case ends inside [dependencies], and a bare key after it must still be rewritten: the
  // scanner neither rewrote inside the tricky part nor lost its place (giving up would leave
  // the last line alone too).
  it.each([
    [
      "a bare key inside a multi-line basic string",
      '[dependencies]\nx = """\n@a/b = "1"\nstd.json\n[dependencies.@c/d]\n"""\n',
    ],
    ["a bare key inside a multi-line literal string", "[dependencies]\nx = '''\n@a/b = \"1\"\nstd.json\n'''\n"],
    [
      "a header inside an array spanning lines",
      '[project]\nlist = [\n  "a",\n[dependencies.@x/y]\n  ]\n[dependencies]\n',
    ],
    ["std lines inside an array spanning lines", "[dependencies]\nx = [\n  std.json,\n  [ std.io ] # ]\n]\n"],
    [
      "a bare key inside a multi-line inline table",
      '[dependencies]\n"@a/b" = {\n  version = "1.0.0", # comment }\n  @c/d = 1 }\n',
    ],
    ["keys inside comments", '[dependencies]\n# @a/b = "1"\n  # std.json\n'],
    ["strings whose content ends in quotes", "[dependencies]\nx = \"\"\"a\"\"\"\"\ny = '''b'''''\n"],
    ["an escaped quote, then a bare key inside the string", '[dependencies]\nx = "a\\" @a/b = \\""\n'],
    ["an escaped backslash before the closing quote", '[dependencies]\nx = "\\\\"\n'],
    ["a literal string ending in a backslash", "[dependencies]\nx = 'C:\\'\n"],
    ["CRLF inside a multi-line string", '[dependencies]\r\nx = """\r\n@a/b = "1"\r\n"""\r\n'],
    ["brackets inside strings in an array", '[dependencies]\nx = ["]", \'[\', "{", """}\n"""]\n'],
  ])("leaves %s as written, and reads on", (_, tricky) => {
    const after = '@z/z = "1.0.0"\n';
    expect(strict(tricky + after)).toBe(tricky + '"@z/z" = "1.0.0"\n');
  });

  it("never rewrites a bare key inside a multi-line string, even in [dependencies]", () => {
    const text = '[dependencies]\nnote = """\n@a/b = "1.0.0"\nstd.json\n"""\n';
    expect(strict(text)).toBe(text);
    expect(root(text)).toEqual({ dependencies: { note: '@a/b = "1.0.0"\nstd.json\n' } });
  });

  it("never reads a header inside a multi-line array", () => {
    const text = '[project]\nlist = [\n  "a", # [dependencies.@x/y]\n  ["dependencies"],\n]\n@x/y = 1\n';
    const err = errorOf(() => strict(text));
    // The last line is in [project], not in a dependency table.
    expect(err.code).toBe("invalid_manifest");
    expect(err.message).toMatch(/line 6, column 1/);
  });

  it("leaves every valid TOML document unchanged", () => {
    const docs = [
      '[project]\nname = "x"\n[dependencies]\n"@a/b" = "1.0.0"\nstd.json = "*"\n[dependencies."@c/d"]\nversion = "1.0.0"\n',
      'a = """\nb = 1\n"""\nc = \'\'\'x\'\'\'\nd = [1, [2, 3], { e = "]" }]\n[t]\n"quoted key" = 1\n\'lit\' = 2\n',
      '[[arr]]\nx = 1\n[[arr]]\nx = 2\n[a.b.c]\nd.e = "f" # g\n',
      "k = { a = 1, b = { c = [ 'x', \"y\" ] } }\r\nm = 1979-05-27T07:32:00Z\r\n",
      'x = "\\u0041\\U0001F600\\t"\n"\\u0040x" = 1\n',
      "",
      "# only a comment",
    ];
    for (const doc of docs) {
      expect(() => parse(doc)).not.toThrow();
      expect(strict(doc)).toBe(doc);
    }
  });
});

describe("toStrictToml: errors with the line and column as written", () => {
  it("refuses a bare key outside the dependency tables", () => {
    const err = errorOf(() => strict('[project]\nname = "x"\n  edition\n'));
    expect(err.code).toBe("invalid_manifest");
    expect(err.message).toMatch(/line 3, column 3/);
    expect(err.details).toMatchObject({ line: 3, column: 3 });
  });

  it("refuses std lines outside [dependencies] / [dev-dependencies] and their sub-tables", () => {
    expect(errorOf(() => strict("[features]\nstd.json\n")).code).toBe("invalid_manifest");
    expect(errorOf(() => strict("std.json\n[dependencies]\n")).code).toBe("invalid_manifest");
    expect(errorOf(() => strict('[dependencies.@a/b]\nversion = "1.0.0"\nstd.json\n')).code).toBe("invalid_manifest");
    expect(errorOf(() => strict("[[dependencies]]\nstd.json\n")).code).toBe("invalid_manifest");
  });

  it("refuses a key alone that is not a std module", () => {
    for (const line of ["json", '"std.json"', "stdx.json", "std", "foo.bar"]) {
      const err = errorOf(() => strict(`[dependencies]\n${line}\n`));
      expect(err.code, line).toBe("invalid_manifest");
      expect(err.message).toMatch(/line 2, column 1/);
    }
  });

  it("refuses a registry dependency without a version (dependency_not_exact)", () => {
    const err = errorOf(() => strict("[dependencies]\nstd.json\n   @orilib/utils   # no version\n"));
    expect(err.code).toBe("dependency_not_exact");
    expect(err.message).toMatch(/line 3, column 4/);
  });

  it("refuses bare package names anywhere else", () => {
    for (const text of [
      '[project]\n@a/b = "1"\n',
      '@a/b = "1"\n',
      "[@a/b]\n",
      "[dependencies.@a/b.@c/d]\n",
      "[features]\n@a/b = []\n",
      '[dependencies]\nx.@a/b = "1"\n',
      "[target.dependencies.@a/b]\n",
    ]) {
      expect(errorOf(() => strict(text)).code, text).toBe("invalid_manifest");
    }
  });
});

describe("parseOriToml", () => {
  it("maps a TOML error's column back over the inserted quotes", () => {
    // The rewritten line is `"@a/b" = 1 2`: the error is 2 columns further right there.
    const err = errorOf(() => parseOriToml("[dependencies]\n@a/b = 1 2\n"));
    expect(err.code).toBe("invalid_manifest");
    expect(err.details).toEqual({ line: 2, column: 10 });
  });

  it("reports plain TOML errors where they are", () => {
    const err = errorOf(() => parseOriToml('[project]\nname = "x\n'));
    expect(err.message).toMatch(/^oripk\.toml is not valid TOML \(line 2, column/);
    expect(errorOf(() => parseOriToml("[project\n")).details).toMatchObject({ line: 1 });
  });

  it("refuses duplicate spellings of one key, and __proto__", () => {
    expect(errorOf(() => parseOriToml('[dependencies]\n@a/b = "1.0.0"\n"@a/b" = "1.0.0"\n')).code).toBe(
      "invalid_manifest",
    );
    expect(errorOf(() => parseOriToml('[dependencies]\nstd.json\nstd.json = "*"\n')).code).toBe("invalid_manifest");
    expect(errorOf(() => parseOriToml("[__proto__]\nx = 1\n")).code).toBe("invalid_manifest");
  });

  it("lists headers and top-level pairs with their lines", () => {
    const { strict: s } = parseOriToml("a = 1\n[dependencies]\nstd.json\nx = [\n 1,\n]\n[[b]]\nc = { d = 1 }\n");
    expect(s.headers).toEqual([
      { line: 1, key: ["dependencies"], array: false },
      { line: 6, key: ["b"], array: true },
    ]);
    expect(s.pairs).toEqual([
      { line: 0, endLine: 0, table: [], key: ["a"], inlineTable: false },
      { line: 2, endLine: 2, table: ["dependencies"], key: ["std", "json"], inlineTable: false },
      { line: 3, endLine: 5, table: ["dependencies"], key: ["x"], inlineTable: false },
      { line: 7, endLine: 7, table: ["b"], key: ["c"], inlineTable: true },
    ]);
  });

  it("reads thousands of bare dependency lines", () => {
    const text = "[dependencies]\n" + Array.from({ length: 5000 }, (_, i) => `@s/p${i} = "1.0.0"`).join("\n") + "\n";
    expect(Object.keys(root(text).dependencies as object)).toHaveLength(5000);
  });
});

// The outside world: another TOML parser (Python's tomllib, TOML 1.0) refuses Ori's text as
// written and reads the rewrite exactly as smol-toml does; the same for the lock we write.
describe("read by Python's tomllib", () => {
  const python = spawnSync("python3", ["-c", "import tomllib"]).status === 0;
  const tomllib = (text: string): { ok: true; value: unknown } | { ok: false } => {
    const script =
      "import sys, json, tomllib\ntry:\n  print(json.dumps(tomllib.loads(sys.stdin.read())))\nexcept tomllib.TOMLDecodeError:\n  sys.exit(3)\n";
    const run = spawnSync("python3", ["-c", script], { input: text, encoding: "utf8" });
    if (run.status === 3) return { ok: false };
    if (run.status !== 0) throw new Error(run.stderr);
    return { ok: true, value: JSON.parse(run.stdout) };
  };

  it.skipIf(!python)("agrees on DESIGN §1's manifest once rewritten, and refuses it as written", () => {
    const text = readFileSync(
      join(import.meta.dirname, "..", "..", "test", "fixtures", "ori-project", "oripk.toml"),
      "utf8",
    );
    expect(tomllib(text).ok).toBe(false);
    const { root: ours, strict: s } = parseOriToml(text);
    expect(tomllib(s.toml)).toEqual({ ok: true, value: JSON.parse(JSON.stringify(ours)) });
  });

  it.skipIf(!python)("reads the [checksums] lock we write as DESIGN §1's table", () => {
    const a = "a".repeat(64);
    const text = formatLockfile([
      { name: "@orilib/parser", version: "3.0.2", sha256: a },
      { name: "@orilib/utils", version: "2.0.1-rc.1", sha256: a },
    ]);
    expect(tomllib(text)).toEqual({
      ok: true,
      value: { checksums: { "@orilib/parser:3.0.2": `sha256:${a}`, "@orilib/utils:2.0.1-rc.1": `sha256:${a}` } },
    });
  });
});

describe("toStrictToml: hostile bytes in bare names", () => {
  it("ends a bare name at the first character that is not printable ASCII", () => {
    // The escape character is no part of the name: the line is left to the TOML parser, which refuses it.
    const err = errorOf(() => parseOriToml('[dependencies]\n@a/b\u001b[31m = "1.0.0"\n'));
    expect(err.code).toBe("invalid_manifest");
    expect(err.message).not.toContain("\u001b");
  });

  it("never echoes control characters in its own messages", () => {
    const err = errorOf(() => toStrictToml('[project]\nx."\u001b[2J"\n'));
    expect(err.message).not.toContain("\u001b");
  });
});
