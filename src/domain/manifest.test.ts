import { describe, it, expect } from "vitest";
import { parseManifest } from "./manifest";
import { ORI_PROJECT_MANIFEST } from "../../test/helpers/ori-fixture";
import { errorOf } from "../../test/helpers/error-codes";

const codeOf = (text: string) => errorOf(() => parseManifest(text)).code;

/** The manifest of DESIGN §1 verbatim, as packed: its [scripts] table stripped. */
const DESIGN_EXAMPLE = `[project]
name = "@myorg/my-project"
version = "1.0.0"                      # semver; pre-release opt-in
description = "A useful library"       # required to publish
license = "MIT"
authors = ["Alice <alice@example.com>"]
repository = "https://github.com/user/repo"
keywords = ["web", "http"]
categories = ["networking"]
funding = "https://github.com/sponsors/user"
edition = "2026"
ori = "0.5.0"                          # required

[project.entry]
lib = "src/lib.ori"
main = "src/main.ori"

[dependencies]
std.json                               # bundled: never resolved against the registry
std.http
std.crypto = "1.0.1"                   # a bundled package pinned for a security fix
@orilib/utils = "2.0.1"                # exact version only

[dependencies.@orilib/parser]
version = "3.0.2"
features = ["unicode"]
default-features = false

[dev-dependencies]
@orilib/test-helpers = "1.0.0"

[features]
default = ["json"]
json = ["std.json"]

[registries.company]
url = "https://registry.company.com"
auth = "token"

[workspace]
members = ["crates/core", "crates/cli"]

[publish]
registry = "default"
include = ["src/**", "README.md", "LICENSE"]
`;

