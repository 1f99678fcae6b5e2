// The Cache API (caches.default): on Cloudflare one cache per location, never replicated to
// another, and working only on a custom domain (on workers.dev every call is a no-op); locally,
// Miniflare keeps one on disk. Cloudflare's CDN does not cache a Worker's own answers, so this is
// how a repeated download stays in the location: archives (keyed by sha256) and full tiles are
// immutable and kept a year; version metadata and version lists are kept DOCUMENT_TTL_S and
// dropped in this location on every change made here. Whether a version may be served is never
// read from here (docs/consistency.md, "Edge caching").
//
// In front of it, each isolate keeps its own copies (IsolateMemo): documents for at most
// ISOLATE_DOCUMENT_TTL_MS and never past the location's copy's own expiry, small archives by
// sha256 (immutable), on every host (workers.dev included). A hit there answers with no
// storage call at all — the Cache API, like KV, is a call out of the isolate. DECISION (issue 17, docs/performance.md): this is what takes a
// repeated versions/metadata GET from about 2.4× the cost of /v1/health to near it.
import type { Env } from "../env";
import { IsolateMemo } from "../util/isolate-memo";

/** How long a location keeps immutable bytes: archives by sha256, full tiles (a year). */
export const IMMUTABLE_S = 31_536_000;

/** How long a location keeps a version's metadata or a version list it built. */
export const DOCUMENT_TTL_S = 30;

/**
 * How long an isolate answers its own copy of a document: a change made through another isolate
 * of the same location shows in this one within this time (docs/consistency.md).
 */
export const ISOLATE_DOCUMENT_TTL_MS = 2_000;

/** Archives up to this size are kept in the isolate too (bounded by ISOLATE_ARCHIVE_BYTES in all). */
export const ISOLATE_ARCHIVE_MAX = 2 * 1024 * 1024;
const ISOLATE_ARCHIVE_BYTES = 32 * 1024 * 1024;

/** When the location's copy of a document expires (epoch ms): the isolate's copy never outlives it. */
const EXPIRES_HEADER = "Ori-Cache-Expires";

export interface CachedDocument {
  text: string;
  etag: string;
}

const documents = new IsolateMemo<CachedDocument>(ISOLATE_DOCUMENT_TTL_MS, 2_000, () => Date.now(), {
  maxWeight: 8 * 1024 * 1024,
  weigh: (d) => d.text.length * 2,
});
const archives = new IsolateMemo<Uint8Array>(Infinity, 1_000, () => Date.now(), {
  maxWeight: ISOLATE_ARCHIVE_BYTES,
  weigh: (b) => b.byteLength,
});

type Ctx = { waitUntil(p: Promise<unknown>): void };

export class EdgeCache {
  constructor(
    private readonly cache: Cache | null,
    private readonly ctx: Ctx,
  ) {}

  /** The location's cache; none in private mode (its answers are per reader, and marked private). */
  static of(env: Env, ctx: Ctx): EdgeCache {
    const available = typeof caches !== "undefined" && env.PRIVATE_MODE !== "true";
    return new EdgeCache(available ? caches.default : null, ctx);
  }

  async match(key: string): Promise<Response | null> {
    if (!this.cache) return null;
    return (await this.cache.match(key)) ?? null;
  }

  /** Keeps `body` under `key` for `maxAgeS` (after the answer: the caller does not wait). */
  put(key: string, body: BodyInit, headers: Record<string, string>, maxAgeS: number): void {
    if (!this.cache) return;
    const response = new Response(body, { headers: { ...headers, "Cache-Control": `public, max-age=${maxAgeS}` } });
    this.ctx.waitUntil(
      this.cache.put(key, response).catch((e: unknown) => {
        console.error(JSON.stringify({ level: "warn", msg: "edge cache put failed", key, error: String(e) }));
      }),
    );
  }

  /** Read before building a document; pass it to putDocument (see IsolateMemo's epoch). */
  get documentEpoch(): number {
    return documents.epoch;
  }

  /** A document from this isolate's copy, else the location's (then kept here until it expires there). */
  async matchDocument(key: string): Promise<CachedDocument | null> {
    if (!this.cache) return null;
    const mine = documents.get(key);
    if (mine) return mine;
    const epoch = documents.epoch;
    const hit = await this.cache.match(key);
    const etag = hit?.headers.get("ETag");
    if (!hit || !etag) {
      await hit?.body?.cancel();
      return null;
    }
    const doc = { text: await hit.text(), etag };
    const until = Number(hit.headers.get(EXPIRES_HEADER));
    if (Number.isFinite(until) && until > 0) documents.set(key, doc, { until, ifEpoch: epoch });
    return doc;
  }

  /**
   * Keeps a document built here, in the isolate and the location, unless a change dropped
   * documents since `epoch` was read: then the document may predate the change, and neither
   * keeps it (the next read builds it again).
   */
  putDocument(key: string, doc: CachedDocument, epoch: number): void {
    if (!this.cache) return;
    if (documents.epoch !== epoch) return;
    const until = Date.now() + DOCUMENT_TTL_S * 1000;
    documents.set(key, doc, { until });
    this.put(
      key,
      doc.text,
      { ETag: doc.etag, "Content-Type": "application/json; charset=utf-8", [EXPIRES_HEADER]: String(until) },
      DOCUMENT_TTL_S,
    );
  }

  /** This isolate's copy of an archive's bytes (content-addressed: never stale). */
  keptArchive(sha256: string): Uint8Array | null {
    if (!this.cache) return null;
    return archives.get(sha256) ?? null;
  }

  keepArchive(sha256: string, bytes: Uint8Array): void {
    if (this.cache && bytes.byteLength <= ISOLATE_ARCHIVE_MAX) archives.set(sha256, bytes);
  }

  /** Drops keys in this isolate and this location (other locations keep theirs until they expire). */
  async delete(keys: string[], archiveSha256: string | null = null): Promise<void> {
    await dropCopiesHere(this.cache, keys, archiveSha256);
  }
}

/**
 * Drops the copies of `keys` (and of an archive's bytes) this isolate keeps, then the location's
 * in `cache` (none: the isolate's only).
 */
export async function dropCopiesHere(
  cache: Cache | null,
  keys: readonly string[],
  archiveSha256: string | null = null,
): Promise<void> {
  for (const key of keys) documents.delete(key);
  if (archiveSha256 !== null) archives.delete(archiveSha256);
  if (cache) await Promise.all(keys.map((k) => cache.delete(k)));
}

/** Tests: forget every isolate copy (what a fresh isolate starts with). */
export function forgetIsolateCopies(): void {
  documents.clear();
  archives.clear();
}
