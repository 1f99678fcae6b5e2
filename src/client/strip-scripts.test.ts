// stripScripts: [scripts] tables leave the packed manifest; everything else stays byte for byte.
import { describe, expect, it } from "vitest";
import { keySegments, stripScripts } from "./strip-scripts";

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
    expect(out.text).toBe(["[project]", 'name = "@acme/http"  # the name', "", "[dependencies]", "std.json", '"@orilib/utils" = "2.0.1"', ""].join("\n"));
  });

  it("removes a root-level inline scripts key and nested [x.scripts] tables", () => {
    const out = stripScripts('scripts = { test = "t" }\n[project]\nname = "x"\n[tool."scripts"]\na = 1\n[features]\ndefault = []\n');
    expect(out.text).toBe('[project]\nname = "x"\n[features]\ndefault = []\n');
  });

  it("leaves a manifest without scripts byte-identical", () => {
    const text = '[project]\ndescription = """\n[scripts]\nnot a header\n"""\n';
    expect(stripScripts(text)).toEqual({ text, stripped: false });
  });

  it("refuses, rather than corrupt, a manifest whose lines it misreads", () => {
    // A multi-line array whose last element looks like a [scripts] header on its own line.
    const text = '[project]\nname = "x"\nmatrix = [\n  ["a"],\n  ["scripts"]\n]\n[scripts]\nt = "x"\n';
    expect(() => stripScripts(text)).toThrow(/could not be removed without changing other settings/);
  });

  it("splits dotted keys with quotes", () => {
    expect(keySegments('a."b.c".d')).toEqual(["a", "b.c", "d"]);
    expect(keySegments(" scripts ")).toEqual(["scripts"]);
  });
});
