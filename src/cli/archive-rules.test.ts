// The CLI applies the registry's archive rules itself (src/processing/): `pack` refuses paths
// that are not portable, and `download` refuses an archive the registry would refuse today —
// the three tar tricks of issue 11, published before the canonical subset — writing nothing.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildArchive } from "../../test/helpers/archive-builder";
import { PUBLISHED_CASES, publishedCase } from "../../test/helpers/published-cases";
import { FakeRegistry } from "./fake-registry";
import { cli, sampleProject, tempDir } from "./test-io";

let home: string;
let project: string;
beforeEach(() => {
  home = tempDir("ori-home-");
  project = sampleProject();
});
afterEach(() => [home, project].forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("ori-registry pack refuses paths that are not portable", () => {
  it.each([
    ["a Windows device name", "src/nul.ori", "unsafe_path"],
    ["a device name without extension", "src/CON", "unsafe_path"],
    ["a trailing dot", "src/util.ori.", "unsafe_path"],
    ["a trailing space", "src/util.ori ", "unsafe_path"],
    ["a character Windows cannot store", "src/a?b.ori", "unsafe_path"],
    ["a bidi override", "src/txt.\u202eiro", "unsafe_path"],
    ["a zero-width space", "src/ma\u200bin.ori", "unsafe_path"],
    ["a C1 control", "src/a\u0085.ori", "unsafe_path"],
    ["final sigma next to sigma", "src/σ.ori|src/ς.ori", "duplicate_path"],
    ["micro sign next to mu", "src/µ.ori|src/μ.ori", "duplicate_path"],
    ["NFD next to NFC", "src/e\u0301.ori|src/\u00e9.ori", "duplicate_path"],
  ])("%s", async (_, paths, code) => {
    for (const p of paths.split("|")) writeFileSync(join(project, p), "x");
    const res = await cli(["pack", "-o", "out.oripk"], { cwd: project });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(code);
    expect(existsSync(join(project, "out.oripk"))).toBe(false);
  });
});

describe("ori-registry download refuses an archive outside the registry's rules", () => {
  let registry: FakeRegistry;
  let env: Record<string, string>;
  beforeEach(() => {
    registry = new FakeRegistry();
    env = {
      ORI_REGISTRY_CONFIG_DIR: join(home, "config"),
      ORI_REGISTRY_CACHE_DIR: join(home, "cache"),
      ORI_REGISTRY_URL: "http://127.0.0.1:9",
    };
  });
  const download = () =>
    cli(["download", "@acme/demo", "1.0.0", "-o", "got.oripk"], { cwd: project, env, fetch: registry.fetch });

  it("downloads a valid archive logged the same way", async () => {
    registry.storeUnchecked("@acme/demo", "1.0.0", await buildArchive({ name: "@acme/demo", version: "1.0.0" }));
    expect((await download()).code).toBe(0);
    expect(existsSync(join(project, "got.oripk"))).toBe(true);
  });

  it.each(PUBLISHED_CASES.map((c, i) => [i + 1, c.name, i] as const))("case %i: %s", async (_, __, i) => {
    registry.storeUnchecked("@acme/demo", "1.0.0", await publishedCase(i, "@acme/demo", "1.0.0"));
    const res = await download();
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("VERIFICATION FAILED");
    expect(res.stderr).toContain("ambiguous_tar");
    expect(existsSync(join(project, "got.oripk"))).toBe(false);
  });

  it("refuses an archive whose manifest names another package or version", async () => {
    registry.storeUnchecked("@acme/demo", "1.0.0", await buildArchive({ name: "@acme/other", version: "1.0.0" }));
    expect((await download()).stderr).toContain("name_mismatch");
    registry.storeUnchecked("@acme/demo", "1.0.0", await buildArchive({ name: "@acme/demo", version: "2.0.0" }));
    const res = await download();
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/version in the archive's oripk.toml.*expected 1\.0\.0, got 2\.0\.0/);
  });
});
