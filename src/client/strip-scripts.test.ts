// stripScripts: [scripts] tables leave the packed manifest; everything else stays byte for byte.
import { describe, expect, it } from "vitest";
import { stripScripts } from "./strip-scripts";

describe("stripScripts", () => {
  it("removes [scripts] and its sub-tables, keeping everything else as written", () => {
    const text = [
      "[project]",
      'name = "@acme/http"  # the name',
      "",
      "[scripts]",
      'test = "ori test"',
      "[scripts.hooks]",
      'pre = "x"',
      "[dependencies]",
      "std.json",
      '"@orilib/utils" = "2.0.1"',
      "",
    ].join("\n");
    const out = stripScripts(text);
    expect(out.stripped).toBe(true);
    expect(out.text).toBe(
      [
        "[project]",
        'name = "@acme/http"  # the name',
        "",
        "[dependencies]",
        "std.json",
        '"@orilib/utils" = "2.0.1"',
        "",
      ].join("\n"),
    );
  });

  it("removes a root-level inline scripts key and nested [x.scripts] tables", () => {
    const out = stripScripts(
      'scripts = { test = "t" }\n[project]\nname = "x"\n[tool."scripts"]\na = 1\n[features]\ndefault = []\n',
    );
    expect(out.text).toBe('[project]\nname = "x"\n[features]\ndefault = []\n');
  });

  it("leaves a manifest it cannot read as written, for the manifest check to report: never drops what follows [scripts]", () => {
    // An unterminated string in a script: the lexer stops there, so it knows no header after it.
    const text = '[project]\nname = "@acme/x"\n[scripts]\ndev = "ori build --watch\n[dependencies]\n@a/b = "1.0.0"\n';
    expect(stripScripts(text)).toEqual({ text, stripped: false });
  });

  it("leaves a manifest without scripts byte-identical", () => {
    const text = '[project]\ndescription = """\n[scripts]\nnot a header\n"""\n';
    expect(stripScripts(text)).toEqual({ text, stripped: false });
  });

  it("reads headers as the manifest's lexer does: never inside arrays or strings", () => {
    // A multi-line array whose last element looks like a [scripts] header on its own line.
    const text =
      '[project]\nname = "x"\nmatrix = [\n  ["a"],\n  ["scripts"]\n]\nnote = "\'\'\'"\n[scripts]\nt = "x"\n[publish]\ninclude = ["src/**"]\n';
    expect(stripScripts(text)).toEqual({
      text: '[project]\nname = "x"\nmatrix = [\n  ["a"],\n  ["scripts"]\n]\nnote = "\'\'\'"\n[publish]\ninclude = ["src/**"]\n',
      stripped: true,
    });
  });

  it("removes a multi-line root scripts value and a dotted scripts table, keeping Ori's bare keys", () => {
    const text =
      'scripts = {\n  test = "t",\n}\n[dependencies]\n@a/b = "1.0.0"\n[tool]\nscripts.x = "y"\nkeep = 1\n[dependencies.@c/d]\nversion = "1.0.0"\n';
    expect(stripScripts(text).text).toBe(
      '[dependencies]\n@a/b = "1.0.0"\n[tool]\nkeep = 1\n[dependencies.@c/d]\nversion = "1.0.0"\n',
    );
  });

  it("removes [scripts] from the middle of DESIGN §1's manifest, with CRLF too", () => {
    const text =
      '[project]\nname = "@myorg/my-project"\n[workspace]\nmembers = ["a"]\n\n[scripts]                              # stripped by the client before upload\ndev = "ori build --watch"\n\n[publish]\nregistry = "default"\n';
    const want =
      '[project]\nname = "@myorg/my-project"\n[workspace]\nmembers = ["a"]\n\n[publish]\nregistry = "default"\n';
    expect(stripScripts(text).text).toBe(want);
    expect(stripScripts(text.replace(/\n/g, "\r\n")).text).toBe(want.replace(/\n/g, "\r\n"));
  });
});
