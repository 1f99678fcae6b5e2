// FileCheckpointStore: the cache file only grows, also under concurrent saves, and a lock left
// by a dead run does not block it for good.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileCheckpointStore } from "./checkpoint-cache";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const store = () => {
  const d = mkdtempSync(join(tmpdir(), "ori-cp-"));
  dirs.push(d);
  return new FileCheckpointStore(d, "example.test/v1/log+0a1b2c3d+AAAA");
};
const note = (size: number) => `example.test/v1/log\n${size}\nhash${size}=\n\n— sig\n`;

describe("FileCheckpointStore", () => {
  it("keeps the largest checkpoint whatever order concurrent saves finish in", async () => {
    const s = store();
    await Promise.all([10, 3, 12, 7, 11].map((n) => s.save(note(n), n)));
    expect(await s.load()).toBe(note(12));
    await s.save(note(9), 9);
    expect(readFileSync(s.path, "utf8")).toBe(note(12));
    await s.save(note(13), 13);
    expect(await s.load()).toBe(note(13));
  });

  it("takes over a stale lock, and waits for a live one", async () => {
    const s = store();
    await s.save(note(1), 1);
    const lock = `${s.path}.lock`;
    writeFileSync(lock, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    await s.save(note(2), 2);
    expect(await s.load()).toBe(note(2));

    writeFileSync(lock, ""); // live: released by "another run" shortly
    setTimeout(() => rmSync(lock, { force: true }), 100);
    await s.save(note(3), 3);
    expect(await s.load()).toBe(note(3));
  });
});
