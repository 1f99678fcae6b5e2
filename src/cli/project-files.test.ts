// Which project files go into an archive, and the [publish] include/exclude patterns.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectProjectFiles, globToRegExp, mayContain } from "./project-files";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ori-project-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const manifest = (extra = "") =>
  `[project]\nname = "@acme/demo"\nversion = "1.0.0"\ndescription = "d"\nori = "0.5.0"\n${extra}`;

describe("collectProjectFiles", () => {
  const tree = (publish: string) => ({
    "oripk.toml": manifest(publish),
    "oripk.lock": "[checksums]\n",
    "README.md": "# demo",
    "LICENSE-MIT": "mit",
    "CHANGELOG.md": "log",
    "notes.txt": "not packed",
    "src/main.ori": "fn main() {}",
    "src/lib/b.ori": "b",
    "src/lib/fixture.json": "{}",
    "src/.hidden": "skipped",
    "src/scratch/tmp.ori": "excluded",
    "target/build.bin": "never read",
    CHECKSUM: "stale, regenerated",
  });

  it("takes the lock file, README, LICENSE* and src/ by default, minus [publish] exclude, sorted", () => {
    const dir = project(tree('[publish]\nexclude = ["src/scratch/**"]\n'));
    expect([...collectProjectFiles(dir).files.keys()]).toEqual([
      "LICENSE-MIT",
      "README.md",
      "oripk.lock",
      "src/lib/b.ori",
      "src/lib/fixture.json",
      "src/main.ori",
    ]);
  });

  it("takes only what [publish] include lists (and the lock file), minus exclude", () => {
    const dir = project(
      tree('[publish]\ninclude = ["src/**/*.ori", "README.md", "CHANGELOG.md"]\nexclude = ["src/scratch/**"]\n'),
    );
    // CHANGELOG.md is collected, and `pack` then refuses it with the registry's unexpected_file.
    expect([...collectProjectFiles(dir).files.keys()]).toEqual([
      "CHANGELOG.md",
      "README.md",
      "oripk.lock",
      "src/lib/b.ori",
      "src/main.ori",
    ]);
    expect(() => collectProjectFiles(project(tree('[publish]\ninclude = ["README.md"]\n')))).toThrow(
      /src has no files \(or \[publish\] include lists none of them\)/,
    );
    expect(() => collectProjectFiles(project(tree("[publish]\ninclude = []\n")))).toThrow(/include lists none of them/);
  });

  it("requires oripk.toml, oripk.lock and some source", () => {
    expect(() => collectProjectFiles(project({ "src/a.ori": "" }))).toThrow(/no oripk.toml/);
    expect(() => collectProjectFiles(project({ "oripk.toml": manifest(), "src/a.ori": "" }))).toThrow(/no oripk.lock/);
    expect(() => collectProjectFiles(project({ "oripk.toml": manifest(), "oripk.lock": "[checksums]\n" }))).toThrow(
      /src/,
    );
  });

  it("refuses symbolic links it would pack", () => {
    const dir = project({ "oripk.toml": manifest(), "oripk.lock": "[checksums]\n", "src/a.ori": "a" });
    symlinkSync(join(dir, "src/a.ori"), join(dir, "src/link.ori"));
    expect(() => collectProjectFiles(dir)).toThrow(/src\/link.ori is a symbolic link/);
  });
});

describe("path patterns", () => {
  it("match like gitignore-lite globs", () => {
    expect(globToRegExp("docs").test("docs/a/b.md")).toBe(true);
    expect(globToRegExp("docs/*.md").test("docs/a.md")).toBe(true);
    expect(globToRegExp("docs/*.md").test("docs/x/a.md")).toBe(false);
    expect(globToRegExp("**/*.md").test("a/b/c.md")).toBe(true);
    expect(globToRegExp("**/*.md").test("c.md")).toBe(true);
    expect(globToRegExp("CHANGELOG.md").test("CHANGELOGxmd")).toBe(false);
    expect(mayContain("docs/**/*.md", "docs/guide")).toBe(true);
    expect(mayContain("docs/**/*.md", "target")).toBe(false);
  });
});
