// LogWitness: consistency between the checkpoint remembered and each new one; forks, forged
// proofs, split views and planted cache files must all fail.
import { describe, expect, it } from "vitest";
import { LogWitness, MemoryCheckpointStore } from "./consistency";
import { VerificationError } from "./errors";
import { openTrustedCheckpoint } from "./verify";
import { TestLog } from "./test-log";
import { signCheckpoint } from "../log/checkpoint";
import { formatHash, leafHash } from "../log/hash";

function grow(log: TestLog, n: number) {
  for (let i = 0; i < n; i++) log.publish(`@acme/p${log.log.size}`, "1.0.0", `archive ${log.log.size}`);
}

function witnessFor(
  log: TestLog,
  store = new MemoryCheckpointStore(),
  fetchProof = (a: number, b: number) => Promise.resolve(log.consistency(a, b)),
) {
  return { store, witness: new LogWitness(log.key.verifier, store, fetchProof) };
}

const open = (log: TestLog, note: string) => openTrustedCheckpoint("t", note, log.key.verifier);

describe("LogWitness", () => {
  it("remembers the first checkpoint, then accepts a grown log and remembers the larger", async () => {
    const log = new TestLog();
    grow(log, 3);
    const { store, witness } = witnessFor(log);
    const first = log.checkpoint();
    expect((await witness.observe(open(log, first), first)).previous).toBeNull();
    expect(store.note).toBe(first);
    grow(log, 10);
    const second = log.checkpoint();
    expect((await witness.observe(open(log, second), second)).previous?.size).toBe(3);
    expect(store.note).toBe(second);
  });

  it("accepts an older checkpoint consistent with the remembered one, keeping the larger", async () => {
    const log = new TestLog();
    grow(log, 7);
    const { store, witness } = witnessFor(log, new MemoryCheckpointStore(log.checkpoint(7)));
    const older = log.checkpoint(4);
    await witness.observe(open(log, older), older);
    expect(store.note).toBe(log.checkpoint(7));
  });

  it("never shrinks the cache when two runs on one machine race", async () => {
    const log = new TestLog();
    grow(log, 12);
    const store = new MemoryCheckpointStore(log.checkpoint(5));
    const a = witnessFor(log, store).witness;
    const b = witnessFor(log, store).witness;
    await a.last();
    await b.last(); // both loaded size 5
    await b.observe(open(log, log.checkpoint(12)), log.checkpoint(12));
    await a.observe(open(log, log.checkpoint(10)), log.checkpoint(10));
    expect(store.note).toBe(log.checkpoint(12));
    expect((await a.last())?.size).toBe(12);
  });

  it("never shrinks the cache when another run saves a larger checkpoint during the proof fetch", async () => {
    const log = new TestLog();
    grow(log, 12);
    const store = new MemoryCheckpointStore(log.checkpoint(5));
    const witness = new LogWitness(log.key.verifier, store, async (a, b) => {
      await store.save(log.checkpoint(12), 12); // another process, mid-fetch
      return log.consistency(a, b);
    });
    await witness.observe(open(log, log.checkpoint(10)), log.checkpoint(10));
    expect(store.note).toBe(log.checkpoint(12));
  });

  it("checks a new checkpoint against one another run remembered meanwhile", async () => {
    const log = new TestLog();
    grow(log, 12);
    const store = new MemoryCheckpointStore(log.checkpoint(5));
    const a = witnessFor(log, store).witness;
    await a.last();
    // Another run remembered a checkpoint of a different history (same key): a fork.
    const fork = new TestLog(log.origin);
    Object.assign(fork, { key: log.key });
    for (let i = 0; i < 12; i++) fork.publish(`@evil/p${i}`, "1.0.0", `other ${i}`);
    store.note = fork.checkpoint(12);
    await expect(a.observe(open(log, log.checkpoint(10)), log.checkpoint(10))).rejects.toThrow(VerificationError);
  });

  it("fails on a forked log: same key, a different history", async () => {
    const log = new TestLog();
    grow(log, 5);
    const seen = log.checkpoint();
    // The registry rewrites history: a different log, signed with the same key.
    const fork = new TestLog(log.origin);
    Object.assign(fork, { key: log.key });
    fork.publish("@acme/evil", "1.0.0", "evil");
    grow(fork, 8);
    const { witness } = witnessFor(log, new MemoryCheckpointStore(seen), (a, b) =>
      Promise.resolve(fork.consistency(a, b)),
    );
    const next = fork.checkpoint();
    const err = await witness.observe(open(log, next), next).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationError);
    expect((err as VerificationError).mismatches[0]!.check).toBe(
      "consistency of the tree of size 5 with the tree of size 9",
    );
    expect((err as VerificationError).mismatches[0]!.detail).toContain("inconsistent_tree");
  });

  it("fails on a forged consistency proof", async () => {
    const log = new TestLog();
    grow(log, 5);
    const seen = log.checkpoint();
    grow(log, 3);
    const next = log.checkpoint();
    const { witness } = witnessFor(log, new MemoryCheckpointStore(seen), (a, b) =>
      Promise.resolve(log.consistency(a, b).map(() => formatHash(leafHash("x")))),
    );
    await expect(witness.observe(open(log, next), next)).rejects.toBeInstanceOf(VerificationError);
  });

  it("fails on two signed checkpoints of one size with different roots", async () => {
    const log = new TestLog();
    grow(log, 4);
    const seen = log.checkpoint();
    const split = signCheckpoint({ origin: log.origin, size: 4, hash: leafHash("other") }, log.key.signer);
    const { witness } = witnessFor(log, new MemoryCheckpointStore(seen));
    const err = (await witness.observe(open(log, split), split).catch((e: unknown) => e)) as VerificationError;
    expect(err.mismatches[0]!.check).toMatch(/same size have different roots/);
  });

  it("refuses a cached checkpoint that the trusted key did not sign", async () => {
    const log = new TestLog();
    grow(log, 2);
    const other = new TestLog(log.origin);
    grow(other, 2);
    const { witness } = witnessFor(log, new MemoryCheckpointStore(other.checkpoint()));
    await expect(witness.last()).rejects.toBeInstanceOf(VerificationError);
  });
});
