// Hono's trie router with its answers kept. Matching walks the route trie on every request, which
// was about 1 % of a download's CPU under load (docs/performance.md, "Sixth pass"), and a
// registry's reads ask for the same few paths again and again. The routes are all added while
// the app is built, before any request, so a method and path match the same routes every time:
// the answer is kept, at most KEPT_MAX of them (IsolateMemo: when full, the oldest goes first, so
// paths sent at random cannot grow it), and long paths are never kept.
// (Hono's RegExpRouter, faster still, refuses this app's routes: `/owners/:username` beside
// `/:version/metadata` under the same prefix.)
import type { Result, Router } from "hono/router";
import { TrieRouter } from "hono/router/trie-router";
import { IsolateMemo } from "../util/isolate-memo";

/** Answers kept per isolate, and the longest path kept (a download's is under 100 characters). */
export const KEPT_MAX = 2048;
export const KEPT_PATH_MAX = 256;

/** A memo of values that never go stale (no clock read), bounded as above. */
export function keptForGood<V>(): IsolateMemo<V> {
  return new IsolateMemo<V>(Infinity, KEPT_MAX, () => 0);
}

export class KeptRoutes<T> implements Router<T> {
  readonly name = "KeptRoutes(TrieRouter)";
  readonly #router = new TrieRouter<T>();
  readonly #kept = keptForGood<Result<T>>();

  add(method: string, path: string, handler: T): void {
    this.#kept.clear(); // a route added late would change earlier answers
    this.#router.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    const kept = this.#kept.get(key);
    if (kept) return kept;
    const result = this.#router.match(method, path);
    if (path.length <= KEPT_PATH_MAX) this.#kept.set(key, result);
    return result;
  }

  /** How many answers are kept (for tests). */
  get size(): number {
    return this.#kept.size;
  }
}
