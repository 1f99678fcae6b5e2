// `ori-registry audit` against an in-memory audit endpoint that computes the real answer with
// the shared audit module: the table, the escaping of untrusted text, --json, and exit codes.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLock, type KnownVersion } from "../advisories/audit";
import { sampleSubmission, semverEntry } from "../advisories/fixtures";
import type { OsvRecord } from "../advisories/osv";
import { buildRecord, splitSubmission } from "../advisories/validate";
import { parseLockfile } from "../domain/lockfile";
import { cli, tempDir } from "./test-io";

const SHA = "a".repeat(64);
let dir: string;
let advisories: OsvRecord[];
let tamper: (body: unknown) => unknown;

const env = { ORI_REGISTRY_URL: "http://127.0.0.1:9", ORI_REGISTRY_TOKEN: "ori_t" };

function advisory(id: string, extra: Record<string, unknown>): OsvRecord {
  return buildRecord(splitSubmission(sampleSubmission(extra), "create").content, {
    id,
    published: "2026-01-01T00:00:00Z",
    modified: "2026-01-01T00:00:00Z",
  });
}

const fetchAudit = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const req = new Request(input, init);
  if (new URL(req.url).pathname !== "/v1/audit")
    return Response.json({ error: { code: "route_not_found", message: "no" } }, { status: 404 });
  const entries = parseLockfile(await req.text());
  const known = new Map<string, Map<string, KnownVersion> | null>(
    entries.map((e) => [e.name, new Map([["1.0.0", { sha256: SHA, yanked: false, removed: false, deleted: false }]])]),
  );
  return Response.json(tamper(auditLock(entries, known, new Map(entries.map((e) => [e.name, advisories])))));
}) as typeof fetch;

beforeEach(() => {
  dir = tempDir("ori-audit-");
  advisories = [];
  tamper = (b) => b;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lock(lines: [string, string, string][]): void {
  writeFileSync(
    join(dir, "oripk.lock"),
    `[checksums]\n${lines.map(([n, v, s]) => `"${n}:${v}" = "sha256:${s}"\n`).join("")}`,
  );
}

const run = (...argv: string[]) => cli(["audit", ...argv], { cwd: dir, env, fetch: fetchAudit });

describe("ori-registry audit", () => {
  it("exits 0 and says so when nothing is affected", async () => {
    lock([["@acme/http", "1.0.0", SHA]]);
    const res = await run();
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/No advisory affects the 1 entries/);
  });

  it("lists the advisories with score and fix, and exits 6", async () => {
    advisories = [
      advisory("ORI-2026-0001", { affected: [semverEntry("@acme/http", [{ introduced: "0" }, { fixed: "1.2.3" }])] }),
    ];
    lock([["@acme/http", "1.0.0", SHA]]);
    const res = await run();
    expect(res.code).toBe(6);
    expect(res.stdout).toMatch(/^PACKAGE +VERSION +ADVISORY +SEVERITY +FIXED IN +SUMMARY$/m);
    expect(res.stdout).toMatch(/@acme\/http +1\.0\.0 +ORI-2026-0001 +9\.8 CRITICAL +1\.2\.3 +Request smuggling/);
    expect(res.stdout).toMatch(/1 of 1 entries .* are affected by 1 advisory\./);
  });

  it("--json prints the report and keeps the exit code", async () => {
    advisories = [advisory("ORI-2026-0001", { affected: [semverEntry("@acme/http", [{ introduced: "0" }])] })];
    lock([["@acme/http", "1.0.0", SHA]]);
    const res = await run("--json");
    expect(res.code).toBe(6);
    const out = JSON.parse(res.stdout) as {
      summary: { vulnerable: number };
      entries: { advisories: { id: string }[] }[];
    };
    expect(out.summary.vulnerable).toBe(1);
    expect(out.entries[0]!.advisories[0]!.id).toBe("ORI-2026-0001");
  });

  it("exits 4 when a checksum differs from the log's, and names it", async () => {
    lock([["@acme/http", "1.0.0", "b".repeat(64)]]);
    const res = await run();
    expect(res.code).toBe(4);
    expect(res.stdout).toMatch(
      /CHECKSUM MISMATCH: the lock has sha256:bbbbbbbbbbbbbbbb…, the log has sha256:aaaaaaaaaaaaaaaa…/,
    );
  });

  it("never lets the registry's text drive the terminal", async () => {
    const evil = advisory("ORI-2026-0002", { affected: [semverEntry("@acme/http", [{ introduced: "0" }])] });
    advisories = [evil];
    tamper = (body) => JSON.parse(JSON.stringify(body).replace("Request smuggling", "\\u001b[2J\\u001b[31mPWNED\\r"));
    lock([["@acme/http", "1.0.0", SHA]]);
    const res = await run();
    expect(res.stdout).not.toMatch(/[\u001b\r]/);
    expect(res.stdout).toContain("\\x1b[2J\\x1b[31mPWNED\\r");
  });

  it("treats a malformed answer as a verification failure naming the field", async () => {
    lock([["@acme/http", "1.0.0", SHA]]);
    tamper = (body) => ({ ...(body as object), summary: { vulnerable: "many" } });
    const res = await run();
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/answer field summary/);
  });

  it("a missing or invalid lock file is a local error (exit 1)", async () => {
    expect((await run()).code).toBe(1);
    writeFileSync(join(dir, "oripk.lock"), '[checksums]\n"@acme/http:^1.0" = "sha256:x"\n');
    const res = await run();
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/oripk\.lock/);
  });
});
