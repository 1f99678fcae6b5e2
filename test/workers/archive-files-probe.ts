// A Worker for test/e2e/archive-files-disk.test.ts: ArchiveFiles (src/storage/archive-files.ts)
// against workerd's own disk service, bound as npm start binds it. Each route runs one scenario
// in one request and answers what it saw, so the test checks the runtime, not a fake of it.
import { ArchiveFiles } from "../../src/storage/archive-files";
import { archiveBarUrl, archiveFileUrl } from "../../src/storage/keys";

interface ProbeEnv {
  ARCHIVE_FILES: Fetcher;
}

const BYTES = new Uint8Array(256 * 1024).map((_, i) => (i * 31) % 251);

async function opened(files: ArchiveFiles, sha: string, size: number): Promise<string> {
  const o = await files.openUnbarred(sha, size);
  if (!o.file) return o.keepable ? "absent, keepable" : "barred";
  const got = new Uint8Array(await new Response(o.file).arrayBuffer());
  return got.length === BYTES.length && got.every((b, i) => b === BYTES[i]) ? "file" : "file, other bytes";
}

/** A raw write of a file at the path, as a download's keep would make it; what the runtime said. */
async function rawPut(disk: Fetcher, url: string): Promise<string> {
  try {
    const r = await disk.fetch(url, { method: "PUT", body: BYTES });
    await r.body?.cancel();
    return `status ${r.status}`;
  } catch {
    return "refused";
  }
}

export default {
  async fetch(request: Request, env: ProbeEnv): Promise<Response> {
    const { pathname, searchParams } = new URL(request.url);
    const sha = searchParams.get("sha") ?? "";
    const files = new ArchiveFiles(env.ARCHIVE_FILES);
    const seen: string[] = [];
    switch (pathname) {
      case "/keep-then-bar": {
        seen.push(await opened(files, sha, BYTES.length));
        await files.keep(sha, BYTES);
        seen.push(await opened(files, sha, BYTES.length));
        seen.push(await opened(files, sha, BYTES.length + 1));
        await files.bar(sha);
        seen.push(await opened(files, sha, BYTES.length));
        await files.keep(sha, BYTES); // a later download's keep: refused by the runtime, logged
        seen.push(await opened(files, sha, BYTES.length));
        await files.bar(sha); // barred already
        seen.push(await opened(files, sha, BYTES.length));
        break;
      }
      case "/bar-then-raw-put": {
        await files.bar(sha);
        seen.push(await rawPut(env.ARCHIVE_FILES, archiveFileUrl(sha)));
        seen.push(await opened(files, sha, BYTES.length));
        break;
      }
      case "/keep-streaming-across-bar": {
        // A download that read R2 before the removal: its keep is still streaming when the bar
        // is written, and finishes after the removal was acknowledged.
        const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
        const writer = writable.getWriter();
        const kept = files.keep(sha, readable);
        await writer.write(BYTES.subarray(0, BYTES.length / 2));
        seen.push(await opened(files, sha, BYTES.length)); // half written: not there yet
        await files.bar(sha);
        seen.push(await opened(files, sha, BYTES.length));
        await writer.write(BYTES.subarray(BYTES.length / 2));
        await writer.close();
        await kept;
        seen.push(await opened(files, sha, BYTES.length));
        break;
      }
      case "/bar-over-a-file": {
        await rawPut(env.ARCHIVE_FILES, archiveFileUrl(sha));
        seen.push(await opened(files, sha, BYTES.length));
        // The bar's own write under a file is refused (so bar() drops the file and tries again).
        seen.push(await rawPut(env.ARCHIVE_FILES, archiveBarUrl(sha)));
        await files.bar(sha);
        seen.push(await opened(files, sha, BYTES.length));
        seen.push(await rawPut(env.ARCHIVE_FILES, archiveFileUrl(sha)));
        break;
      }
      default:
        return new Response("not found", { status: 404 });
    }
    return Response.json(seen);
  },
};
