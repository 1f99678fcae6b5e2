// The transparency log's read API under /v1/log: the tlog-tiles layout (checkpoint, tiles,
// entry bundles), the verifier key, entry lookups with inclusion proofs, consistency proofs.
import { z } from "zod";
import { RegistryError } from "../domain/errors";
import { access, route } from "./contract";
import { VersionPath } from "./params";
import { Count, LogReceipt, named } from "./shapes";

export const ConsistencyProof = named(
  "ConsistencyProof",
  "A consistency proof between two tree sizes (base64 hashes)",
  z.object({ from: Count, to: Count, proof: z.array(z.string()) }),
);

const size = (description: string) => z.string().optional().meta({ type: "integer", minimum: 0, description });

/** `?from=&to=`: two tree sizes with 0 ≤ from ≤ to. */
export const ConsistencyQuery = z
  .object({ from: size("the older tree size"), to: size("the newer tree size") })
  .transform((q) => {
    const from = Number(q.from);
    const to = Number(q.to);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
      throw new RegistryError("bad_request", "give tree sizes as ?from=<old size>&to=<new size> with 0 ≤ from ≤ to");
    }
    return { from, to };
  });

const TilePath = z.object({
  path: z.string().meta({ description: "the tile's path below /v1/log/tile/", example: "0/x001/067.p/12" }),
});

export const log = {
  key: route({
    methods: ["GET"],
    path: "/v1/log/key",
    summary: "The log's verifier key (`name+id+base64`)",
    tag: "log",
    access: access.anyone(),
    responses: { 200: { description: "the verifier key and a newline", contentType: "text/plain" } },
  }),
  checkpoint: route({
    methods: ["GET"],
    path: "/v1/log/checkpoint",
    summary: "The latest signed checkpoint (C2SP tlog-checkpoint)",
    tag: "log",
    access: access.read("nothing", "bulk"),
    responses: { 200: { description: "the checkpoint, a signed note", contentType: "text/plain" } },
  }),
  // Entry bundles name every logged package; hash tiles name none. Two routes, so that each
  // declares what it reveals (a package-limited token may verify, but not list, in private mode).
  entries: route({
    methods: ["GET"],
    path: "/v1/log/tile/entries/{path}",
    rest: "path",
    summary:
      "tlog-tiles entry bundles: tile/entries/<N>[.p/<W>] (they list every package: in private mode, not for package-limited tokens)",
    tag: "log",
    access: access.read("all-packages", "bulk"),
    params: TilePath,
    responses: { 200: { description: "the entry bundle", contentType: "application/octet-stream" } },
    errors: ["not_found"],
  }),
  tile: route({
    methods: ["GET"],
    path: "/v1/log/tile/{path}",
    rest: "path",
    summary: "tlog-tiles hash tiles: tile/<L>/<N>[.p/<W>]",
    tag: "log",
    access: access.read("nothing", "bulk"),
    params: TilePath,
    responses: { 200: { description: "the hash tile", contentType: "application/octet-stream" } },
    errors: ["not_found"],
  }),
  lookup: route({
    methods: ["GET"],
    path: "/v1/log/lookup/{scope}/{name}/{version}",
    summary: "A version's log entry, index, latest checkpoint and inclusion proof",
    tag: "log",
    access: access.read("package", "bulk"),
    params: VersionPath,
    responses: { 200: { description: "the receipt", schema: LogReceipt } },
    errors: ["version_not_found"],
  }),
  consistency: route({
    methods: ["GET"],
    path: "/v1/log/proof/consistency",
    summary: "Consistency proof between tree sizes ?from=&to=",
    tag: "log",
    access: access.read(),
    query: ConsistencyQuery,
    responses: { 200: { description: "the proof", schema: ConsistencyProof } },
    errors: ["bad_request"],
  }),
};

export type ConsistencyProof = z.output<typeof ConsistencyProof>;
