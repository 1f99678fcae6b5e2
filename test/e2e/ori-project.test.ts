// End to end: the Ori project exactly as DESIGN §1 shows it (test/fixtures/ori-project, its
// manifest verbatim with [scripts]) through the built CLI against the real dev server. Its
// dependencies are published first (the registry refuses pins it does not have), `download
// --lock` writes the [checksums] lock from what the registry served — the very lock the fixture
// carries — then the fixture publishes unchanged, its metadata has every field, it downloads
// and its lock verifies. A pre-release and a stable version list in SemVer order.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "./dev-server";
import { ORI_PROJECT_MANIFEST } from "../helpers/ori-fixture";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join(root, "test", "fixtures");
const cliPath = join(root, "dist", "cli.mjs");
const work = mkdtempSync(join(tmpdir(), "ori-e2e-project-"));
const project = join(work, "ori-project");
const DEPENDENCIES = [
  ["utils", "@orilib/utils", "2.0.1"],
  ["parser", "@orilib/parser", "3.0.2"],
  ["test-helpers", "@orilib/test-helpers", "1.0.0"],
] as const;
let server: DevServer;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function ori(args: string[], cwd = project): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: join(work, "home"),
        ORI_REGISTRY_CONFIG_DIR: join(work, "home", "config"),
        ORI_REGISTRY_CACHE_DIR: join(work, "home", "cache"),
        ORI_REGISTRY_URL: server.url,
        ORI_REGISTRY_TOKEN: server.adminToken,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  const build = spawnSync(process.execPath, [join(root, "scripts", "build-cli.mjs")], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`CLI build failed:\n${build.stderr}`);
  cpSync(join(fixtures, "ori-project"), project, { recursive: true });
  for (const [dir] of DEPENDENCIES)
    cpSync(join(fixtures, "ori-deps", dir), join(work, "deps", dir), { recursive: true });
  mkdirSync(join(work, "server"), { recursive: true });
  server = await startDevServer({ dir: join(work, "server") });
});

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("DESIGN §1's project through ori-registry and the dev server", () => {
  let packedSha: string;

  it("packs with [scripts] stripped, and is refused while its dependencies are not published", async () => {
    const packed = await ori(["pack", "-o", join(work, "project.oripk"), "--json"]);
    expect(packed.code, packed.stderr).toBe(0);
    expect(packed.json()).toMatchObject({ name: "@myorg/my-project", version: "1.0.0", strippedScripts: true });
    packedSha = sha256(readFileSync(join(work, "project.oripk")));

    const refused = await ori(["publish"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/dependency_not_found/);
    expect(refused.stderr).toMatch(/@orilib\/parser 3\.0\.2/);
  });

  it("publishes the dependencies, then writes the fixture's own [checksums] lock from what the registry served", async () => {
    for (const [dir] of DEPENDENCIES) {
      const res = await ori(["publish", "-C", join(work, "deps", dir), "--json"]);
      expect(res.code, res.stderr).toBe(0);
    }
    const lock = join(work, "generated.lock");
    for (const [, name, version] of DEPENDENCIES) {
      const res = await ori(["download", name, version, "-o", join(work, `${version}.oripk`), "--lock", lock], work);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/recorded .*generated\.lock/);
    }
    expect(readFileSync(lock, "utf8")).toBe(readFileSync(join(project, "oripk.lock"), "utf8"));
  });

  it("publishes the project unchanged and verifies the log proof", async () => {
    const before = readFileSync(join(project, "oripk.toml"), "utf8");
    const res = await ori(["publish", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject({
      name: "@myorg/my-project",
      version: "1.0.0",
      sha256: packedSha,
      created: true,
      log: { verified: true },
    });
    expect(readFileSync(join(project, "oripk.toml"), "utf8")).toBe(before);
  });

  it("info serves dependencies with features, dev-dependencies, entry, funding and edition", async () => {
    const res = await ori(["info", "@myorg/my-project", "1.0.0", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject(ORI_PROJECT_MANIFEST);
    const human = await ori(["info", "@myorg/my-project", "1.0.0"]);
    expect(human.stdout).toMatch(/dependencies: +@orilib\/parser@3\.0\.2 \[unicode\] \(no default features\)/);
    expect(human.stdout).toMatch(/dev-dependencies: +@orilib\/test-helpers@1\.0\.0/);
    expect(human.stdout).toMatch(/entry: +lib src\/lib\.ori, main src\/main\.ori/);
  });

  it("downloads the same bytes, and verifies the project's [checksums] lock against the log", async () => {
    const dl = await ori(["download", "@myorg/my-project@1.0.0", "-o", join(work, "dl.oripk")]);
    expect(dl.code, dl.stderr).toBe(0);
    expect(sha256(readFileSync(join(work, "dl.oripk")))).toBe(packedSha);
    const verified = await ori(["verify", "--json"]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({
      verified: 3,
      entries: [
        { name: "@orilib/parser", ok: true },
        { name: "@orilib/test-helpers", ok: true },
        { name: "@orilib/utils", ok: true },
      ],
    });
  });

  it("lists a pre-release and the stable version in SemVer order, with the stable one as latest", async () => {
    const manifest = readFileSync(join(project, "oripk.toml"), "utf8");
    writeFileSync(
      join(project, "oripk.toml"),
      manifest.replace(
        'version = "1.0.0"                      # semver',
        'version = "1.1.0-beta.1"               # semver',
      ),
    );
    const pre = await ori(["publish", "--json"]);
    expect(pre.code, pre.stderr).toBe(0);
    expect(pre.json()).toMatchObject({ version: "1.1.0-beta.1" });

    const info = await ori(["info", "@myorg/my-project", "--json"]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.json()).toMatchObject({
      latest: { version: "1.0.0", prerelease: false },
      versions: [{ version: "1.0.0" }, { version: "1.1.0-beta.1" }],
    });
    const list = (await (await fetch(`${server.url}/v1/packages/@myorg/my-project/versions`)).json()) as {
      latest: string;
    };
    expect(list.latest).toBe("1.0.0");
    const human = await ori(["info", "@myorg/my-project"]);
    // The version table, newest first by SemVer precedence.
    const rows = human.stdout.split("\n").flatMap((l) => /^(\d\S*) +\d{4}-/.exec(l)?.[1] ?? []);
    expect(rows).toEqual(["1.1.0-beta.1", "1.0.0"]);

    // Search shows the stable version once the reindex job has run (eventually consistent: poll, bounded).
    let hit: { name: string; version: string } | undefined;
    for (let i = 0; i < 40 && !hit; i++) {
      const res = await ori(["search", "useful", "library", "--json"]);
      hit =
        res.code === 0
          ? (res.json().results as { name: string; version: string }[]).find((h) => h.name === "@myorg/my-project")
          : undefined;
      if (!hit) await new Promise((r) => setTimeout(r, 250));
    }
    expect(hit).toMatchObject({ version: "1.0.0" });
  });
});
