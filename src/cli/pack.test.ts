// `ori-registry pack`: reproducible bytes, [scripts] stripped, CHECKSUM written, local errors.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { cli, sampleProject, tempDir } from "./test-io";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const keep = (d: string) => (dirs.push(d), d);

/** The text of one file inside a (small, ustar) archive. */
function fileInArchive(archive: Uint8Array, path: string): string | null {
  const tar = gunzipSync(archive);
  for (let off = 0; off + 512 <= tar.length;) {
    const name = new TextDecoder().decode(tar.subarray(off, off + 100)).replace(/\0.*$/s, "");
    if (!name) return null;
    const size = parseInt(new TextDecoder().decode(tar.subarray(off + 124, off + 136)), 8);
    if (name === path) return new TextDecoder().decode(tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}

describe("ori-registry pack", () => {
  it("gives byte-identical archives for the same sources, wherever and whenever packed", async () => {
    const a = keep(sampleProject());
    const first = await cli(["pack", "-o", "a.oripk", "--json"], { cwd: a });
    expect(first.code).toBe(0);
    // Another directory, later, with other file times: the same bytes.
    await new Promise((r) => setTimeout(r, 20));
    const b = keep(sampleProject());
    const second = await cli(["pack", "-o", "b.oripk", "--json"], { cwd: b });
    const bytesA = readFileSync(join(a, "a.oripk"));
    const bytesB = readFileSync(join(b, "b.oripk"));
    expect(Buffer.compare(bytesA, bytesB)).toBe(0);
    expect(JSON.parse(first.stdout).sha256).toBe(JSON.parse(second.stdout).sha256);
    expect(JSON.parse(first.stdout).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("strips [scripts] from the packed manifest and writes CHECKSUM", async () => {
    const dir = keep(sampleProject());
    const res = await cli(["pack"], { cwd: dir });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("[scripts]");
    const archive = readFileSync(join(dir, "acme-demo-1.0.0.oripk"));
    const manifest = fileInArchive(archive, "oripk.toml")!;
    expect(manifest).not.toContain("[scripts]");
    expect(manifest).toContain("std.json");
    expect(fileInArchive(archive, "CHECKSUM")).toMatch(
      /^sha256:[0-9a-f]{64} {2}README\.md\nsha256:[0-9a-f]{64} {2}oripk\.lock\n/,
    );
    // The project's own manifest is untouched.
    expect(readFileSync(join(dir, "oripk.toml"), "utf8")).toContain("[scripts]");
  });

  it("fails as a local error (exit 1) with the registry's code when the project would be refused", async () => {
    const dir = keep(
      sampleProject(tempDir(), '[project]\nname = "@acme/demo"\nversion = "1.0"\ndescription = "d"\nori = "0.5.0"\n'),
    );
    const res = await cli(["pack"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("[invalid_version]");
  });

  it("reports a manifest line that is neither TOML nor a dependency key with its code, line and column", async () => {
    const dir = keep(
      sampleProject(
        tempDir(),
        '[project]\nname = "@acme/demo"\nversion = "1.0.0"\ndescription = "d"\nori = "0.5.0"\n\n[dependencies]\n  @orilib/utils\n',
      ),
    );
    const res = await cli(["pack", "--json"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).error).toMatchObject({
      kind: "local",
      code: "dependency_not_exact",
      message: expect.stringMatching(/line 8, column 3/),
    });
  });

  it("refuses [publish] include entries the registry would reject", async () => {
    const dir = keep(sampleProject());
    writeFileSync(
      join(dir, "oripk.toml"),
      `${readFileSync(join(dir, "oripk.toml"), "utf8")}\n[publish]\ninclude = ["src", "NOTES.txt"]\n`,
    );
    writeFileSync(join(dir, "NOTES.txt"), "x");
    const res = await cli(["pack", "--json"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).error).toMatchObject({ kind: "local", code: "unexpected_file" });
  });

  it("fails without a project (exit 1) and on a usage error (exit 2)", async () => {
    const empty = keep(tempDir());
    expect((await cli(["pack"], { cwd: empty })).code).toBe(1);
    expect((await cli(["pack", "extra"], { cwd: empty })).code).toBe(2);
  });
});
