// The R2 stores against real R2 (miniflare's) and against the fake bucket of the unit tests,
// with one contract each; the fake refuses to rewrite an immutable key with other bytes, and
// the log's publisher, retried at every step as after a crash, never asks it to.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ArchiveStore } from "../../src/storage/archive-store";
import { LogObjectStore } from "../../src/storage/log-objects";
import { SqliteHashStore } from "../../src/objects/log-hash-store";
import { LogPublisher } from "../../src/objects/log-publisher";
import type { LogSequencer } from "../../src/objects/log-sequencer";
import { formatEntry } from "../../src/log/entry";
import { FakeBucket, ImmutableKeyRewritten } from "./fake-bucket";
import { sha256HexOf } from "./helpers";

const implementations: [string, () => R2Bucket][] = [
  ["R2 (miniflare)", () => env.BUCKET],
  ["the fake bucket", () => new FakeBucket().bucket],
];

for (const [name, bucket] of implementations) {
  describe(`ArchiveStore over ${name}`, () => {
    it("saves bytes under their sha256, finds them, and saving again changes nothing", async () => {
      const store = new ArchiveStore(bucket());
      const bytes = new TextEncoder().encode(`archive for ${name}`);
      const sha = await sha256HexOf(bytes);
      expect(await store.exists(sha)).toBe(false);
      await store.save(sha, bytes);
      await store.save(sha, bytes);
      expect(await store.exists(sha)).toBe(true);
      expect(new Uint8Array(await (await store.find(sha))!.arrayBuffer())).toEqual(bytes);
    });

    it("quarantines (idempotently) and removes for good", async () => {
      const b = bucket();
      const store = new ArchiveStore(b);
      const bytes = new TextEncoder().encode(`quarantined ${name}`);
      const sha = await sha256HexOf(bytes);
      await store.save(sha, bytes);
      await store.quarantine(sha);
      await store.quarantine(sha);
      expect(await store.find(sha)).toBeNull();
      expect(await b.head(`quarantine/sha256/${sha}`)).not.toBeNull();
      await store.remove(sha);
      expect(await b.head(`quarantine/sha256/${sha}`)).toBeNull();
    });

    it("refuses bytes that are not the sha256 they are saved under", async () => {
      await expect(
        new ArchiveStore(bucket()).save("0".repeat(64), new TextEncoder().encode("other bytes")),
      ).rejects.toThrow();
    });
  });

  describe(`LogObjectStore over ${name}`, () => {
    it("keeps the latest checkpoint and serves tiles by path", async () => {
      const store = new LogObjectStore(bucket());
      await store.saveCheckpoint("first\n");
      await store.saveCheckpoint("second\n");
      expect(await store.findCheckpoint()).toBe("second\n");
      await store.saveTile("tile/0/000.p/1", new Uint8Array(32).fill(1));
      expect(new Uint8Array(await (await store.findTile("tile/0/000.p/1"))!.arrayBuffer())).toEqual(
        new Uint8Array(32).fill(1),
      );
      expect(await store.findTile("tile/0/001")).toBeNull();
    });
  });
}

describe("the fake bucket", () => {
  it("refuses to rewrite an immutable key with other bytes, and allows the same bytes again", async () => {
    const fake = new FakeBucket();
    await fake.put("log/tile/0/000.p/1", new Uint8Array([1]));
    await fake.put("log/tile/0/000.p/1", new Uint8Array([1]));
    expect(fake.sameBytesRewrites).toEqual(["log/tile/0/000.p/1"]);
    await expect(fake.put("log/tile/0/000.p/1", new Uint8Array([2]))).rejects.toBeInstanceOf(ImmutableKeyRewritten);
    await fake.put("log/checkpoint", "a");
    await fake.put("log/checkpoint", "b"); // the checkpoint is replaced by design
  });
});

describe("LogPublisher, retried at each step as after a crash", () => {
  it("never rewrites a tile with other bytes", async () => {
    const fake = new FakeBucket();
    const stub = env.LOG_SEQUENCER.getByName("publisher-over-the-fake-bucket");
    await runInDurableObject(stub, async (_: LogSequencer, state) => {
      const hashes = new SqliteHashStore(state.storage);
      const publisher = new LogPublisher({ ...env, BUCKET: fake.bucket }, hashes);
      const line = (i: number) => formatEntry(`@fake/p${i}`, "1.0.0", i.toString(16).padStart(64, "0"));
      let next = 0;
      for (const batch of [3, 250, 1, 40]) {
        hashes.sequence(Array.from({ length: batch }, () => line(next++)));
        await publisher.stageTiles(); // a crash after staging: the next flush stages again
        await publisher.stageTiles();
        await publisher.publishCheckpoint();
        await publisher.syncCheckpointObject();
      }
    });
    expect([...fake.objects.keys()].filter((k) => k.startsWith("log/tile/")).length).toBeGreaterThan(4);
    expect(fake.sameBytesRewrites.length).toBeGreaterThan(0);
  });
});
