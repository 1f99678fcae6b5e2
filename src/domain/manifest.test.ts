import { describe, it, expect } from "vitest";
import { parseManifest, rewriteBareStdLines } from "./manifest";
import { RegistryError } from "./errors";

function errorOf(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error("expected a RegistryError");
}

const codeOf = (text: string) => errorOf(() => parseManifest(text)).code;

/** The example manifest of DESIGN §1, verbatim. */
const DESIGN_EXAMPLE = `[project]
name = "@myorg/my-project"
version = "1.0.0"
description = "A useful library"      # required to publish
license = "MIT"
authors = ["Alice <alice@example.com>"]
repository = "https://github.com/user/repo"
keywords = ["web", "http"]
categories = ["networking"]
ori = "0.5.0"                          # required

[dependencies]
std.json                               # bundled: ignored by the registry
"@orilib/utils" = "2.0.1"              # exact version
[dependencies."@orilib/parser"]
version = "3.0.2"
features = ["unicode"]

[features]
default = ["json"]
`;

function project(extra: string, deps = ""): string {
  return `[project]
name = "@acme/app"
version = "1.2.3"
description = "An app"
ori = "0.5.0"
${extra}
${deps ? `[dependencies]\n${deps}\n` : ""}`;
}

describe("parseManifest", () => {
  it("parses the DESIGN example, bare std.json included", () => {
    expect(parseManifest(DESIGN_EXAMPLE)).toEqual({
      name: "@myorg/my-project",
      version: "1.0.0",
      description: "A useful library",
      license: "MIT",
      authors: ["Alice <alice@example.com>"],
      repository: "https://github.com/user/repo",
      keywords: ["web", "http"],
      categories: ["networking"],
      ori: "0.5.0",
      dependencies: [
        { name: "@orilib/parser", version: "3.0.2", features: ["unicode"] },
        { name: "@orilib/utils", version: "2.0.1", features: [] },
      ],
      stdDependencies: ["std.json"],
      features: { default: ["json"] },
    });
  });

  it("parses UTF-8 bytes and CRLF line endings", () => {
    const bytes = new TextEncoder().encode(DESIGN_EXAMPLE.replace(/\n/g, "\r\n"));
    expect(parseManifest(bytes).stdDependencies).toEqual(["std.json"]);
  });

  it("fills defaults for optional lists", () => {
    expect(parseManifest(project(""))).toMatchObject({ authors: [], keywords: [], categories: [], dependencies: [], stdDependencies: [], features: {} });
  });

  it("keeps homepage, documentation and readme", () => {
    const m = parseManifest(project('homepage = "https://ori.dev"\ndocumentation = "http://docs.ori.dev/x"\nreadme = "README.md"'));
    expect(m).toMatchObject({ homepage: "https://ori.dev", documentation: "http://docs.ori.dev/x", readme: "README.md" });
  });

  it("allows unknown keys and tables", () => {
    expect(parseManifest(project('edition = "2026"\n[tool.fmt]\nwidth = 100\n[dev-dependencies]\n"@x/y" = "^1"')).name).toBe("@acme/app");
  });

  describe("std dependencies", () => {
    it("accepts bare, assigned and nested std keys", () => {
      const m = parseManifest(project("", 'std.json\n  std.collections.hashmap  # comment\nstd.io = "*"\n"std.fs" = "bundled"'));
      expect(m.stdDependencies).toEqual(["std.collections.hashmap", "std.fs", "std.io", "std.json"]);
      expect(m.dependencies).toEqual([]);
    });

    it("rewrites bare std lines only inside [dependencies]", () => {
      expect(rewriteBareStdLines("[dependencies]\nstd.json\n[features]\nstd.json\n")).toBe('[dependencies]\nstd.json = "*"\n[features]\nstd.json\n');
      expect(codeOf(project("std.json"))).toBe("invalid_manifest");
    });

    it("leaves multi-line strings alone", () => {
      expect(rewriteBareStdLines('[dependencies]\nx = """\nstd.json\n"""\n')).toBe('[dependencies]\nx = """\nstd.json\n"""\n');
    });
  });

  describe("dependencies", () => {
    it("accepts the inline-table form", () => {
      const m = parseManifest(project("", '"@orilib/parser" = { version = "3.0.2", features = ["unicode"] }'));
      expect(m.dependencies).toEqual([{ name: "@orilib/parser", version: "3.0.2", features: ["unicode"] }]);
    });

    it.each(["^1.0.0", ">=1", "~1.2.3", "1.x", "*", "1.0", "1.0.0-rc.1", ">=1.0.0, <2.0.0", "=1.0.0", "v1.0.0"])("rejects %j as dependency_not_exact", (range) => {
      expect(codeOf(project("", `"@orilib/utils" = "${range}"`))).toBe("dependency_not_exact");
      expect(codeOf(project("", `"@orilib/utils" = { version = "${range}" }`))).toBe("dependency_not_exact");
    });

    it("rejects a dependency on itself", () => {
      expect(codeOf(project("", '"@acme/app" = "1.0.0"'))).toBe("dependency_on_self");
    });

    it.each([
      ["an invalid name", '"@Orilib/utils" = "1.0.0"'],
      ["a name without scope", 'utils = "1.0.0"'],
      ["a reserved name", '"@acme/tmp" = "1.0.0"'],
      ["a path dependency", '"@orilib/utils" = { path = "../utils", version = "1.0.0" }'],
      ["a git dependency", '"@orilib/utils" = { git = "https://x" }'],
      ["a table without version", '"@orilib/utils" = { features = ["a"] }'],
      ["a number", '"@orilib/utils" = 1'],
      ["bad features", '"@orilib/utils" = { version = "1.0.0", features = "a" }'],
    ])("rejects %s as invalid_dependency", (_, line) => {
      expect(codeOf(project("", line))).toBe("invalid_dependency");
    });
  });

  describe("[scripts]", () => {
    it.each([
      ["top-level table", project("", "") + "[scripts]\nbuild = \"make\"\n"],
      ["nested table", project("[project.scripts]\nx = 1")],
      ["array of tables", project("") + "[[scripts]]\nx = 1\n"],
      ["top-level key", 'scripts = "make"\n' + project("")],
      ["deep table", project("") + "[tool.thing.scripts]\nx = 1\n"],
    ])("rejects a %s as manifest_has_scripts", (_, text) => {
      expect(codeOf(text)).toBe("manifest_has_scripts");
    });

    it("allows a feature named scripts", () => {
      expect(parseManifest(project("") + '[features]\nscripts = ["a"]\n').features).toEqual({ scripts: ["a"] });
    });
  });

  describe("required fields", () => {
    it.each([
      ["[project]", 'name = "@acme/app"\n'],
      ["name", '[project]\nversion = "1.0.0"\ndescription = "d"\nori = "0.5.0"\n'],
      ["version", '[project]\nname = "@acme/app"\ndescription = "d"\nori = "0.5.0"\n'],
      ["description", '[project]\nname = "@acme/app"\nversion = "1.0.0"\nori = "0.5.0"\n'],
      ["ori", '[project]\nname = "@acme/app"\nversion = "1.0.0"\ndescription = "d"\n'],
    ])("requires %s (manifest_missing_field)", (_, text) => {
      expect(codeOf(text)).toBe("manifest_missing_field");
    });

    it("requires a non-empty description", () => {
      expect(codeOf(project("").replace('"An app"', '"   "'))).toBe("manifest_missing_field");
    });

    it("names the field in details", () => {
      expect(errorOf(() => parseManifest('[project]\nname = "@acme/app"\nversion = "1.0.0"\nori = "0.5.0"\n')).details).toEqual({ field: "project.description" });
    });
  });

  describe("field rules", () => {
    it("checks name and version with the package rules", () => {
      expect(codeOf(project("").replace("@acme/app", "@Acme/app"))).toBe("invalid_name");
      expect(codeOf(project("").replace("@acme/app", "@acme/test"))).toBe("reserved_name");
      expect(codeOf(project("").replace("1.2.3", "1.2"))).toBe("invalid_version");
      expect(codeOf(project("").replace("1.2.3", "1.2.3-beta"))).toBe("invalid_version");
    });

    const ok = (extra: string) => expect(parseManifest(project(extra)).name).toBe("@acme/app");
    const bad = (extra: string) => expect(codeOf(project(extra))).toBe("manifest_invalid_field");

    it("ori must be an exact version", () => {
      expect(codeOf(project("").replace('ori = "0.5.0"', 'ori = ">=0.5"'))).toBe("manifest_invalid_field");
      expect(codeOf(project("").replace('ori = "0.5.0"', "ori = 5"))).toBe("manifest_invalid_field");
    });

    it("description at most 1000 characters", () => {
      expect(parseManifest(project("").replace("An app", "d".repeat(1000))).description).toHaveLength(1000);
      expect(codeOf(project("").replace("An app", "d".repeat(1001)))).toBe("manifest_invalid_field");
    });

    it("keywords: at most 10, each at most 32 slug characters", () => {
      ok(`keywords = [${Array.from({ length: 10 }, (_, i) => `"k${i}"`).join(", ")}]`);
      bad(`keywords = [${Array.from({ length: 11 }, (_, i) => `"k${i}"`).join(", ")}]`);
      ok(`keywords = ["${"k".repeat(32)}"]`);
      bad(`keywords = ["${"k".repeat(33)}"]`);
      bad('keywords = ["Web"]');
      bad('keywords = ["a b"]');
      bad('keywords = "web"');
    });

    it("categories: at most 5", () => {
      ok('categories = ["a", "b", "c", "d", "e"]');
      bad('categories = ["a", "b", "c", "d", "e", "f"]');
      bad('categories = ["Net_working"]');
    });

    it("license at most 128 characters", () => {
      ok(`license = "${"M".repeat(128)}"`);
      bad(`license = "${"M".repeat(129)}"`);
      bad("license = 1");
      bad('license = ""');
    });

    it("authors: at most 20 strings", () => {
      ok(`authors = [${Array.from({ length: 20 }, (_, i) => `"a${i}"`).join(", ")}]`);
      bad(`authors = [${Array.from({ length: 21 }, (_, i) => `"a${i}"`).join(", ")}]`);
      bad("authors = [1]");
      bad('authors = [""]');
    });

    it("repository: an http(s) URL of at most 512 characters", () => {
      ok('repository = "http://example.com/r"');
      ok(`repository = "https://example.com/${"r".repeat(512 - 20)}"`);
      bad(`repository = "https://example.com/${"r".repeat(512)}"`);
      bad('repository = "git@github.com:user/repo.git"');
      bad('repository = "javascript:alert(1)"');
      bad('repository = "not a url"');
      bad('homepage = "ftp://example.com"');
    });

    it("features: a table of string lists", () => {
      expect(codeOf(project("") + '[features]\ndefault = "json"\n')).toBe("manifest_invalid_field");
      expect(codeOf(project("") + '[features]\n"bad name" = []\n')).toBe("manifest_invalid_field");
      expect(codeOf("features = 1\n" + project(""))).toBe("invalid_manifest");
    });
  });

  describe("malformed input", () => {
    it("rejects TOML syntax errors with a position", () => {
      const err = errorOf(() => parseManifest('[project\nname = "x"'));
      expect(err.code).toBe("invalid_manifest");
      expect(err.message).toMatch(/line 1/);
    });

    it("rejects invalid UTF-8", () => {
      expect(errorOf(() => parseManifest(new Uint8Array([0x5b, 0xff, 0x5d]))).code).toBe("invalid_manifest");
    });

    it("rejects a non-table project and __proto__ keys", () => {
      expect(codeOf('project = "x"')).toBe("invalid_manifest");
      expect(codeOf(project("") + "[__proto__]\nx = 1\n")).toBe("invalid_manifest");
    });
  });
});
