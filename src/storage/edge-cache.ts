// The Cache API (caches.default): on Cloudflare one cache per location, never replicated to
// another, and working only on a custom domain (on workers.dev every call is a no-op); locally,
// Miniflare keeps one on disk. Cloudflare's CDN does not cache a Worker's own answers, so this is
// how a repeated download stays in the location: archives (keyed by sha256) and full tiles are
// immutable and kept a year; version metadata and version lists are kept DOCUMENT_TTL_S and
// dropped in this location on every change made here. Whether a version may be served is never
// read from here (docs/consistency.md, "Edge caching").
import type { Env } from "../env";

/** How long a location keeps immutable bytes: archives by sha256, full tiles (a year). */
export const IMMUTABLE_S = 31_536_000;

/** How long a location keeps a version's metadata or a version list it built. */
export const DOCUMENT_TTL_S = 30;

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

  /** Drops keys in this location (other locations keep theirs until they expire). */
  async delete(keys: string[]): Promise<void> {
    const cache = this.cache;
    if (!cache) return;
    await Promise.all(keys.map((k) => cache.delete(k)));
  }
}
