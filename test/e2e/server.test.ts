// End to end: the real local server (`npm start`, workerd through Miniflare) on a free
// port. Publish, download, compare bytes and sha256; restart and find the data still there.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { startDevServer, type DevServer } from "./dev-server";

const dir = mkdtempSync(join(tmpdir(), "ori-e2e-server-"));
let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ dir });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the dev server", () => {
  it("publishes an archive and serves back exactly those bytes with their checksum", async () => {
    const archive = await buildArchive({ name: "@e2e/http", version: "1.0.0" });
    const sha = createHash("sha256").update(archive).digest("hex");
    const res = await fetch(`${server.url}/v1/packages/@e2e/http/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/gzip" },
      body: archive as Uint8Array<ArrayBuffer>,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { sha256: string }).sha256).toBe(sha);

    const dl = await fetch(`${server.url}/v1/packages/@e2e/http/1.0.0/download`);
    expect(dl.status).toBe(200);
    const bytes = new Uint8Array(await dl.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(archive))).toBe(0);
    expect(dl.headers.get("etag")).toBe(`"${sha}"`);
  });

  it("leaves no Durable Object database on disk for reads of names that do not exist", async () => {
    // workerd writes one SQLite file per Durable Object that stored something (metadata.sqlite
    // is the namespace's own). The publish above made one writer and one scope object.
    const objects = () =>
      ["PackageWriter", "ScopeOwnership"].flatMap((cls) => {
        const folder = join(dir, "state", "v3", "do", `ori-registry-${cls}`);
        return existsSync(folder)
          ? readdirSync(folder)
              .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
              .map((f) => `${cls}/${f}`)
          : [];
      });
    const before = objects();
    expect(before).toHaveLength(2);
    for (let i = 0; i < 20; i++) {
      for (const path of [
        `/v1/packages/@nobody${i}/pkg/versions`,
        `/v1/packages/@nobody${i}/pkg/1.0.0/download`,
        `/v1/scopes/@nobody${i}/members`,
        `/v1/packages/@e2e/missing${i}/owners`,
      ]) {
        expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(objects()).toEqual(before);
  });

  it("keeps its data (and its secrets) across a restart, and prints the operator token only when it made it", async () => {
    const before = await (await fetch(`${server.url}/v1/log/checkpoint`)).text();
    const token = server.adminToken;
    expect(server.output()).toContain(`export ORI_REGISTRY_TOKEN=${token}`);
    await server.stop();
    server = await startDevServer({ dir });
    expect(server.adminToken).toBe(token);
    expect(server.output()).not.toContain(token);
    expect(server.output()).toContain(`ADMIN_TOKEN in ${join(dir, "dev.vars")}`);
    const versions = await fetch(`${server.url}/v1/packages/@e2e/http/versions`);
    expect(versions.status).toBe(200);
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
    // The same log, signed by the same key: the checkpoint is unchanged.
    expect(await (await fetch(`${server.url}/v1/log/checkpoint`)).text()).toBe(before);
  });
});
