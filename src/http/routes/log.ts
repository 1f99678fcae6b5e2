// The transparency log's read API under /v1/log: the tlog-tiles layout (checkpoint, tiles,
// entry bundles) served from R2, the verifier key, entry lookups with inclusion proofs, and
// consistency proofs. Everything here is read-only; the LogSequencer is the only writer.
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { RegistryError } from "../../domain/errors";
import { LOG_CHECKPOINT_KEY, LOG_SEQUENCER_NAME, logObjectKey } from "../../storage/keys";
import { parseTilePath } from "../../log/tiles";
import { formatProof } from "../../log/proof-text";
import { logSigner } from "../../services/log-key";
import { packageParam, versionParam } from "../params";
import { access } from "../middleware/route-access";

export const logRoutes = new Hono<AppEnv>();

logRoutes.get("/log/key", access.anyone(), (c) => {
  c.header("Cache-Control", "public, max-age=3600");
  return c.text(`${logSigner(c.env).verifierKey}\n`);
});

logRoutes.get("/log/checkpoint", access.read("nothing", "bulk"), async (c) => {
  const object = await c.env.BUCKET.get(LOG_CHECKPOINT_KEY);
  const text = object ? await object.text() : (await sequencer(c.env).latest()).checkpoint;
  c.header("Cache-Control", "no-cache");
  c.header("Content-Type", "text/plain; charset=utf-8");
  return c.body(text);
});

// Entry bundles name every logged package; hash tiles name none. Two routes, so that each
// declares what it reveals (a package-limited token may verify, but not list, in private mode).
logRoutes.get("/log/tile/entries/*", access.read("all-packages", "bulk"), (c) => serveTile(c));
logRoutes.get("/log/tile/*", access.read("nothing", "bulk"), (c) => serveTile(c));

async function serveTile(c: Context<AppEnv>) {
  // The path Hono routed on (decoded), so what is served is what the route declared.
  const path = c.req.path.replace(/^\/v1\/log\//, "");
  let tile;
  try {
    tile = parseTilePath(path);
  } catch {
    throw new RegistryError("not_found", `${path} is not a tile path (tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>])`);
  }
  const object = await c.env.BUCKET.get(logObjectKey(path));
  if (!object) throw new RegistryError("not_found", `tile ${path} does not exist (yet)`);
  // Tile contents never change once written: a full tile forever, a partial one until it is
  // superseded by a wider one, which has another path.
  c.header("Cache-Control", tile.width === 256 ? "public, max-age=31536000, immutable" : "public, max-age=86400");
  c.header("Content-Type", "application/octet-stream");
  return c.body(object.body);
}

logRoutes.get("/log/lookup/:scope/:name/:version", access.read("package", "bulk"), async (c) => {
  const pkg = packageParam(c);
  const version = versionParam(c);
  const log = sequencer(c.env);
  const found = await log.findEntry(`${pkg} ${version}`);
  if (!found) throw new RegistryError("version_not_found", `the log has no entry for ${pkg}@${version}`);
  const receipt = await log.prove(found.index);
  return c.json({ ...receipt, tlogProof: formatProof({ index: receipt.index, proof: receipt.proof, checkpoint: receipt.checkpoint }) });
});

logRoutes.get("/log/proof/consistency", access.read(), async (c) => {
  const from = Number(c.req.query("from"));
  const to = Number(c.req.query("to"));
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw new RegistryError("bad_request", "give tree sizes as ?from=<old size>&to=<new size> with 0 ≤ from ≤ to");
  }
  const log = sequencer(c.env);
  const { size } = await log.latest();
  if (to > size) throw new RegistryError("bad_request", `the log has ${size} entries; ${to} is beyond its latest checkpoint`);
  return c.json({ from, to, proof: await log.consistency(from, to) });
});

function sequencer(env: AppEnv["Bindings"]) {
  return env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME);
}
