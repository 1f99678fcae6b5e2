// The Processor port: what the pipeline asks of the code that handles untrusted archives —
// process one archive's bytes (checksum, the publish checks with their error codes, the file
// index, the README as sanitized HTML) and scan one version against advisories. Two adapters
// run the very same functions: `inlineProcessor` calls them in this isolate (the Worker, the
// queue consumer); `HttpProcessor` (http-processor.ts) sends them to the container entry
// (container/server.ts), which calls them in Node. One contract suite runs against both.
import { isRegistryError } from "../domain/errors";
import { scanVersion, type ScanFindings, type ScanRequest } from "../scanning/scan";
import { sha256Hex } from "../util/bytes";
import { processArchive } from "./archive";
import type { ProcessResult } from "./processor-wire";
import { renderReadme } from "./readme-html";

export type { ProcessResult } from "./processor-wire";
export type { ScanFindings, ScanRequest } from "../scanning/scan";

export interface Processor {
  /** A refusal of the bytes is an answer (`ok: false` with its code); only a fault throws. */
  process(archive: Uint8Array): Promise<ProcessResult>;
  scan(request: ScanRequest): Promise<ScanFindings>;
}

/** The archive's checks and derived files, exactly as a publish runs the checks. */
export async function processBytes(bytes: Uint8Array): Promise<ProcessResult> {
  try {
    const processed = await processArchive(bytes);
    return {
      ok: true,
      sha256: processed.sha256,
      size: processed.size,
      name: processed.manifest.name,
      version: processed.manifest.version,
      decompressedSize: processed.decompressedSize,
      files: processed.files,
      readme: processed.readme === undefined ? null : renderReadme(processed.readme),
    };
  } catch (e) {
    if (!isRegistryError(e)) throw e;
    return { ok: false, sha256: await sha256Hex(bytes), size: bytes.length, code: e.code, message: e.message };
  }
}

export const inlineProcessor: Processor = {
  process: processBytes,
  scan: (request) => Promise.resolve(scanVersion(request)),
};
