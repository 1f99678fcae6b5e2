// Edge caching (issue 17): immutable bytes — archives by sha256, full log tiles — are kept in the
// location's cache, so a repeated download does not reach R2; version metadata and lists are
// kept briefly with their ETags and dropped here on every change, so a yank shows and a removal
// answers 410 at once (docs/consistency.md, "Edge caching", for other locations' bound).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  archiveKey,
  edgeArchiveKey,
  edgeMetadataKey,
  edgeTileKey,
  edgeVersionListKey,
  versionMetadataKey,
} from "../../src/storage/keys";
import { EdgeCache } from "../../src/storage/edge-cache";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish, sha256HexOf } from "./helpers";
import { json } from "./access-helpers";

/** The cache is filled after the answer (waitUntil): wait until the key is there. */
async function cached(key: string): Promise<Response> {
  for (let i = 0; i < 100; i++) {
    const hit = await caches.default.match(key);
    if (hit) return hit;
    await scheduler.wait(20);
  }
  throw new Error(`${key} never reached the cache`);
}

async function published(name: string, version: string) {
  const archive = await buildArchive({ name, version });
  expect((await publish(name, archive)).status).toBe(201);
  return { archive, sha: await sha256HexOf(archive) };
}

describe("edge caching", () => {
  it("serves a repeated download from the location's cache, not R2", async () => {
    const { archive, sha } = await published("@edge/dl", "1.0.0");
    const first = await call("/v1/packages/@edge/dl/1.0.0/download");
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(archive);
    await (await cached(edgeArchiveKey(sha))).arrayBuffer();
    // Other bytes under the key in R2: only the cache holds the archive's (R2 is asked by HEAD).
    await env.BUCKET.put(archiveKey(sha), new Uint8Array(archive.length));
    const again = await call("/v1/packages/@edge/dl/1.0.0/download");
    expect(again.status).toBe(200);
    expect(again.headers.get("etag")).toBe(`"${sha}"`);
    expect(again.headers.get("content-length")).toBe(String(archive.length));
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(archive);
    const head = await call("/v1/packages/@edge/dl/1.0.0/download", { method: "HEAD" });
    expect(head.status).toBe(200);
    await env.BUCKET.put(archiveKey(sha), archive); // for the queue job that checks it
  });

  it("answers 410 where the location's record is stale and the archive cached, once R2 has lost the bytes", async () => {
    const { archive, sha } = await published("@edge/stale", "1.0.0");
    await (await call("/v1/packages/@edge/stale/1.0.0/download")).arrayBuffer();
    await (await cached(edgeArchiveKey(sha))).arrayBuffer();
    const before = await env.METADATA.get(versionMetadataKey("@edge/stale", "1.0.0"));
    expect(before).not.toBeNull();
    expect((await json("POST", "/v1/packages/@edge/stale/1.0.0/remove", ADMIN, { reason: "malware" })).status).toBe(
      200,
    );
    // Another location: KV has not caught up with the removal, and its cache has the bytes (the
    // removal's own projection may still be on its way: wait until the stale copy stays).
    for (let i = 0; i < 3; i++) {
      await scheduler.wait(200);
      await env.METADATA.put(versionMetadataKey("@edge/stale", "1.0.0"), before!);
    }
    expect(
      JSON.parse((await env.METADATA.get(versionMetadataKey("@edge/stale", "1.0.0")))!).removed ?? null,
    ).toBeNull();
    const headers = { "Content-Type": "application/gzip", "Cache-Control": "public, max-age=31536000, immutable" };
    await caches.default.put(edgeArchiveKey(sha), new Response(archive, { headers }));
    // A client that has the bytes asks whether they are still good: no 304 either.
    for (const init of [{}, { method: "HEAD" }, { headers: { "If-None-Match": `"${sha}"` } }]) {
      const res = await call("/v1/packages/@edge/stale/1.0.0/download", init);
      expect(res.status).toBe(410);
      await res.arrayBuffer();
    }
    // Another isolate of this location, which kept the bytes in memory before the removal.
    new EdgeCache(caches.default, { waitUntil: () => {} }).keepArchive(sha, archive);
    for (const init of [{}, { method: "HEAD" }]) {
      const res = await call("/v1/packages/@edge/stale/1.0.0/download", init);
      expect(res.status).toBe(410);
      await res.arrayBuffer();
    }
  });

  it("serves a repeated small download from the isolate's copy, byte for byte, while R2 has it", async () => {
    const { archive, sha } = await published("@edge/mem", "1.0.0");
    await (await call("/v1/packages/@edge/mem/1.0.0/download")).arrayBuffer();
    // Neither the location's cache nor R2's bytes are read again: R2 is asked by HEAD only.
    await (await cached(edgeArchiveKey(sha))).arrayBuffer();
    await caches.default.delete(edgeArchiveKey(sha));
    await env.BUCKET.put(archiveKey(sha), new Uint8Array(archive.length));
    for (let i = 0; i < 2; i++) {
      const res = await call("/v1/packages/@edge/mem/1.0.0/download");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(archive.length));
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(archive);
    }
    await env.BUCKET.put(archiveKey(sha), archive);
  });

  it("answers 410 at once after a removal, for a download, its HEAD and the metadata, though all were cached", async () => {
    const { sha } = await published("@edge/gone", "1.0.0");
    await (await call("/v1/packages/@edge/gone/1.0.0/download")).arrayBuffer();
    await (await call("/v1/packages/@edge/gone/1.0.0/metadata")).arrayBuffer();
    await (await call("/v1/packages/@edge/gone/versions")).arrayBuffer();
    await (await cached(edgeArchiveKey(sha))).arrayBuffer();
    await (await cached(edgeMetadataKey("@edge/gone", "1.0.0"))).arrayBuffer();
    await (await cached(edgeVersionListKey("@edge/gone"))).arrayBuffer();
    expect((await json("POST", "/v1/packages/@edge/gone/1.0.0/remove", ADMIN, { reason: "malware" })).status).toBe(200);
    for (const init of [{}, { method: "HEAD" }]) {
      const res = await call("/v1/packages/@edge/gone/1.0.0/download", init);
      expect(res.status).toBe(410);
      await res.arrayBuffer();
    }
    const meta = await call("/v1/packages/@edge/gone/1.0.0/metadata");
    expect(meta.status).toBe(410);
    expect(await errorCode(meta)).toBe("version_gone");
    const list = (await (await call("/v1/packages/@edge/gone/versions")).json()) as {
      versions: { removed: boolean }[];
    };
    expect(list.versions[0]!.removed).toBe(true);
    expect(await caches.default.match(edgeArchiveKey(sha))).toBeUndefined();
  });

  it("answers a burst of downloads that share R2 HEADs with the whole archive, and a burst after a removal with 410", async () => {
    const { archive } = await published("@edge/burst", "1.0.0");
    await (await call("/v1/packages/@edge/burst/1.0.0/download")).arrayBuffer(); // the isolate keeps it
    // Every fourth is a HEAD: it waits on the same R2 HEADs, and has no body.
    const burst = () =>
      Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          call("/v1/packages/@edge/burst/1.0.0/download", i % 4 === 3 ? { method: "HEAD" } : {}),
        ),
      );
    // Requests of one isolate awaiting a HEAD another request began (src/util/fresh-check.ts):
    // fewer HEADs than requests (counted on the bindings' shared prototype, for this burst only).
    const proto = Object.getPrototypeOf(env.BUCKET) as R2Bucket;
    const head = proto.head;
    let heads = 0;
    proto.head = function (this: R2Bucket, ...args: Parameters<R2Bucket["head"]>) {
      heads++;
      return head.apply(this, args);
    };
    let answers: Response[];
    try {
      answers = await burst();
    } finally {
      proto.head = head;
    }
    expect(heads).toBeGreaterThan(0);
    expect(heads).toBeLessThan(32);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(archive.length));
      const body = new Uint8Array(await res.arrayBuffer());
      if (body.length > 0) expect(body).toEqual(archive);
    }
    const during = burst();
    expect((await json("POST", "/v1/packages/@edge/burst/1.0.0/remove", ADMIN, { reason: "malware" })).status).toBe(
      200,
    );
    // Those begun before the removal answered: whole bytes or 410, never a part.
    for (const res of await during) {
      expect([200, 410]).toContain(res.status);
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status === 200 && body.length > 0) expect(body).toEqual(archive);
    }
    for (const res of await burst()) {
      expect(res.status).toBe(410);
      await res.arrayBuffer();
    }
  });

  it("never lets a download ride a HEAD that began before it arrived, across a removal", async () => {
    const { archive, sha } = await published("@edge/ride", "1.0.0");
    await (await call("/v1/packages/@edge/ride/1.0.0/download")).arrayBuffer();
    const before = await env.METADATA.get(versionMetadataKey("@edge/ride", "1.0.0"));
    // HEADs of this archive answer only when the gate opens (they read R2 at once).
    const proto = Object.getPrototypeOf(env.BUCKET) as R2Bucket;
    const head = proto.head;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let heads = 0;
    proto.head = async function (this: R2Bucket, ...args: Parameters<R2Bucket["head"]>) {
      if (args[0] !== archiveKey(sha)) return head.apply(this, args);
      heads++;
      const seen = await head.apply(this, args);
      await gate;
      return seen;
    };
    try {
      const first = call("/v1/packages/@edge/ride/1.0.0/download"); // its HEAD sees the bytes
      for (let i = 0; i < 50 && heads === 0; i++) await scheduler.wait(10);
      expect(heads).toBe(1);
      expect((await json("POST", "/v1/packages/@edge/ride/1.0.0/remove", ADMIN, { reason: "malware" })).status).toBe(
        200,
      );
      // Then a download arrives at an isolate whose copies predate the removal: KV's record and
      // the bytes in memory (as in "answers 410 where the location's record is stale" above).
      for (let i = 0; i < 3; i++) {
        await scheduler.wait(200);
        await env.METADATA.put(versionMetadataKey("@edge/ride", "1.0.0"), before!);
      }
      new EdgeCache(caches.default, { waitUntil: () => {} }).keepArchive(sha, archive);
      const second = call("/v1/packages/@edge/ride/1.0.0/download");
      await scheduler.wait(50);
      expect(heads).toBe(1); // waiting for the running HEAD, which began before it arrived
      open();
      const [a, b] = await Promise.all([first, second]);
      expect(a.status).toBe(200); // began before the removal answered
      expect(new Uint8Array(await a.arrayBuffer())).toEqual(archive);
      expect(b.status).toBe(410); // from a HEAD of its own, after the removal
      expect(await errorCode(b)).toBe("version_gone");
      expect(heads).toBe(2);
    } finally {
      proto.head = head;
      open();
    }
  });

  it("shows a yank, a deprecation and a new version at once in cached lists and metadata", async () => {
    await published("@edge/life", "1.0.0");
    const list = async () =>
      (await (await call("/v1/packages/@edge/life/versions")).json()) as {
        versions: { version: string; yanked: boolean; deprecated: string | null }[];
      };
    const meta = async () =>
      (await (await call("/v1/packages/@edge/life/1.0.0/metadata")).json()) as { yanked: boolean };
    await list();
    await meta();
    await (await cached(edgeVersionListKey("@edge/life"))).arrayBuffer();
    await (await cached(edgeMetadataKey("@edge/life", "1.0.0"))).arrayBuffer();
    await json("POST", "/v1/packages/@edge/life/1.0.0/yank", ADMIN, {});
    expect((await list()).versions[0]!.yanked).toBe(true);
    expect((await meta()).yanked).toBe(true);
    await json("POST", "/v1/packages/@edge/life/1.0.0/deprecate", ADMIN, { message: "use 2" });
    expect((await list()).versions[0]!.deprecated).toBe("use 2");
    await published("@edge/life", "2.0.0");
    expect((await list()).versions.map((v) => v.version)).toEqual(["1.0.0", "2.0.0"]);
  });

  it("answers a cached document with its ETag, and 304 to a caller that has it", async () => {
    await published("@edge/etag", "1.0.0");
    const first = await call("/v1/packages/@edge/etag/versions");
    const etag = first.headers.get("etag")!;
    const body = await first.text();
    await (await cached(edgeVersionListKey("@edge/etag"))).arrayBuffer();
    const hit = await call("/v1/packages/@edge/etag/versions");
    expect(hit.headers.get("etag")).toBe(etag);
    expect(hit.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    expect(await hit.text()).toBe(body);
    const revalidated = await call("/v1/packages/@edge/etag/versions", { headers: { "if-none-match": etag } });
    expect(revalidated.status).toBe(304);
  });

  it("keeps full tiles, which never change, and not partial ones", async () => {
    const full = crypto.getRandomValues(new Uint8Array(256 * 32));
    await env.BUCKET.put("log/tile/0/999", full);
    await env.BUCKET.put("log/tile/0/998.p/3", full.slice(0, 96));
    expect(new Uint8Array(await (await call("/v1/log/tile/0/999")).arrayBuffer())).toEqual(full);
    await (await call("/v1/log/tile/0/998.p/3")).arrayBuffer();
    await (await cached(edgeTileKey("tile/0/999"))).arrayBuffer();
    await env.BUCKET.delete(["log/tile/0/999", "log/tile/0/998.p/3"]);
    expect(new Uint8Array(await (await call("/v1/log/tile/0/999")).arrayBuffer())).toEqual(full);
    expect((await call("/v1/log/tile/0/998.p/3")).status).toBe(404);
  });
});
