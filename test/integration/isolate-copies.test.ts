// EdgeCache's isolate copies (src/storage/edge-cache.ts) over a fake Cache API: what is kept, for how
// long, and what a change drops; the routes' use of them is in edge-cache.test.ts.
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import { DOCUMENT_TTL_S, EdgeCache, ISOLATE_DOCUMENT_TTL_MS, forgetIsolateCopies } from "../../src/storage/edge-cache";

/** The Cache API's three calls over a Map, counting what reaches it. */
class FakeCache {
  readonly stored = new Map<string, { body: string; headers: Headers }>();
  matches = 0;
  async match(key: string): Promise<Response | undefined> {
    this.matches++;
    const hit = this.stored.get(key);
    return hit ? new Response(hit.body, { headers: hit.headers }) : undefined;
  }
  async put(key: string, res: Response): Promise<void> {
    this.stored.set(key, { body: await res.text(), headers: new Headers(res.headers) });
  }
  async delete(key: string): Promise<boolean> {
    return this.stored.delete(key);
  }
}

function edge() {
  const cache = new FakeCache();
  const pending: Promise<unknown>[] = [];
  const ec = new EdgeCache(cache as unknown as Cache, { waitUntil: (p) => pending.push(p) });
  return { cache, ec, settle: () => Promise.all(pending) };
}

const KEY = "https://edge-cache.ori-registry.invalid/packages/@a/b/versions";
const doc = (v: string) => ({ text: `{"v":"${v}"}`, etag: `"${v}"` });

describe("EdgeCache's isolate copies", () => {
  beforeEach(() => {
    forgetIsolateCopies();
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(() => vi.useRealTimers());

  it("answers a document it built from the isolate, without asking the location's cache", async () => {
    const { cache, ec, settle } = edge();
    ec.putDocument(KEY, doc("1"), ec.documentEpoch);
    await settle();
    expect(await ec.matchDocument(KEY)).toEqual(doc("1"));
    expect(cache.matches).toBe(0);
    // The location keeps it DOCUMENT_TTL_S, with the time it expires there.
    expect(cache.stored.get(KEY)!.headers.get("Cache-Control")).toBe(`public, max-age=${DOCUMENT_TTL_S}`);
    vi.advanceTimersByTime(ISOLATE_DOCUMENT_TTL_MS);
    expect(await ec.matchDocument(KEY)).toEqual(doc("1"));
    expect(cache.matches).toBe(1);
  });

  it("keeps neither copy of a document built before a change dropped documents", async () => {
    const { cache, ec, settle } = edge();
    const epoch = ec.documentEpoch;
    // … the document is being built from the state before the change; meanwhile the change:
    await ec.delete([KEY]);
    ec.putDocument(KEY, doc("old"), epoch);
    await settle();
    expect(cache.stored.has(KEY)).toBe(false);
    expect(await ec.matchDocument(KEY)).toBeNull();
  });

  it("never keeps a location's document past the time it expires there", async () => {
    const { cache, ec } = edge();
    const headers = new Headers({ ETag: '"1"', "Ori-Cache-Expires": String(Date.now() + 500) });
    cache.stored.set(KEY, { body: doc("1").text, headers });
    expect(await ec.matchDocument(KEY)).toEqual(doc("1"));
    vi.advanceTimersByTime(499);
    await ec.matchDocument(KEY);
    expect(cache.matches).toBe(1);
    vi.advanceTimersByTime(1);
    await ec.matchDocument(KEY);
    expect(cache.matches).toBe(2);
    // A copy without that time (stored before it was written) is not kept in the isolate at all.
    cache.stored.set(KEY, { body: doc("2").text, headers: new Headers({ ETag: '"2"' }) });
    forgetIsolateCopies();
    await ec.matchDocument(KEY);
    await ec.matchDocument(KEY);
    expect(cache.matches).toBe(4);
  });

  it("drops the isolate's copies with the location's, and keeps nothing in private mode (answers are per reader)", async () => {
    const { ec } = edge();
    ec.putDocument(KEY, doc("1"), ec.documentEpoch);
    ec.keepArchive("ab".repeat(32), new Uint8Array([1, 2, 3]));
    expect(ec.keptArchive("ab".repeat(32))).toEqual(new Uint8Array([1, 2, 3]));
    await ec.delete([KEY], "ab".repeat(32));
    expect(await ec.matchDocument(KEY)).toBeNull();
    expect(ec.keptArchive("ab".repeat(32))).toBeNull();

    const off = EdgeCache.of({ ...env, PRIVATE_MODE: "true" } as Env, { waitUntil: () => {} });
    off.putDocument(KEY, doc("1"), off.documentEpoch);
    off.keepArchive("cd".repeat(32), new Uint8Array([1]));
    expect(await off.matchDocument(KEY)).toBeNull();
    expect(off.keptArchive("cd".repeat(32))).toBeNull();
    expect(ec.keptArchive("cd".repeat(32))).toBeNull();
  });
});
