// Version metadata and version lists through the isolate's and the location's cache
// (storage/edge-cache.ts): a hit answers without KV, the advisory projection, JSON or hashing; a
// miss builds the document, answers it, and keeps it (DOCUMENT_TTL_S in the location,
// ISOLATE_DOCUMENT_TTL_MS in the isolate) unless a change dropped documents while it was built.
// Errors (404, 410) are never kept. Every change made in this isolate drops the keys it affects
// (dropDocuments) here and in the location; other isolates and locations keep theirs until they
// expire — the bounds docs/consistency.md states.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { JsonReply, RouteSpec } from "../api/contract";
import { EdgeCache } from "../storage/edge-cache";
import { edgeArchiveKey, edgeMetadataKey, edgeVersionListKey } from "../storage/keys";
import { ReadModel } from "../storage/read-model";
import { etagOf, jsonTextWithEtag } from "./conditional";

/**
 * The route's 200 document, through the cache. `build` is checked against the route's contract
 * like any handler's answer; what comes back is the Response itself (implement passes a Response
 * through), typed as the route's reply so that handlers stay checked.
 */
export async function cachedDocument<R extends RouteSpec>(
  c: Context<AppEnv>,
  _route: R,
  key: string,
  build: () => Promise<Extract<JsonReply<R>, { status: 200 }>["body"]>,
): Promise<JsonReply<R>> {
  return (await cachedResponse(c, key, build)) as unknown as JsonReply<R>;
}

async function cachedResponse(c: Context<AppEnv>, key: string, build: () => Promise<unknown>): Promise<Response> {
  const cache = EdgeCache.of(c.env, c.executionCtx);
  const hit = await cache.matchDocument(key);
  if (hit) return jsonTextWithEtag(c, hit.text, hit.etag);
  const epoch = cache.documentEpoch;
  const text = JSON.stringify(await build());
  const etag = await etagOf(text);
  cache.putDocument(key, { text, etag }, epoch);
  return jsonTextWithEtag(c, text, etag);
}

/** After a change to a package here: its list, the version's metadata, and (removal, delete) its archive. */
export async function dropDocuments(
  c: Context<AppEnv>,
  pkg: string,
  version: string | null,
  archiveSha256: string | null = null,
): Promise<void> {
  const keys = [edgeVersionListKey(pkg)];
  if (version !== null) {
    keys.push(edgeMetadataKey(pkg, version));
    ReadModel.forgetRecentVersion(pkg, version);
  }
  if (archiveSha256 !== null) keys.push(edgeArchiveKey(archiveSha256));
  await EdgeCache.of(c.env, c.executionCtx).delete(keys, archiveSha256);
}

/** After an advisory change made here: the lists and every version's metadata of the packages it names (or named). */
export async function dropAdvisoryDocuments(c: Context<AppEnv>, packages: readonly string[]): Promise<void> {
  if (packages.length === 0) return;
  const lists = await new ReadModel(c.env.METADATA).findVersionLists(packages);
  const keys = packages.flatMap((pkg) => [
    edgeVersionListKey(pkg),
    ...(lists.get(pkg)?.versions ?? []).map((v) => edgeMetadataKey(pkg, v.version)),
  ]);
  await EdgeCache.of(c.env, c.executionCtx).delete(keys);
}
