// The build info the Worker reports (scripts/build-info.mjs): the version and commit of this
// checkout, no commit outside one, and a --define that wrangler reads back whole (it splits
// KEY:VALUE at the first colon; the JSON has more).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDefine, buildDefineArgs, buildInfo } from "./build-info.mjs";

const root = join(import.meta.dirname, "..");

describe("buildInfo", () => {
  it("names this checkout's version and commit, and the time given", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    const info = buildInfo(root, now);
    const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root }).toString().trim();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.commit).toMatch(new RegExp(`^${head}(-dirty)?$`));
    expect(info.builtAt).toBe("2026-12-01T10:00:00.000Z");
  });

  it("has no commit outside a git checkout", () => {
    const dir = mkdtempSync(join(tmpdir(), "ori-build-info-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ version: "9.9.9" }));
      expect(buildInfo(dir)).toMatchObject({ version: "9.9.9", commit: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is one JSON define, and a --define wrangler splits at its first colon only", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    const define = buildDefine(root, now);
    expect(JSON.parse(define.__ORI_BUILD__)).toEqual(buildInfo(root, now));
    const [flag, value] = buildDefineArgs(root, now);
    expect(flag).toBe("--define");
    const [key, ...rest] = value.split(":");
    expect(key).toBe("__ORI_BUILD__");
    expect(JSON.parse(rest.join(":"))).toEqual(buildInfo(root, now));
  });
});
