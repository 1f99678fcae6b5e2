// The Ori project fixture (test/fixtures/ori-project: DESIGN §1's manifest verbatim, [scripts]
// included) through the CLI against an in-memory registry: its dependencies publish, `download
// --lock` writes the very [checksums] lock the fixture carries, the fixture packs and publishes
// unchanged, and `verify` proves its lock. Also: the in-memory copy workerd tests use is exactly
// what the CLI reads from disk, and the committed locks hold the real checksums.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ORI_DEPENDENCIES,
  ORI_PROJECT,
  ORI_PROJECT_MANIFEST,
  packFixture,
  type FixtureProject,
} from "../../test/helpers/ori-fixture";
import { formatLockfile } from "../domain/lockfile";
import { parseManifest } from "../domain/manifest";
import { gunzip } from "../processing/gunzip";
import { readTar } from "../processing/tar";
import { FakeRegistry } from "./fake-registry";
import { collectProjectFiles } from "./project-files";
import { cli, tempDir } from "./test-io";

const FIXTURES = join(import.meta.dirname, "..", "..", "test", "fixtures");
const dirOf = (f: FixtureProject) => join(FIXTURES, f.dir);

describe("the Ori project fixture", () => {
  it.each([ORI_PROJECT, ...ORI_DEPENDENCIES].map((f) => [f.dir, f] as const))(
    "%s in memory is exactly what the CLI packs from disk",
    (_, f) => {
      const disk = collectProjectFiles(dirOf(f));
      expect(disk.manifestText).toBe(f.manifest);
      expect([...disk.files.keys()]).toEqual([...f.files.keys()]);
      for (const [path, bytes] of disk.files) expect(new Uint8Array(bytes), path).toEqual(f.files.get(path));
    },
  );

  it("carries the real checksums of its dependencies' reproducible archives", async () => {
    const packed = await Promise.all(ORI_DEPENDENCIES.map(packFixture));
    const entries = packed.map((p) => ({ name: p.name, version: p.version, sha256: p.sha256 }));
    // If packing ever changes, this names the lock to commit.
    expect(new TextDecoder().decode(ORI_PROJECT.files.get("oripk.lock")), `expected:\n${formatLockfile(entries)}`).toBe(
      formatLockfile(entries),
    );
    const parser = ORI_DEPENDENCIES.find((d) => d.dir.endsWith("parser"))!;
    expect(new TextDecoder().decode(parser.files.get("oripk.lock"))).toBe(
      formatLockfile(entries.filter((e) => e.name === "@orilib/utils")),
    );
  });

  it("packs with only [scripts] removed, and the archive passes the registry's checks", async () => {
    const packed = await packFixture(ORI_PROJECT);
    expect(packed.strippedScripts).toBe(true);
    expect(packed.processed.files.map((f) => f.path)).toEqual([
      "CHECKSUM",
      "LICENSE",
      "README.md",
      "oripk.lock",
      "oripk.toml",
      "src/lib.ori",
      "src/main.ori",
    ]);
    const withoutScripts = ORI_PROJECT.manifest.replace(
      '[scripts]                              # stripped by the client before upload\ndev = "ori build --watch"\n\n',
      "",
    );
    expect(withoutScripts).not.toContain("[scripts]");
    const packedManifest = readTar(gunzip(packed.bytes)).find((e) => e.path === "oripk.toml")!;
    expect(new TextDecoder().decode(packedManifest.data)).toBe(withoutScripts);
    expect(packed.processed.manifest).toEqual(parseManifest(withoutScripts));
    expect(packed.processed.manifest).toEqual(ORI_PROJECT_MANIFEST);
    expect(packed.processed.lock.map((e) => `${e.name}:${e.version}`)).toEqual([
      "@orilib/parser:3.0.2",
      "@orilib/test-helpers:1.0.0",
      "@orilib/utils:2.0.1",
    ]);
  });
});

