// End to end against the real dev server and the built CLI: an administrator records an
// advisory, `ori-registry audit` fails the lock with exit code 6, the advisory is withdrawn and
// the same audit passes; the export is read back by Python's zipfile, as osv-scanner's offline
// mode would read it.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfc3339Nano } from "../../src/advisories/export";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import type { OsvRecord } from "../../src/advisories/osv";
import { checkSchema } from "../../src/advisories/schema";
import { buildArchive } from "../helpers/archive-builder";
import { startDevServer, type DevServer } from "./dev-server";

const root = join(import.meta.dirname, "..", "..");
const cliPath = join(root, "dist", "cli.mjs");
const work = mkdtempSync(join(tmpdir(), "ori-e2e-advisories-"));
let server: DevServer;

function ori(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        HOME: work,
        ORI_REGISTRY_CONFIG_DIR: join(work, "config"),
        ORI_REGISTRY_CACHE_DIR: join(work, "cache"),
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
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${server.adminToken}`,
    ...(init.headers as Record<string, string> | undefined),
  };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return fetch(`${server.url}${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

beforeAll(async () => {
  const build = spawnSync(process.execPath, [join(root, "scripts", "build-cli.mjs")], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`CLI build failed:\n${build.stderr}`);
  server = await startDevServer();
});

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("advisories end to end", () => {
  let advisory: OsvRecord;

  it("create → audit fails with exit 6 → withdraw → the same audit passes", async () => {
    const archive = await buildArchive({ name: "@e2e/http", version: "1.0.0" });
    const published = await api("/v1/packages/@e2e/http/publish", {
      method: "POST",
      headers: { "content-type": "application/gzip" },
      body: archive as Uint8Array<ArrayBuffer>,
    });
    expect(published.status).toBe(201);
    writeFileSync(join(work, "oripk.lock"), `[checksums]\n"@e2e/http:1.0.0" = "sha256:${await sha256(archive)}"\n`);

    expect((await ori(["audit"])).code).toBe(0);

    const created = await api("/v1/advisories", {
      method: "POST",
      json: sampleSubmission({
        aliases: ["CVE-2026-9900"],
        affected: [semverEntry("@e2e/http", [{ introduced: "0" }, { fixed: "1.0.1" }])],
      }),
    });
    expect(created.status).toBe(201);
    advisory = (await created.json()) as OsvRecord;

    const vulnerable = await ori(["audit"]);
    expect(vulnerable.code, vulnerable.stderr).toBe(6);
    expect(vulnerable.stdout).toContain(advisory.id);
    expect(vulnerable.stdout).toMatch(/9\.8 CRITICAL +1\.0\.1/);
    const json = await ori(["audit", "--json"]);
    expect(json.code).toBe(6);
    expect(JSON.parse(json.stdout).summary).toMatchObject({ entries: 1, vulnerable: 1 });

    expect(
      (await api(`/v1/advisories/${advisory.id}/withdraw`, { method: "POST", json: { reason: "not exploitable" } }))
        .status,
    ).toBe(200);
    const clean = await ori(["audit"]);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/No advisory affects/);
  });

  it("serves an all.zip that Python's zipfile reads, every member a valid OSV record", async () => {
    const res = await fetch(`${server.url}/v1/advisories/export/all.zip`);
    expect(res.status).toBe(200);
    const path = join(work, "all.zip");
    writeFileSync(path, new Uint8Array(await res.arrayBuffer()));
    const py = spawnSync(
      "python3",
      [
        "-c",
        "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: json.loads(z.read(n)) for n in z.namelist()}))",
        path,
      ],
      { encoding: "utf8" },
    );
    expect(py.status, py.stderr).toBe(0);
    const files = JSON.parse(py.stdout) as Record<string, OsvRecord>;
    expect(Object.keys(files)).toEqual([`${advisory.id}.json`]);
    expect(files[`${advisory.id}.json`]!.withdrawn).toEqual(expect.any(String));
    for (const r of Object.values(files)) expect(checkSchema(r)).toBeNull();
    const csv = await (await fetch(`${server.url}/v1/advisories/export/modified_id.csv`)).text();
    expect(csv).toBe(`${rfc3339Nano(files[`${advisory.id}.json`]!.modified)},${advisory.id}\n`);
  });
});
