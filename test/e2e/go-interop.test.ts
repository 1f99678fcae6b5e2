// Interop with Go's reference tlog client: test/interop/go (golang.org/x/mod/sumdb/{note,tlog})
// must verify the dev server's checkpoint, read its tiles and prove every entry, and must fail
// on a wrong key or a tampered tile. Skipped when `go` is not on PATH (scripts/install-test-tools.sh).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKey } from "../../src/log/note";
import { buildArchive } from "../helpers/archive-builder";
import { startDevServer, type DevServer } from "./dev-server";
import { buildGoVerifier, runGoVerifier, startTamperingProxy } from "../interop/go-verifier";

const hasGo = spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
if (!hasGo) console.warn("go-interop: skipped, `go` is not on PATH (install it with scripts/install-test-tools.sh)");

/** Enough entries to fill level-0 tile 000 (256) and start a partial one. */
const TOTAL = 300;
const FIRST = 20;

describe.skipIf(!hasGo)("Go's sumdb/tlog and sumdb/note against our log", () => {
  let dir: string;
  let oldCheckpoint: string;
  const specs: string[] = []; // name@version=sha256hex, in publish order
  let server: DevServer;
  let verifier: string;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ori-go-interop-"));
    oldCheckpoint = join(dir, "old-checkpoint");
    [verifier, server] = await Promise.all([buildGoVerifier(dir), startDevServer()]);
    key = (await (await fetch(`${server.url}/v1/log/key`)).text()).trim();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function publish(name: string, version: string): Promise<void> {
    const archive = await buildArchive({ name, version, files: { "src/version.ori": `// ${name} ${version}\n` } });
    const res = await fetch(`${server.url}/v1/packages/${name}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/gzip" },
      body: archive as Uint8Array<ArrayBuffer>,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    specs.push(`${name}@${version}=${createHash("sha256").update(archive).digest("hex")}`);
  }

  /** Publishes versions first..last-1 of several packages, `concurrency` requests at a time. */
  async function publishRange(first: number, last: number, concurrency: number): Promise<void> {
    const packages = ["@interop/alpha", "@interop/beta", "@gotest/gamma"];
    for (let i = first; i < last; i += concurrency) {
      const batch = [];
      for (let j = i; j < Math.min(last, i + concurrency); j++)
        batch.push(publish(packages[j % 3]!, `1.${Math.floor(j / 3)}.0`));
      await Promise.all(batch);
    }
  }

  it("verifies the empty log's checkpoint", async () => {
    const r = await runGoVerifier(verifier, server.url, key, []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({ treeSize: 0, origin: key.split("+")[0] });
  });

  it(`proves ${FIRST} entries in a partial tile`, async () => {
    await publishRange(0, 5, 1);
    await publishRange(5, FIRST, 15);
    writeFileSync(oldCheckpoint, await (await fetch(`${server.url}/v1/log/checkpoint`)).text());
    const r = await runGoVerifier(verifier, server.url, key, specs);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({ treeSize: FIRST, entriesProven: FIRST, bundlesVerified: 1 });
  });

  it(`grows to ${TOTAL} entries, across a full tile, and proves them all plus consistency`, async () => {
    const started = Date.now();
    await publishRange(FIRST, TOTAL, 20);
    const publishMs = Date.now() - started;
    const r = await runGoVerifier(verifier, server.url, key, specs, oldCheckpoint);
    console.log(
      `go-interop: published ${TOTAL - FIRST} versions in ${publishMs} ms; Go verified ${TOTAL} in ${r.ms} ms: ${r.stdout.trim()}`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({ treeSize: TOTAL, entriesProven: TOTAL, bundlesVerified: 2, oldTreeSize: FIRST });
  }, 180_000);

  it("fails with a verifier key other than the log's", async () => {
    const wrong = generateKey(key.split("+")[0]!).verifier;
    const r = await runGoVerifier(verifier, server.url, wrong, specs.slice(0, 1));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/serves verifier key/);
  });

  const tampers: [string, { path?: RegExp; serveKey?: boolean }, RegExp][] = [
    [
      "a verifier key that did not sign the checkpoint (served by the proxy)",
      { serveKey: true },
      /note\.Open checkpoint/,
    ],
    ["a checkpoint with one byte flipped", { path: /\/v1\/log\/checkpoint$/ }, /note\.Open checkpoint/],
    // Go's TileHashReader (x/mod 0.7.0) never authenticates this tile in a tree of 300 (its
    // parent check starts at len(stx)); only CheckRecord against the signed root catches it.
    [
      "a full level-0 tile with one byte flipped",
      { path: /\/tile\/0\/000$/ },
      /invalid transparency proof|downloaded inconsistent tile/,
    ],
    ["a partial level-0 tile with one byte flipped", { path: /\/tile\/0\/001\.p\// }, /downloaded inconsistent tile/],
    ["the level-1 tile with one byte flipped", { path: /\/tile\/1\// }, /downloaded inconsistent tile/],
    ["an entry bundle with one byte flipped", { path: /\/tile\/entries\/000$/ }, /entry bundle/],
  ];
  it.each(tampers)("fails on %s", async (_, tamper, message) => {
    const wrongKey = generateKey(key.split("+")[0]!).verifier;
    const proxy = await startTamperingProxy(server.url, {
      path: tamper.path,
      serveKey: tamper.serveKey ? wrongKey : undefined,
    });
    try {
      const r = await runGoVerifier(verifier, proxy.url, tamper.serveKey ? wrongKey : key, [
        specs[3]!,
        specs[TOTAL - 3]!,
      ]);
      expect(r.code, r.stdout).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(proxy.tampered(), "responses the proxy changed").toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});
