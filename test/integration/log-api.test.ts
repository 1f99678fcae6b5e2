// The log's HTTP API from a client's point of view: checkpoint, key, tiles, lookups and
// consistency proofs, verified with the client-side log code alone. Runs on its own storage.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOG_SEQUENCER_NAME } from "../../src/storage/keys";
import { formatEntry } from "../../src/log/entry";
import { verifyConsistency, verifyInclusion } from "../../src/log/proof-text";
import { openCheckpoint } from "../../src/log/checkpoint";
import { TileHashReader } from "../../src/log/tile-reader";
import { proveRecordAsync, checkRecord } from "../../src/log/proof";
import { leafHash } from "../../src/log/hash";
import { parseTilePath } from "../../src/log/tiles";
import { call } from "./helpers";

const ORIGIN = "registry.test/v1/log";
const seq = () => env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME);
const sha = (i: number) => i.toString(16).padStart(64, "0");
const line = (i: number, pkg = "@acme/pkg") => formatEntry(pkg, `1.0.${i}`, sha(i));

function verify(receipt: { entry: string; index: number; proof: string[]; checkpoint: string }) {
  return verifyInclusion({
    entry: receipt.entry,
    index: receipt.index,
    proof: receipt.proof,
    signedCheckpoint: receipt.checkpoint,
    verifierKey: env.TEST_LOG_VERIFIER_KEY,
    origin: ORIGIN,
  });
}

describe("GET /v1/log/* (tests run in order on one growing log)", () => {
  it("serves a checkpoint, key and tiles from which a client proves every entry of a 300-entry log", async () => {
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => seq().append(line(i + j))));
    }
    const key = (await (await call("/v1/log/key")).text()).trim();
    expect(key).toBe(env.TEST_LOG_VERIFIER_KEY);
    const res = await call("/v1/log/checkpoint");
    expect(res.status).toBe(200);
    const { checkpoint } = openCheckpoint(await res.text(), key, ORIGIN);
    expect(checkpoint.size).toBe(300);

    const fetched: string[] = [];
    const reader = new TileHashReader(checkpoint, async (path) => {
      fetched.push(path);
      const tile = await call(`/v1/log/${path}`);
      expect(tile.status, path).toBe(200);
      return new Uint8Array(await tile.arrayBuffer());
    });
    for (const i of [0, 1, 255, 256, 299]) {
      const proof = await proveRecordAsync(300, i, reader);
      checkRecord(proof, 300, checkpoint.hash, i, leafHash(line(i)));
    }
    expect(fetched.every((p) => parseTilePath(p))).toBe(true);
    const full = await call("/v1/log/tile/0/000");
    expect(full.headers.get("cache-control")).toContain("immutable");
    const entries = await call("/v1/log/tile/entries/001.p/44");
    expect(entries.status).toBe(200);
  });

  it("answers lookups with an inclusion proof and gives consistency proofs between sizes", async () => {
    const a = await seq().append(line(0, "@acme/http"));
    const old = (await seq().latest()).checkpoint;
    await Promise.all([1, 2, 3, 4, 5].map((i) => seq().append(line(i, "@acme/http"))));
    const lookup = await call("/v1/log/lookup/@acme/http/1.0.0");
    expect(lookup.status).toBe(200);
    const body = (await lookup.json()) as {
      entry: string;
      index: number;
      proof: string[];
      checkpoint: string;
      tlogProof: string;
    };
    expect(body.entry).toBe(line(0, "@acme/http"));
    expect(body.index).toBe(a.ok ? a.value.index : -1);
    expect(verify(body).size).toBe(306);
    expect(body.tlogProof.startsWith("c2sp.org/tlog-proof@v1\n")).toBe(true);

    const cons = await call("/v1/log/proof/consistency?from=301&to=306");
    const { proof } = (await cons.json()) as { proof: string[] };
    expect(verifyConsistency(old, body.checkpoint, proof, env.TEST_LOG_VERIFIER_KEY, ORIGIN).newer.size).toBe(306);
    expect((await call("/v1/log/proof/consistency?from=5&to=999")).status).toBe(400);
    expect((await call("/v1/log/lookup/@acme/http/9.9.9")).status).toBe(404);
    expect((await call("/v1/log/tile/0/1")).status).toBe(404);
  });
});
