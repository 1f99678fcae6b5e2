// End to end: the real local server (`npm start`, workerd through Miniflare) on a free
// port. Publish, download, compare bytes and sha256; restart and find the data still there.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
    const res = await publish("@e2e/http", archive);
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

  it("keeps a downloaded archive as a file of its state, answers downloads from it, and a removal takes it away", async () => {
    // The local stand-in for the edge (src/storage/archive-files.ts): workerd's disk service.
    const payload = new Uint8Array(1024 * 1024); // over ARCHIVE_FILE_MIN (src/storage/archive-files.ts)
    for (let i = 0; i < payload.length; i += 65536) crypto.getRandomValues(payload.subarray(i, i + 65536));
    const archive = await buildArchive({ name: "@e2e/files", version: "1.0.0", files: { "src/blob.bin": payload } });
    const sha = createHash("sha256").update(archive).digest("hex");
    const published = await publish("@e2e/files", archive);
    expect(published.status, await published.clone().text()).toBe(201);
    const url = `${server.url}/v1/packages/@e2e/files/1.0.0/download`;
    const file = join(dir, "state", "archive-files", "sha256", sha);
    const download = async () => {
      const res = await fetch(url);
      return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    expect(existsSync(file)).toBe(false); // a publish writes R2 only
    expect(Buffer.compare((await download()).bytes, Buffer.from(archive))).toBe(0);
    // Written after the answer, whole.
    await until(() => existsSync(file));
    expect(Buffer.compare(readFileSync(file), Buffer.from(archive))).toBe(0);
    // Only large archives: the first test's small one stays in the isolate's memory.
    expect(readdirSync(join(dir, "state", "archive-files", "sha256"))).toEqual([sha]);
    // HEAD requests and 304s are not answered from files; they agree with them.
    const head = await fetch(url, { method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, String(archive.length)]);
    expect((await fetch(url, { headers: { "if-none-match": `"${sha}"` } })).status).toBe(304);
    // Answered from the file: other bytes of the same length in it are what a download gets.
    const other = Buffer.from(archive).map((b) => b ^ 0xff);
    writeFileSync(file, other);
    expect(Buffer.compare((await download()).bytes, other)).toBe(0);
    // A bar — a file inside the archive's path, which makes it a directory — keeps the path from
    // being answered (the bytes come from R2 again), and no file can be kept over it.
    const bar = join(file, "barred");
    rmSync(file);
    mkdirSync(file);
    writeFileSync(bar, "");
    expect(Buffer.compare((await download()).bytes, Buffer.from(archive))).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(file)).toEqual(["barred"]);
    rmSync(file, { recursive: true });
    // A file of another length is never served: the bytes come from R2, and are kept again.
    writeFileSync(file, Buffer.from(archive).subarray(0, 1000));
    expect(Buffer.compare((await download()).bytes, Buffer.from(archive))).toBe(0);
    await until(() => existsSync(file) && readFileSync(file).length === archive.length);
    expect(Buffer.compare(readFileSync(file), Buffer.from(archive))).toBe(0);

    const removed = await fetch(`${server.url}/v1/packages/@e2e/files/1.0.0/remove`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "a test removal" }),
    });
    expect(removed.status, await removed.clone().text()).toBe(200);
    // Dropped and barred (before the bytes left R2).
    expect(readdirSync(file)).toEqual(["barred"]);
    expect((await download()).status).toBe(410);
  });

  it("keeps its data (and its secrets) across a restart, and prints the operator token only when it made it", async () => {
    const before = await (await fetch(`${server.url}/v1/log/checkpoint`)).text();
    const token = server.adminToken;
    expect(server.output()).toContain(`export ORI_REGISTRY_TOKEN=${token}`);
    await server.stop();
    server = await startDevServer({ dir });
    expect(server.adminToken).toBe(token);
    // The local archive files start empty (another runtime may have used the state meanwhile).
    expect(readdirSync(join(dir, "state", "archive-files"))).toEqual([]);
    expect((await fetch(`${server.url}/v1/packages/@e2e/files/1.0.0/download`)).status).toBe(410);
    expect(server.output()).not.toContain(token);
    expect(server.output()).toContain(`ADMIN_TOKEN in ${join(dir, "dev.vars")}`);
    const versions = await fetch(`${server.url}/v1/packages/@e2e/http/versions`);
    expect(versions.status).toBe(200);
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
    // The same log, signed by the same key: the checkpoint is unchanged.
    expect(await (await fetch(`${server.url}/v1/log/checkpoint`)).text()).toBe(before);
  });
});

function publish(name: string, archive: Uint8Array): Promise<Response> {
  return fetch(`${server.url}/v1/packages/${name}/publish`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/gzip" },
    body: archive as Uint8Array<ArrayBuffer>,
  });
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(done()).toBe(true);
}