/** DESIGN §1's project as the registry reads it (shared with the fixture's other tests). */
const DESIGN_PARSED = ORI_PROJECT_MANIFEST;

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
  it("parses DESIGN §1's manifest as Ori writes it", () => {
    expect(parseManifest(DESIGN_EXAMPLE)).toEqual(DESIGN_PARSED);
  });

  it("reads the quoted TOML spellings as the same manifest", () => {
    const quoted = DESIGN_EXAMPLE.replace("std.json                               #", 'std.json = "*"  #')
      .replace("std.http\n", '"std.http" = "*"\n')
      .replace("@orilib/utils =", '"@orilib/utils" =')
      .replace("[dependencies.@orilib/parser]", '[dependencies."@orilib/parser"]')
      .replace("@orilib/test-helpers =", '"@orilib/test-helpers" =');
    expect(quoted).not.toMatch(/^@/m);
    expect(parseManifest(quoted)).toEqual(DESIGN_PARSED);
    const inline = DESIGN_EXAMPLE.replace(/\[dependencies\.@orilib\/parser\]\n[^[]*/, "").replace(
      '@orilib/utils = "2.0.1"',
      '@orilib/utils = "2.0.1"\n"@orilib/parser" = { version = "3.0.2", features = ["unicode"], default-features = false }',
    );
    expect(parseManifest(inline)).toEqual(DESIGN_PARSED);
  });

  it("parses UTF-8 bytes, CRLF line endings and a byte-order mark", () => {
    const crlf = DESIGN_EXAMPLE.replace(/\n/g, "\r\n");
    expect(parseManifest(new TextEncoder().encode(crlf))).toEqual(DESIGN_PARSED);
    expect(parseManifest(`\uFEFF${crlf}`)).toEqual(DESIGN_PARSED);
    expect(parseManifest(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(DESIGN_EXAMPLE)]))).toEqual(
      DESIGN_PARSED,
    );
  });

  it("fills defaults for optional lists", () => {
    expect(parseManifest(project(""))).toMatchObject({
      authors: [],
      keywords: [],
      categories: [],
      entry: { lib: null, main: null },
      dependencies: [],
      devDependencies: [],
      stdDependencies: [],
      devStdDependencies: [],
      features: {},
    });
  });

  it("keeps homepage, documentation and readme", () => {
    const m = parseManifest(
      project('homepage = "https://ori.dev"\ndocumentation = "http://docs.ori.dev/x"\nreadme = "README.md"'),
    );
    expect(m).toMatchObject({
      homepage: "https://ori.dev",
      documentation: "http://docs.ori.dev/x",
      readme: "README.md",
    });
  });

  it("allows unknown keys and tables, and ignores the client's [registries], [workspace] and [publish]", () => {
    const m = parseManifest(
      project('[tool.fmt]\nwidth = 100\n[registries.x]\nurl = 1\n[workspace]\nmembers = 3\n[publish]\ninclude = "x"'),
    );
    expect(m.name).toBe("@acme/app");
    expect(Object.keys(m)).not.toContain("registries");
  });

  describe("std dependencies", () => {
    it("accepts bare, assigned, pinned and nested std keys", () => {
      const m = parseManifest(
        project(
          "",
          'std.json\n  std.collections.hashmap  # comment\nstd.io = "*"\n"std.fs" = "*"\nstd.crypto = "1.0.1"\nstd.net = { version = "2.0.0-rc.1" }',
        ),
      );
      expect(m.stdDependencies).toEqual([
        { name: "std.collections.hashmap", version: null },
        { name: "std.crypto", version: "1.0.1" },
        { name: "std.fs", version: null },
        { name: "std.io", version: null },
        { name: "std.json", version: null },
        { name: "std.net", version: "2.0.0-rc.1" },
      ]);
      expect(m.dependencies).toEqual([]);
    });

    it("accepts [dependencies.std.x] tables and std modules in [dev-dependencies]", () => {
      const m = parseManifest(
        project(
          '[dependencies.std.crypto]\nversion = "1.0.1"\n[dependencies.std.json]\n[dev-dependencies]\nstd.testing\n',
        ),
      );
      expect(m.stdDependencies).toEqual([
        { name: "std.crypto", version: "1.0.1" },
        { name: "std.json", version: null },
      ]);
      expect(m.devStdDependencies).toEqual([{ name: "std.testing", version: null }]);
    });

    it("accepts bare std lines only inside [dependencies] and [dev-dependencies]", () => {
      expect(codeOf(project("std.json"))).toBe("invalid_manifest");
      expect(codeOf(project("") + "[features]\nstd.json\n")).toBe("invalid_manifest");
    });

    it.each([
      ["a range", 'std.crypto = "^1.0"', "dependency_not_exact"],
      ["a word", 'std.fs = "bundled"', "dependency_not_exact"],
      ["a number", "std.fs = 1", "invalid_dependency"],
      ["std alone", 'std = "*"', "invalid_dependency"],
      ["an uppercase module", '"std.Json" = "*"', "invalid_dependency"],
      ["the same module twice", 'std.json\n"std.json" = "*"', "invalid_dependency"],
    ])("rejects %s", (_, line, code) => {
      expect(codeOf(project("", line))).toBe(code);
    });
  });

  describe("dependencies", () => {
    it("accepts the inline-table form", () => {
      const m = parseManifest(project("", '"@orilib/parser" = { version = "3.0.2", features = ["unicode"] }'));
      expect(m.dependencies).toEqual([
        { name: "@orilib/parser", version: "3.0.2", features: ["unicode"], defaultFeatures: true },
      ]);
    });

    it("accepts an exact pre-release (an explicit opt-in)", () => {
      const m = parseManifest(
        project("", '@orilib/utils = "2.0.0-beta.1"\n[dependencies.@orilib/parser]\nversion = "1.0.0-rc.2"'),
      );
      expect(m.dependencies.map((d) => d.version)).toEqual(["1.0.0-rc.2", "2.0.0-beta.1"]);
    });

    it("lists [dev-dependencies] apart, with the same rules", () => {
      const m = parseManifest(
        project("", '@orilib/utils = "2.0.1"') +
          '[dev-dependencies]\n@orilib/test-helpers = "1.0.0"\n@orilib/utils = { version = "2.0.1", features = ["testing"] }\n',
      );
      expect(m.dependencies.map((d) => d.name)).toEqual(["@orilib/utils"]);
      expect(m.devDependencies).toEqual([
        { name: "@orilib/test-helpers", version: "1.0.0", features: [], defaultFeatures: true },
        { name: "@orilib/utils", version: "2.0.1", features: ["testing"], defaultFeatures: true },
      ]);
      expect(codeOf(project("") + '[dev-dependencies]\n@orilib/test-helpers = "^1.0"\n')).toBe("dependency_not_exact");
      expect(codeOf(project("") + '[dev-dependencies]\n@acme/app = "1.0.0"\n')).toBe("dependency_on_self");
      expect(codeOf(project("") + '[dev-dependencies]\n"@x/y" = { path = "../y" }\n')).toBe("invalid_dependency");
    });

    it("refuses one package at two versions (Ori's single-version policy)", () => {
      const err = errorOf(() =>
        parseManifest(project("", '@orilib/utils = "2.0.1"') + '[dev-dependencies]\n@orilib/utils = "2.0.2"\n'),
      );
      expect(err.code).toBe("invalid_dependency");
      expect(err.message).toMatch(/2\.0\.1 in \[dependencies\] but 2\.0\.2/);
    });

    it.each([
      "^1.0.0",
      "^1.0",
      ">=1",
      "~1.2.3",
      "1.x",
      "*",
      "1.0",
      "latest",
      "1.0.0+build",
      "1.0.0-rc.1+b",
      ">=1.0.0, <2.0.0",
      "=1.0.0",
      "v1.0.0",
      "1.0.0-01",
    ])("rejects %j as dependency_not_exact", (range) => {
      expect(codeOf(project("", `"@orilib/utils" = "${range}"`))).toBe("dependency_not_exact");
      expect(codeOf(project("", `@orilib/utils = "${range}"`))).toBe("dependency_not_exact");
      expect(codeOf(project("", `"@orilib/utils" = { version = "${range}" }`))).toBe("dependency_not_exact");
    });

    it("rejects a registry dependency written alone, with its position", () => {
      const err = errorOf(() => parseManifest(project("", "std.json\n@orilib/utils")));
      expect(err.code).toBe("dependency_not_exact");
      expect(err.message).toMatch(/line 9, column 1/);
    });

    it("rejects a dependency on itself", () => {
      expect(codeOf(project("", '"@acme/app" = "1.0.0"'))).toBe("dependency_on_self");
    });

    it("reads default-features", () => {
      expect(
        parseManifest(project("", '@a/b = { version = "1.0.0", default-features = false }')).dependencies[0]
          ?.defaultFeatures,
      ).toBe(false);
      expect(codeOf(project("", '@a/b = { version = "1.0.0", default-features = "no" }'))).toBe("invalid_dependency");
    });

    it.each([
      ["an invalid name", '"@Orilib/utils" = "1.0.0"'],
      ["an invalid bare name", '@Orilib/utils = "1.0.0"'],
      ["a name without scope", 'utils = "1.0.0"'],
      ["a reserved name", '"@acme/tmp" = "1.0.0"'],
      ["a path dependency", '"@orilib/utils" = { path = "../utils", version = "1.0.0" }'],
      ["a git dependency", '"@orilib/utils" = { git = "https://x" }'],
      ["a table without version", '"@orilib/utils" = { features = ["a"] }'],
      ["a number", '"@orilib/utils" = 1'],
      ["bad features", '"@orilib/utils" = { version = "1.0.0", features = "a" }'],
      ["a bad feature name", '"@orilib/utils" = { version = "1.0.0", features = ["a b"] }'],
    ])("rejects %s as invalid_dependency", (_, line) => {
      expect(codeOf(project("", line))).toBe("invalid_dependency");
    });

    it("allows at most 128 entries per table", () => {
      const deps = (n: number) => Array.from({ length: n }, (_, i) => `@s/p${i} = "1.0.0"`).join("\n");
      expect(parseManifest(project("", deps(128))).dependencies).toHaveLength(128);
      expect(codeOf(project("", deps(129)))).toBe("manifest_invalid_field");
    });
  });

  describe("[project] fields of Ori's proposal", () => {
    it("reads funding as an http(s) URL and edition as a short word", () => {
      expect(parseManifest(project('funding = "https://opencollective.com/x"\nedition = "2026"'))).toMatchObject({
        funding: "https://opencollective.com/x",
        edition: "2026",
      });
      expect(codeOf(project('funding = "javascript:alert(1)"'))).toBe("manifest_invalid_field");
      expect(codeOf(project("funding = 1"))).toBe("manifest_invalid_field");
      expect(codeOf(project('edition = "20 26"'))).toBe("manifest_invalid_field");
      expect(codeOf(project(`edition = "${"2".repeat(17)}"`))).toBe("manifest_invalid_field");
      expect(codeOf(project('edition = "2026\\u0007"'))).toBe("manifest_invalid_field");
    });

    it("reads [project.entry] paths under src/", () => {
      expect(parseManifest(project('[project.entry]\nlib = "src/lib.ori"')).entry).toEqual({
        lib: "src/lib.ori",
        main: null,
      });
      for (const bad of [
        'lib = "lib.ori"',
        'lib = "src/../x.ori"',
        'lib = "/src/lib.ori"',
        'main = "src\\\\main.ori"',
        'main = "src/"',
        "main = 1",
        'lib = ""',
        'lib = "src/a\\u0000"',
      ]) {
        expect(codeOf(project(`[project.entry]\n${bad}`)), bad).toBe("manifest_invalid_field");
      }
      expect(codeOf(project("entry = 1"))).toBe("invalid_manifest");
    });
  });

  describe("[scripts]", () => {
    it.each([
      ["top-level table", project("", "") + '[scripts]\nbuild = "make"\n'],
      ["nested table", project("[project.scripts]\nx = 1")],
      ["array of tables", project("") + "[[scripts]]\nx = 1\n"],
      ["top-level key", 'scripts = "make"\n' + project("")],
      ["deep table", project("") + "[tool.thing.scripts]\nx = 1\n"],
    ])("rejects a %s as manifest_has_scripts", (_, text) => {
      expect(codeOf(text)).toBe("manifest_has_scripts");
    });

    it("allows a feature named scripts", () => {
      expect(parseManifest(project("") + '[features]\nscripts = ["std.json"]\n').features).toEqual({
        scripts: ["std.json"],
      });
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
      expect(
        errorOf(() => parseManifest('[project]\nname = "@acme/app"\nversion = "1.0.0"\nori = "0.5.0"\n')).details,
      ).toEqual({ field: "project.description" });
    });
  });

  describe("field rules", () => {
    it("checks name and version with the package rules", () => {
      expect(codeOf(project("").replace("@acme/app", "@Acme/app"))).toBe("invalid_name");
      expect(codeOf(project("").replace("@acme/app", "@acme/test"))).toBe("reserved_name");
      expect(codeOf(project("").replace("1.2.3", "1.2"))).toBe("invalid_version");
      expect(codeOf(project("").replace("1.2.3", "1.2.3+build"))).toBe("invalid_version");
      expect(parseManifest(project("").replace("1.2.3", "1.2.3-beta.1")).version).toBe("1.2.3-beta.1");
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

    it("features name features of this package, std modules or a dependency's features", () => {
      const m = parseManifest(
        project("", '@orilib/parser = "3.0.2"') +
          '[features]\ndefault = ["json", "fast"]\njson = ["std.json", "std.encoding.base64"]\nfast = ["@orilib/parser/simd", "@orilib/parser"]\n',
      );
      expect(m.features).toEqual({
        default: ["json", "fast"],
        json: ["std.json", "std.encoding.base64"],
        fast: ["@orilib/parser/simd", "@orilib/parser"],
      });
    });

    it.each([
      ["an unknown feature", 'default = ["json"]'],
      ["a bad std name", 'json = ["std.JSON"]'],
      ["std alone", 'json = ["std"]'],
      ["a package that is not a dependency", 'x = ["@orilib/other/simd"]'],
      ["a dev-dependency", 'x = ["@orilib/test-helpers/mocks"]'],
      ["a bad dependency feature", 'x = ["@orilib/parser/a b"]'],
      ["too many slashes", 'x = ["@orilib/parser/a/b"]'],
      ["a control character", 'x = ["a\\u0000"]'],
      ["an empty entry", 'x = [""]'],
    ])("refuses a feature naming %s", (_, line) => {
      const text =
        project("", '@orilib/parser = "3.0.2"') +
        '[dev-dependencies]\n@orilib/test-helpers = "1.0.0"\n[features]\n' +
        line +
        "\n";
      expect(codeOf(text)).toBe("manifest_invalid_field");
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
