// A registry (or a package on it) that puts escape sequences in its text cannot drive the
// terminal of someone running `info` or `search`: every human output path shows them as visible
// escapes, a multi-line value cannot fake a line of ours, and --json stays the same JSON value
// with nothing raw a terminal could obey.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cli, tempDir } from "./test-io";

const ESC = "\u001b";
const EVIL = `${ESC}[2J${ESC}[H${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\ \u0007\u009b2J\u202eterces\u2028`;
const FAKE_LINE = "\nsha256:      0000000000000000000000000000000000000000000000000000000000000000 VERIFIED";
/** What a terminal could obey: every control but the line feeds of the output itself. */
const OBEYABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const sha = "a".repeat(64);
const metadata = {
  name: "@evil/pkg",
  version: "1.0.0",
  description: `A library${EVIL}${FAKE_LINE}`,
  license: `MIT${EVIL}`,
  authors: [`Eve${EVIL}`],
  repository: `https://example.com/${EVIL}`,
  keywords: [`kw${EVIL}`],
  categories: [],
  ori: "0.5.0",
  dependencies: [{ name: `@dep/x${EVIL}`, version: "1.0.0", features: [EVIL] }],
  features: {},
  sha256: sha,
  size: 10,
  publishedAt: `2026-01-01T00:00:00Z${EVIL}`,
  publishedBy: `eve${EVIL}`,
  logIndex: 0,
  yanked: false,
  deprecated: `use something else${EVIL}${FAKE_LINE}`,
  removed: null,
  deleted: null,
  readme: null,
  advisories: [
    {
      id: `ORI-2026-0001${EVIL}`,
      summary: `Bad${EVIL}`,
      aliases: [],
      severity: [{ type: `CVSS_V3${EVIL}`, vector: `CVSS:3.1/AV:N${EVIL}`, baseScore: null, baseSeverity: null }],
      fixedIn: `1.2.3${EVIL}${FAKE_LINE}`,
      modified: "2026-01-01T00:00:00Z",
      withdrawn: null,
    },
    {
      id: "ORI-2026-0002",
      summary: null,
      aliases: [],
      severity: [{ type: "CVSS_V3", vector: "CVSS:3.1/AV:N", baseScore: 9.8, baseSeverity: "CRITICAL" }],
      fixedIn: null,
      modified: "2026-01-01T00:00:00Z",
      withdrawn: null,
    },
  ],
};
const versions = {
  name: "@evil/pkg",
  versions: [
    {
      version: "1.0.0",
      sha256: sha,
      size: 10,
      publishedAt: `2026${EVIL}`,
      logIndex: 0,
      yanked: false,
      deprecated: EVIL,
      removed: false,
      deleted: false,
      advisories: [`ORI-2026-0001${EVIL}`, "ORI-2026-0002"],
    },
  ],
};
const search = {
  query: "x",
  total: 1,
  limit: 20,
  offset: 0,
  results: [
    {
      name: `@evil/pkg${EVIL}`,
      version: `1.0.0${EVIL}`,
      description: `desc${EVIL}${FAKE_LINE}`,
      keywords: [],
      deprecated: null,
      score: 1,
    },
  ],
};

const hostile = (async (input: RequestInfo | URL) => {
  const p = new URL(String(input instanceof Request ? input.url : input)).pathname;
  if (p.endsWith("/versions")) return Response.json(versions);
  if (p.endsWith("/metadata")) return Response.json(metadata);
  if (p === "/v1/search") return Response.json(search);
  if (p === "/v1/tokens")
    return Response.json({
      tokens: [
        {
          id: `t${EVIL}`,
          name: `deploy${EVIL}${FAKE_LINE}`,
          scopes: ["read"],
          packages: null,
          createdAt: "x",
          expiresAt: null,
          lastUsedAt: null,
        },
      ],
    });
  return Response.json(
    { error: { code: `nope${EVIL}`, message: `refused${EVIL}${FAKE_LINE}` } },
    { status: 403, headers: { "x-request-id": `id${ESC}[2J` } },
  );
}) as typeof fetch;

let home: string;
let env: Record<string, string>;
beforeEach(() => {
  home = tempDir("ori-home-");
  env = {
    ORI_REGISTRY_CONFIG_DIR: join(home, "config"),
    ORI_REGISTRY_CACHE_DIR: join(home, "cache"),
    ORI_REGISTRY_URL: "http://127.0.0.1:9",
    ORI_REGISTRY_TOKEN: "ori_t",
  };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));
const run = (...argv: string[]) => cli(argv, { cwd: home, env, fetch: hostile });

describe("untrusted text in human output", () => {
  it.each([
    ["info (a package)", ["info", "@evil/pkg"]],
    ["info (a version)", ["info", "@evil/pkg", "1.0.0"]],
    ["search", ["search", "x"]],
    ["token list", ["token", "list"]],
    ["a refusal", ["yank", "@evil/pkg", "1.0.0"]],
  ])("%s shows escape sequences as visible escapes, never raw", async (_, argv) => {
    const { stdout, stderr } = await run(...argv);
    expect(stdout + stderr).not.toMatch(OBEYABLE);
    expect(stdout + stderr).toContain("\\x1b[2J");
    // A value's own line break cannot start a line that looks like ours.
    expect(stdout + stderr).not.toMatch(/^sha256: +0{64} VERIFIED/m);
  });

  it("lists a version's advisories, one line each: id, severity, the fix (escaped as the rest)", async () => {
    const { stdout } = await run("info", "@evil/pkg", "1.0.0");
    expect(stdout).toMatch(
      /^advisories: +ORI-2026-0001\\x1b\[2J.* {2}CVSS_V3\\x1b\[2J.* {2}fixed in 1\.2\.3\\x1b\[2J.*\\nsha256: +0{64} VERIFIED\n {14}ORI-2026-0002 {2}9\.8 CRITICAL {2}no fix yet$/m,
    );
    const list = await run("info", "@evil/pkg");
    expect(list.stdout).toMatch(/^1\.0\.0 .*deprecated,2 advisories/m);
  });

  it("keeps a multi-line description readable: continuation lines indented under the value", async () => {
    const { stdout } = await run("info", "@evil/pkg", "1.0.0");
    expect(stdout).toMatch(/^description: +A library\\x1b\[2J.*\n {14}sha256: +0{64} VERIFIED$/m);
  });
});

describe("--json output", () => {
  it.each([[["info", "@evil/pkg", "1.0.0"]], [["search", "x"]], [["yank", "@evil/pkg", "1.0.0"]]])(
    "is the same JSON, with nothing raw a terminal could obey: %j",
    async (argv) => {
      const { stdout } = await run(...argv, "--json");
      expect(stdout).not.toMatch(OBEYABLE);
      const parsed = JSON.parse(stdout) as Record<string, unknown>;
      if (argv[0] === "info") expect(parsed).toEqual(metadata);
      if (argv[0] === "search") expect(parsed).toEqual(search);
      if (argv[0] === "yank")
        expect(JSON.stringify(parsed)).toContain(JSON.stringify(`refused${EVIL}${FAKE_LINE}`).slice(1, -1));
    },
  );
});
