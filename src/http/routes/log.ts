// The transparency log's read API under /v1/log: the tlog-tiles layout (checkpoint, tiles,
// entry bundles) served from R2, the verifier key, entry lookups with inclusion proofs, and
// consistency proofs. Everything here is read-only; the LogSequencer is the only writer.
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { api } from "../../api";
import { RegistryError } from "../../domain/errors";
import { parseTilePath } from "../../log/tiles";
import { formatProof } from "../../log/proof-text";
import { TransparencyLog } from "../../services/transparency-log";
import { implement } from "../implement";
import { EdgeCache, IMMUTABLE_S } from "../../storage/edge-cache";
import { edgeTileKey } from "../../storage/keys";

export const logRoutes = implement(api.log, {
  key: (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.text(`${new TransparencyLog(c.env).verifierKey()}\n`);
  },

  checkpoint: async (c) => {
    const text = await new TransparencyLog(c.env).checkpoint();
    c.header("Cache-Control", "no-cache");
    c.header("Content-Type", "text/plain; charset=utf-8");
    return c.body(text);
  },

  entries: (c, { params }) => serveTile(c, `tile/entries/${params.path}`),
  tile: (c, { params }) => serveTile(c, `tile/${params.path}`),

  lookup: async (c, { params: { pkg, version } }) => {
    const log = new TransparencyLog(c.env);
    const found = await log.findEntry(pkg, version);
    if (!found) throw new RegistryError("version_not_found", `the log has no entry for ${pkg}@${version}`);
    const receipt = await log.prove(found.index);
    return {
      status: 200,
      body: {
        ...receipt,
        tlogProof: formatProof({ index: receipt.index, proof: receipt.proof, checkpoint: receipt.checkpoint }),
      },
    };
  },

  consistency: async (c, { query: { from, to } }) => {
    const log = new TransparencyLog(c.env);
    const { size } = await log.latest();
    if (to > size)
      throw new RegistryError("bad_request", `the log has ${size} entries; ${to} is beyond its latest checkpoint`);
    return { status: 200, body: { from, to, proof: await log.consistency(from, to) } };
  },
});

/** `path` is what Hono routed on (decoded), so what is served is what the route declared. */
async function serveTile(c: Context<AppEnv>, path: string) {
  let tile;
  try {
    tile = parseTilePath(path);
  } catch {
    throw new RegistryError(
      "not_found",
      `${path} is not a tile path (tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>])`,
    );
  }
  // Tile contents never change once written: a full tile forever, a partial one until it is
  // superseded by a wider one, which has another path. Full tiles are kept in the location's
  // cache, so a repeated fetch does not reach R2; partial ones are small and short-lived.
  const full = tile.width === 256;
  c.header("Cache-Control", full ? "public, max-age=31536000, immutable" : "public, max-age=86400");
  c.header("Content-Type", "application/octet-stream");
  const cache = EdgeCache.of(c.env, c.executionCtx);
  const cached = full ? await cache.match(edgeTileKey(path)) : null;
  if (cached?.body) return c.body(cached.body);
  const object = await new TransparencyLog(c.env).findTile(path);
  if (!object) throw new RegistryError("not_found", `tile ${path} does not exist (yet)`);
  if (!full) return c.body(object.body);
  const [served, kept] = object.body.tee();
  cache.put(edgeTileKey(path), kept, { "Content-Type": "application/octet-stream" }, IMMUTABLE_S);
  return c.body(served);
}
