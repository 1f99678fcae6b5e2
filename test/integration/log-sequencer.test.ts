// The LogSequencer inside workerd: batching under concurrency, dedupe, conflicts, crash
// recovery, and the tlog-tiles it serves, verified from the HTTP API alone.
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOG_SEQUENCER_NAME } from "../../src/storage/keys";
import { formatEntry } from "../../src/log/entry";
import { verifyInclusion } from "../../src/log/proof-text";
import { openCheckpoint } from "../../src/log/checkpoint";
import type { LogSequencer } from "../../src/objects/log-sequencer";

const ORIGIN = "registry.test/v1/log";
const seq = () => env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME);
const sha = (i: number) => i.toString(16).padStart(64, "0");
const line = (i: number, pkg = "@acme/pkg") => formatEntry(pkg, `1.0.${i}`, sha(i));
/** Storage is shared by the tests of a file, so each test logs under its own package name. */
let pkgN = 0;
const fresh = () => `@acme/p${++pkgN}`;
const size = async () => (await seq().latest()).size;
/** The rejection of an RPC call, as a value (RPC promises are thenables, not Promises). */
const failure = (p: PromiseLike<unknown>) =>
  Promise.resolve(p).then(
    () => null,
    (e: unknown) => String(e),
  );

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

describe("LogSequencer", () => {
  it("gives 100 parallel appends 100 distinct indexes in one tree, each proven", async () => {
    const start = await size();
    const pkg = fresh();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => seq().append(line(i, pkg))));
    const indexes = results.map((r) => (r.ok ? r.value.index : -1));
    expect(new Set(indexes).size).toBe(100);
    expect(Math.min(...indexes)).toBe(start);
    expect(Math.max(...indexes)).toBe(start + 99);
    for (const r of results) {
      if (!r.ok) throw new Error(r.message);
      expect(verify(r.value).size).toBeGreaterThan(r.value.index);
    }
    expect(await size()).toBe(start + 100);
    // Batching: far fewer checkpoints than entries were signed (each answer names its tree size).
    const sizes = new Set(results.map((r) => (r.ok ? r.value.treeSize : 0)));
    expect(sizes.size).toBeLessThan(100);
  });

  it("answers a repeated entry with the same index and refuses a second checksum for a version", async () => {
    const pkg = fresh();
    const first = await seq().append(line(1, pkg));
    const start = await size();
    const again = await seq().append(line(1, pkg));
    expect(first.ok && again.ok && first.value.index === again.value.index).toBe(true);
    const forged = await seq().append(formatEntry(pkg, "1.0.1", sha(999)));
    expect(forged.ok).toBe(false);
    if (!forged.ok) expect(forged.code).toBe("version_exists");
    expect(await size()).toBe(start);
  });

  it("decides between racing different checksums for one version: exactly one wins", async () => {
    const start = await size();
    const pkg = fresh();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => seq().append(formatEntry(pkg, "1.0.0", sha(i + 1)))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await size()).toBe(start + 1);
  });

  it("answers a conflict with a pooled entry only once that entry is sequenced: if its flush fails, the version is free", async () => {
    const pkg = fresh();
    const start = await size();
    // Both calls in one turn of the object, so the second surely finds the first in the pool.
    const [a, b] = await runInDurableObject(seq(), (obj: LogSequencer) => {
      obj.injectFault("failBeforeSequencing");
      return Promise.all([
        failure(obj.append(formatEntry(pkg, "1.0.0", sha(1)))),
        obj.append(formatEntry(pkg, "1.0.0", sha(2))),
      ]);
    });
    // The first entry's flush failed; the second waited for it instead of answering a conflict,
    // and was then logged.
    expect(a).toMatch(/injected fault before sequencing/);
    expect(b.ok && b.value.index).toBe(start);
    expect((await seq().findEntry(`${pkg} 1.0.0`))?.line).toBe(formatEntry(pkg, "1.0.0", sha(2)));
    expect(await size()).toBe(start + 1);
  });

  it.each(["sequenceAndStop", "stageAndStop"] as const)(
    "recovers after a crash (%s) with nothing lost or duplicated",
    async (fault) => {
      const pkg = fresh();
      await seq().append(line(0, pkg));
      const start = await size();
      await runInDurableObject(seq(), (obj: LogSequencer) => obj.injectFault(fault));
      expect(await failure(seq().append(line(1, pkg)))).toMatch(/injected fault/);
      await runInDurableObject(seq(), (obj: LogSequencer) => obj.injectFault(null));
      // The client retries the same entry: it gets the index it was sequenced at.
      const retried = await seq().append(line(1, pkg));
      if (!retried.ok) throw new Error(retried.message);
      expect(retried.value.index).toBe(start);
      const next = await seq().append(line(2, pkg));
      if (!next.ok) throw new Error(next.message);
      expect(next.value.index).toBe(start + 1);
      expect(verify(next.value).size).toBe(start + 2);
      expect(verify(retried.value).size).toBeGreaterThan(start);
    },
  );

  it("recovers through its alarm after the object dies mid-batch (evicted: no memory survives)", async () => {
    const start = await size();
    await runInDurableObject(seq(), (obj: LogSequencer) => obj.injectFault("stageAndStop"));
    expect(await failure(seq().append(line(3, fresh())))).toMatch(/injected fault/);
    await evictDurableObject(seq());
    // The alarm set when the batch was sequenced brings a fresh instance back to finish it.
    expect(await runDurableObjectAlarm(seq())).toBe(true);
    const object = await env.BUCKET.get("log/checkpoint");
    const { checkpoint } = openCheckpoint(await object!.text(), env.TEST_LOG_VERIFIER_KEY, ORIGIN);
    expect(checkpoint.size).toBe(start + 1);
    // Once published, no recovery alarm is left behind.
    await seq().append(line(4, fresh()));
    expect(await runDurableObjectAlarm(seq())).toBe(false);
  });

  it("rewrites R2's checkpoint on its alarm when a crash left it behind SQLite", async () => {
    await seq().append(line(5, fresh()));
    const current = (await seq().latest()).checkpoint;
    await env.BUCKET.put("log/checkpoint", "stale");
    await runInDurableObject(seq(), async (obj: LogSequencer) => obj.alarm());
    expect(await (await env.BUCKET.get("log/checkpoint"))!.text()).toBe(current);
  });

  it("finishes publishing sequenced entries on its alarm, without any new append", async () => {
    const start = await size();
    await runInDurableObject(seq(), (obj: LogSequencer) => obj.injectFault("sequenceAndStop"));
    expect(await failure(seq().append(line(7, fresh())))).toMatch(/injected fault/);
    await runInDurableObject(seq(), async (obj: LogSequencer) => {
      obj.injectFault(null);
      await obj.alarm();
    });
    const object = await env.BUCKET.get("log/checkpoint");
    const { checkpoint } = openCheckpoint(await object!.text(), env.TEST_LOG_VERIFIER_KEY, ORIGIN);
    expect(checkpoint.size).toBe(start + 1);
  });
});
