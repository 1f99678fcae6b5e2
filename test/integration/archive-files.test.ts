// The local archive files (npm start only) and the order of a removal with them: the bar is
// written before the bytes leave R2, and a removal that cannot write it goes no further.
// workerd's real disk service is exercised end to end in test/e2e/server.test.ts.
import { describe, expect, it, vi } from "vitest";
import { ArchiveFiles } from "../../src/storage/archive-files";
import { ArchiveStore } from "../../src/storage/archive-store";
import { archiveBarUrl, archiveFileUrl, archiveKey, quarantineKey } from "../../src/storage/keys";

const SHA = "ab".repeat(32);

/** workerd's disk service as the tests need it: GET, PUT, DELETE on paths; every call logged. -1 throws. */
function disk(fail: Partial<Record<string, number>> = {}) {
  const files = new Map<string, Uint8Array>();
  const log: string[] = [];
  const fetcher = {
    fetch: async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      log.push(`${method} ${url}`);
      const status = fail[`${method} ${url}`];
      if (status === -1) throw new Error("EMFILE"); // the service unreachable
      if (status) return new Response(null, { status });
      if (method === "PUT") {
        files.set(url, new Uint8Array(await new Response(init.body).arrayBuffer()));
        return new Response(null, { status: 204 });
      }
      if (method === "DELETE") return new Response(null, { status: files.delete(url) ? 204 : 404 });
      const bytes = files.get(url);
      return bytes
        ? new Response(bytes, { headers: { "content-length": String(bytes.length) } })
        : new Response(null, { status: 404 });
    },
  } as unknown as Fetcher;
  return { files, log, fetcher };
}

/** The R2 calls quarantine and remove make, logged into the same list. */
function bucket(log: string[]) {
  const objects = new Map<string, Uint8Array>([[archiveKey(SHA), new Uint8Array([1, 2, 3])]]);
  return {
    objects,
    bucket: {
      get: async (key: string) => {
        log.push(`r2 get ${key}`);
        const bytes = objects.get(key);
        return bytes ? { body: new Response(bytes).body, httpMetadata: {} } : null;
      },
      put: async (key: string, body: ReadableStream) => {
        log.push(`r2 put ${key}`);
        objects.set(key, new Uint8Array(await new Response(body).arrayBuffer()));
      },
      delete: async (keys: string | string[]) => {
        for (const key of [keys].flat()) {
          log.push(`r2 delete ${key}`);
          objects.delete(key);
        }
      },
    } as unknown as R2Bucket,
  };
}

describe("ArchiveFiles", () => {
  it("answers a whole, unbarred file and nothing else", async () => {
    const d = disk();
    const files = new ArchiveFiles(d.fetcher);
    expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: true }); // none kept
    await files.keep(SHA, new Uint8Array([1, 2, 3]));
    const opened = await files.openUnbarred(SHA, 3);
    expect(new Uint8Array(await new Response(opened.file).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(await files.openUnbarred(SHA, 4)).toEqual({ file: null, keepable: true }); // not the record's length
    d.files.set(archiveBarUrl(SHA), new Uint8Array(0));
    expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: false }); // barred
  });

  for (const [what, fail] of [
    ["the bar cannot be read", { [`GET ${archiveBarUrl(SHA)}`]: 500 }],
    ["the disk service throws reading the bar", { [`GET ${archiveBarUrl(SHA)}`]: -1 }],
  ] as const) {
    it(`leaves the answer to R2, and keeps nothing, when ${what}`, async () => {
      const d = disk(fail);
      const files = new ArchiveFiles(d.fetcher);
      await files.keep(SHA, new Uint8Array([1, 2, 3]));
      expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: false });
    });
  }

  it("leaves the answer to R2 when the disk service throws reading the file", async () => {
    const files = new ArchiveFiles(disk({ [`GET ${archiveFileUrl(SHA)}`]: -1 }).fetcher);
    expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: true });
  });

  it("writes one file for concurrent first downloads, and reads every body to its end or cancels it", async () => {
    const d = disk();
    const files = new ArchiveFiles(d.fetcher);
    const bodies = [0, 1, 2].map(() => new Response(new Uint8Array([1, 2, 3])).body!);
    await Promise.all(bodies.map((b) => files.keep(SHA, b)));
    expect(d.log.filter((l) => l.startsWith("PUT "))).toHaveLength(1);
    const unread = bodies.filter((b) => !b.locked);
    expect(unread).toHaveLength(2);
    for (const b of unread) expect((await b.getReader().read()).done).toBe(true); // cancelled
    expect((await files.openUnbarred(SHA, 3)).file).not.toBeNull();
  });

  it("logs a file it could not keep, without failing the download", async () => {
    const d = disk({ [`PUT ${archiveFileUrl(SHA)}`]: 500 });
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await new ArchiveFiles(d.fetcher).keep(SHA, new Uint8Array([1]));
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });

  it("refuses a name that is not a sha256", async () => {
    const files = new ArchiveFiles(disk().fetcher);
    await expect(files.openUnbarred("../../etc/passwd", 1)).rejects.toThrow(/sha256/);
    await expect(files.bar("AB".repeat(32))).rejects.toThrow(/sha256/);
  });
});

describe("ArchiveStore with local files", () => {
  for (const op of ["quarantine", "remove"] as const) {
    it(`${op}: bars and drops the file before the bytes leave R2`, async () => {
      const d = disk();
      const r2 = bucket(d.log);
      const files = new ArchiveFiles(d.fetcher);
      await files.keep(SHA, new Uint8Array([1, 2, 3]));
      d.log.length = 0;
      await new ArchiveStore(r2.bucket, files)[op](SHA);
      expect(d.log.slice(0, 2)).toEqual([`PUT ${archiveBarUrl(SHA)}`, `DELETE ${archiveFileUrl(SHA)}`]);
      expect(d.log.slice(2).every((l) => l.startsWith("r2 "))).toBe(true);
      expect(d.log).toContain(`r2 delete ${archiveKey(SHA)}`);
      expect(d.files.has(archiveFileUrl(SHA))).toBe(false);
      expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: false });
      // Kept again later (a download that read R2 before the removal): still never answered.
      await files.keep(SHA, new Uint8Array([1, 2, 3]));
      expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: false });
    });

    it(`${op}: goes no further when the bar cannot be written`, async () => {
      const d = disk({ [`PUT ${archiveBarUrl(SHA)}`]: 500 });
      const r2 = bucket(d.log);
      await expect(new ArchiveStore(r2.bucket, new ArchiveFiles(d.fetcher))[op](SHA)).rejects.toThrow(/barred/);
      expect(d.log.filter((l) => l.startsWith("r2 "))).toEqual([]);
      expect(r2.objects.has(archiveKey(SHA))).toBe(true);
      expect(r2.objects.has(quarantineKey(SHA))).toBe(false);
    });
  }
});
