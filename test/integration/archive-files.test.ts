// The local archive files (npm start only) and the order of a removal with them: the bar is
// written before the bytes leave R2, and a removal that cannot write it goes no further.
// workerd's real disk service is exercised end to end in test/e2e/server.test.ts.
import { describe, expect, it, vi } from "vitest";
import { ArchiveFiles } from "../../src/storage/archive-files";
import { ArchiveStore } from "../../src/storage/archive-store";
import { archiveBarUrl, archiveFileUrl, archiveKey, quarantineKey } from "../../src/storage/keys";

const SHA = "ab".repeat(32);

/**
 * workerd's disk service as the tests need it: GET, HEAD, PUT, DELETE on paths, directories as
 * it has them (a path with anything under it; a JSON listing; no file written over one, nor
 * under a file: the call throws — test/e2e/archive-files-disk.test.ts checks that on workerd's own);
 * every call logged. -1 throws. `before` runs ahead of a call.
 */
function disk(fail: Partial<Record<string, number>> = {}, before: (call: string) => void = () => {}) {
  const files = new Map<string, Uint8Array>();
  const log: string[] = [];
  const isDirectory = (url: string) => [...files.keys()].some((k) => k.startsWith(`${url}/`));
  const underFile = (url: string) => [...files.keys()].some((k) => url.startsWith(`${k}/`));
  const fetcher = {
    fetch: async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      log.push(`${method} ${url}`);
      before(`${method} ${url}`);
      const status = fail[`${method} ${url}`];
      if (status === -1) throw new Error("EMFILE"); // the service unreachable
      if (status) return new Response(null, { status });
      if (method === "PUT") {
        if (isDirectory(url)) throw new Error("Is a directory");
        if (underFile(url)) throw new Error("File exists");
        files.set(url, new Uint8Array(await new Response(init.body).arrayBuffer()));
        return new Response(null, { status: 204 });
      }
      if (method === "DELETE") {
        const children = [...files.keys()].filter((k) => k.startsWith(`${url}/`));
        for (const k of children) files.delete(k); // recursive, as workerd's
        return new Response(null, { status: files.delete(url) || children.length ? 204 : 404 });
      }
      const body = (b: BodyInit) => (method === "HEAD" ? null : b);
      const bytes = files.get(url);
      if (bytes)
        return new Response(body(bytes), {
          headers: { "content-length": String(bytes.length), "content-type": "application/octet-stream" },
        });
      if (isDirectory(url)) return new Response(body("[]"), { headers: { "content-type": "application/json" } });
      return new Response(null, { status: 404 });
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
    d.log.length = 0;
    const opened = await files.openUnbarred(SHA, 3);
    expect(new Uint8Array(await new Response(opened.file).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(d.log).toEqual([`GET ${archiveFileUrl(SHA)}`]); // one read tells the file from a bar
    expect(await files.openUnbarred(SHA, 4)).toEqual({ file: null, keepable: true }); // not the record's length
    await files.bar(SHA);
    expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: false }); // barred
  });

  for (const [what, fail] of [
    ["the file's path cannot be read", { [`GET ${archiveFileUrl(SHA)}`]: 500 }],
    ["the disk service throws reading it", { [`GET ${archiveFileUrl(SHA)}`]: -1 }],
  ] as const) {
    it(`leaves the answer to R2, and keeps nothing, when ${what}`, async () => {
      const d = disk(fail);
      const files = new ArchiveFiles(d.fetcher);
      await files.keep(SHA, new Uint8Array([1, 2, 3]));
      expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: false });
    });
  }

  it("bars a path that a download keeps a file in meanwhile, and once is enough", async () => {
    let raced = false;
    const d = disk({}, (call) => {
      // A download that read R2 before the bar began keeps its file just before the bar is written.
      if (call === `PUT ${archiveBarUrl(SHA)}` && !raced) {
        raced = true;
        d.files.set(archiveFileUrl(SHA), new Uint8Array([1, 2, 3]));
      }
    });
    const files = new ArchiveFiles(d.fetcher);
    await files.bar(SHA);
    const [file, bar] = [archiveFileUrl(SHA), archiveBarUrl(SHA)];
    expect(d.log).toEqual([`HEAD ${file}`, `PUT ${bar}`, `HEAD ${file}`, `DELETE ${file}`, `PUT ${bar}`]);
    expect([...d.files.keys()]).toEqual([bar]);
    d.log.length = 0;
    await files.bar(SHA);
    expect(d.log).toEqual([`HEAD ${file}`]);
  });

  it("fails a bar that keeps losing to downloads writing the file", async () => {
    const d = disk({}, (call) => {
      if (call === `PUT ${archiveBarUrl(SHA)}`) d.files.set(archiveFileUrl(SHA), new Uint8Array([1]));
    });
    await expect(new ArchiveFiles(d.fetcher).bar(SHA)).rejects.toThrow(/not barred after 5 attempts/);
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
      const [file, bar] = [archiveFileUrl(SHA), archiveBarUrl(SHA)];
      expect(d.log.slice(0, 3)).toEqual([`HEAD ${file}`, `DELETE ${file}`, `PUT ${bar}`]);
      expect(d.log.slice(3).every((l) => l.startsWith("r2 "))).toBe(true);
      expect(d.log).toContain(`r2 delete ${archiveKey(SHA)}`);
      expect([...d.files.keys()]).toEqual([bar]);
      expect(await files.openUnbarred(SHA, 3)).toEqual({ file: null, keepable: false });
      // Kept again later (a download that read R2 before the removal): it cannot be written.
      const warn = vi.spyOn(console, "error").mockImplementation(() => undefined);
      await files.keep(SHA, new Uint8Array([1, 2, 3]));
      expect(warn).toHaveBeenCalledOnce();
      warn.mockRestore();
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