describe("the fixture through the CLI: publish its dependencies → download --lock → publish → verify", () => {
  let work: string;
  let env: Record<string, string>;
  let registry: FakeRegistry;

  beforeEach(() => {
    work = tempDir("ori-fixture-");
    registry = new FakeRegistry();
    env = {
      ORI_REGISTRY_CONFIG_DIR: join(work, "config"),
      ORI_REGISTRY_CACHE_DIR: join(work, "cache"),
      ORI_REGISTRY_URL: "http://127.0.0.1:9",
      ORI_REGISTRY_TOKEN: "ori_t",
    };
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const run = (cwd: string, ...argv: string[]) => cli(argv, { cwd, env, fetch: registry.fetch });
  const copy = (f: FixtureProject) => {
    const to = join(work, f.dir);
    cpSync(dirOf(f), to, { recursive: true });
    return to;
  };

  it("writes the fixture's own lock from what the registry served, and the fixture verifies with it", async () => {
    for (const dep of ORI_DEPENDENCIES) {
      const res = await run(copy(dep), "publish", "--json");
      expect(res.code, res.stderr).toBe(0);
    }
    const lock = join(work, "generated.lock");
    for (const [name, version] of [
      ["@orilib/utils", "2.0.1"],
      ["@orilib/parser", "3.0.2"],
      ["@orilib/test-helpers", "1.0.0"],
    ] as const) {
      const res = await run(
        work,
        "download",
        `${name}@${version}`,
        "-o",
        join(work, `${version}.oripk`),
        "--lock",
        lock,
        "--json",
      );
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout).lock).toMatchObject({ path: lock, added: true });
    }
    expect(readFileSync(lock, "utf8")).toBe(new TextDecoder().decode(ORI_PROJECT.files.get("oripk.lock")));

    const project = copy(ORI_PROJECT);
    const manifestBefore = readFileSync(join(project, "oripk.toml"), "utf8");
    const published = await run(project, "publish", "--json");
    expect(published.code, published.stderr).toBe(0);
    expect(JSON.parse(published.stdout)).toMatchObject({
      name: "@myorg/my-project",
      version: "1.0.0",
      strippedScripts: true,
      log: { verified: true },
    });
    expect(readFileSync(join(project, "oripk.toml"), "utf8")).toBe(manifestBefore);

    const verified = await run(project, "verify", "--json");
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ verified: 3 });
    const human = await run(project, "verify");
    expect(human.stdout).toMatch(/All 3 entries of .*oripk\.lock are in the log/);
  });

  it("download --lock refuses a lock that pins other bytes for the version (exit 4), and writes nothing", async () => {
    const [utils] = ORI_DEPENDENCIES;
    expect((await run(copy(utils!), "publish")).code).toBe(0);
    const lock = join(work, "oripk.lock");
    const pinned = `[checksums]\n"@orilib/utils:2.0.1" = "sha256:${"1".repeat(64)}"\n`;
    writeFileSync(lock, pinned);
    const res = await run(work, "download", "@orilib/utils", "2.0.1", "--lock", lock);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/line already in the lock file/);
    expect(readFileSync(lock, "utf8")).toBe(pinned);
    expect(existsSync(join(work, "orilib-utils-2.0.1.oripk"))).toBe(false);
  });

  it("download --lock keeps other lines and writes a top-level lock back in the [checksums] form", async () => {
    const [utils] = ORI_DEPENDENCIES;
    expect((await run(copy(utils!), "publish")).code).toBe(0);
    const lock = join(work, "oripk.lock");
    const other = `"@acme/other:1.0.0-beta.1" = "sha256:${"2".repeat(64)}"\n`;
    writeFileSync(lock, other);
    const res = await run(work, "download", "@orilib/utils", "2.0.1", "--lock", lock);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/recorded .*oripk\.lock: "@orilib\/utils:2\.0\.1" = "sha256:/);
    const text = readFileSync(lock, "utf8");
    expect(text).toBe(
      `[checksums]\n${other}"@orilib/utils:2.0.1" = "sha256:${registry.find("@orilib/utils", "2.0.1")!.sha256}"\n`,
    );
    // Again: the line is there already, nothing changes.
    const again = await run(work, "download", "@orilib/utils", "2.0.1", "--lock", lock, "--json");
    expect(JSON.parse(again.stdout).lock.added).toBe(false);
    expect(readFileSync(lock, "utf8")).toBe(text);
  });
});
