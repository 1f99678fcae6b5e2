// Under `npm start` only: archives by sha256 in a directory of the local state, which workerd
// itself serves (its disk service, bound as ARCHIVE_FILES by scripts/lean-runtime.mjs) — the
// local stand-in for the edge keeping downloads. A download answered from here is a file the
// runtime streams to the socket: none of its bytes pass through JavaScript (from the isolate's
// memory they are copied three times), and no call goes to Miniflare's R2.
// DECISION (issue 17, docs/performance.md, "Fourth pass"): measured side by side, a 1 MiB
// download's CPU fell by about a quarter. Archives under ARCHIVE_FILE_MIN stay faster in
// memory. On Cloudflare the binding is absent and nothing here runs.
//
// Why a file may be answered without asking R2: this directory is one machine's filesystem,
// strongly consistent, and every removal and delete of bytes (ArchiveStore.quarantine,
// .remove) first *bars* their sha256 here before the bytes leave R2: it drops the file and
// writes a bar inside the file's own path, which makes that path a directory — never taken back
// while the runtime runs (content-addressed bytes that left the download path never return to
// it). A download answers a file only when one read of that path, made after it arrived, finds a
// file: so a removal acknowledged before a download arrived is always seen by it, as with the R2
// HEAD it replaces, and a bar costs a download no read of its own (a second read of the disk
// service was about a tenth of a large download's rate: docs/performance.md, "Fifth pass"). No
// file can be written where a bar is: the disk service writes a temporary file and moves it
// into place once the body has been read to its end, so a file is whole or absent, and it
// refuses the move onto a directory — the write throws, even for a keep that began before the
// bar (test/e2e/archive-files-disk.test.ts runs each case on workerd's own disk service). A
// file is written after a download read the bytes from R2; a file of another length than the
// record's is never answered. The runtime empties the directory when it
// starts (another runtime on the same state — `npm run dev` — bars nothing).
import type { Env } from "../env";
import { SHA256_HEX } from "../util/bytes";
import { archiveBarUrl, archiveFileUrl } from "./keys";

/**
 * Smaller archives are answered from the isolate's memory as before: faster there, measured side
 * by side (CPU per download, 16 connections: 128 KiB 0.56 ms from memory against 0.62 from a
 * file, 512 KiB 0.83 against 0.88, 1 MiB 1.27 against 1.14 — each with the R2 HEAD).
 */
export const ARCHIVE_FILE_MIN = 768 * 1024;

/** What openUnbarred found: the file to answer, or none and whether to keep one. */
export type Opened = { file: ReadableStream<Uint8Array>; keepable: false } | { file: null; keepable: boolean };

/** The files this isolate is writing: concurrent first downloads write one, not one each. */
const keeping = new Set<string>();

export class ArchiveFiles {
  constructor(private readonly files: Fetcher) {}

  /** The local files, where the runtime binds them (`npm start`); null everywhere else. */
  static of(env: Pick<Env, "ARCHIVE_FILES">): ArchiveFiles | null {
    return env.ARCHIVE_FILES ? new ArchiveFiles(env.ARCHIVE_FILES) : null;
  }

  /**
   * The archive's bytes if kept here whole (`size` bytes) and not barred: one read of its path,
   * after this call began. Otherwise no file, and whether keeping one would be worth it: not when
   * barred, or when the path could not be read. Never throws: a failing disk leaves the answer to R2.
   */
  async openUnbarred(sha256Hex: string, size: number): Promise<Opened> {
    const url = fileUrl(sha256Hex);
    let res: Response;
    try {
      res = await this.files.fetch(url);
    } catch {
      return { file: null, keepable: false };
    }
    if (res.status === 404) return { file: null, keepable: true };
    const file = res.status === 200 && !isDirectory(res);
    if (file && res.headers.get("content-length") === String(size) && res.body)
      return { file: res.body, keepable: false };
    await res.body?.cancel().catch(() => undefined);
    return { file: null, keepable: file }; // another length: kept again over it; a bar never
  }

  /**
   * Keeps the archive's bytes (a body that errors keeps nothing), unless this isolate is already
   * keeping them; the body is read to its end or cancelled. Failures are logged, not thrown.
   */
  async keep(sha256Hex: string, body: ReadableStream<Uint8Array> | Uint8Array): Promise<void> {
    const url = fileUrl(sha256Hex);
    if (keeping.has(url)) {
      if (body instanceof ReadableStream) await body.cancel();
      return;
    }
    keeping.add(url);
    try {
      await expectOk(await this.files.fetch(url, { method: "PUT", body }), "kept");
    } catch (e) {
      if (body instanceof ReadableStream) await body.cancel().catch(() => undefined);
      console.error(
        JSON.stringify({ level: "warn", msg: "archive file not kept", sha256: sha256Hex, error: String(e) }),
      );
    } finally {
      keeping.delete(url);
    }
  }

  /**
   * Bars the archive's file for good: drops it and writes the bar in its path. Call before the
   * bytes leave R2's download path. Throws if the bar is not written (the removal must not go on
   * without it).
   */
  async bar(sha256Hex: string): Promise<void> {
    const url = fileUrl(sha256Hex);
    // A download that read the bytes from R2 before this began may keep its file meanwhile:
    // the bar's write then fails (a file is in the way), and the file is dropped again.
    for (let attempt = 0; attempt < BAR_ATTEMPTS; attempt++) {
      const found = await this.files.fetch(url, { method: "HEAD" });
      if (found.status === 200 && isDirectory(found)) return; // barred already
      if (found.status === 200) {
        const dropped = await this.files.fetch(url, { method: "DELETE" });
        if (dropped.status !== 404) await expectOk(dropped, "dropped");
      } else if (found.status !== 404) await expectOk(found, "barred");
      const written = await this.files.fetch(barUrl(sha256Hex), { method: "PUT", body: "" }).catch(() => null);
      if (written?.ok) return;
      await written?.body?.cancel();
    }
    throw new Error(`archive file not barred after ${BAR_ATTEMPTS} attempts`);
  }
}

/** A bar that keeps losing to downloads writing the file fails its removal after this many. */
const BAR_ATTEMPTS = 5;

/** What workerd's disk service answers for a directory (a JSON listing): a barred path. */
function isDirectory(res: Response): boolean {
  return res.headers.get("content-type") === "application/json";
}

async function expectOk(res: Response, what: string): Promise<void> {
  await res.body?.cancel();
  if (!res.ok) throw new Error(`archive file not ${what}: status ${res.status}`);
}

function fileUrl(sha256Hex: string): string {
  return archiveFileUrl(checked(sha256Hex));
}

function barUrl(sha256Hex: string): string {
  return archiveBarUrl(checked(sha256Hex));
}

function checked(sha256Hex: string): string {
  if (!SHA256_HEX.test(sha256Hex)) throw new Error("an archive file is named by a sha256 (64 hex digits)");
  return sha256Hex;
}
