// The Processor port over HTTP: the container entry (container/server.ts) in production through
// the Container binding's stub, a local process by URL (`npm start` with
// PROCESSING_BACKEND=container), or a service binding in the tests. Every answer is checked
// against the wire schemas, so a broken or hostile answer is a fault (the job retries), never
// stored. A slow processor is abandoned after a timeout (a fault too).
import { z } from "zod";
import { DEFAULT_LIMITS } from "./limits";
import { readLimited } from "../util/read-limited";
import { processBytes, type Processor, type ProcessResult, type ScanFindings, type ScanRequest } from "./processor";
import { ProcessResultSchema, ScanFindingsSchema } from "./processor-wire";

/** Anything that answers a Request: a Fetcher (service binding, Container stub), or global fetch. */
export interface RequestSender {
  fetch(request: Request): Promise<Response>;
}

export class ProcessorUnavailable extends Error {
  override readonly name = "ProcessorUnavailable";
}

export class HttpProcessor implements Processor {
  constructor(
    private readonly sender: RequestSender,
    /** Where the processor answers; only the path matters to a binding. */
    private readonly base = "http://processor",
    private readonly timeoutMs = 60_000,
  ) {}

  async process(archive: Uint8Array): Promise<ProcessResult> {
    // The container refuses a larger body unread (413): the answer is the checks' own, given here.
    if (archive.length > DEFAULT_LIMITS.maxCompressedBytes) return processBytes(archive);
    const answer = await this.send("/process", {
      method: "POST",
      headers: { "content-type": "application/gzip" },
      body: archive as Uint8Array<ArrayBuffer>,
    });
    return check(ProcessResultSchema, answer, "/process");
  }

  async scan(request: ScanRequest): Promise<ScanFindings> {
    const answer = await this.send("/scan", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    return check(ScanFindingsSchema, answer, "/scan");
  }

  async healthy(): Promise<boolean> {
    try {
      return (await this.sender.fetch(new Request(`${this.base}/healthz`, { signal: AbortSignal.timeout(5_000) }))).ok;
    } catch {
      return false;
    }
  }

  private async send(path: keyof typeof MAX_ANSWER_BYTES, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await this.sender.fetch(
        new Request(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) }),
      );
    } catch (e) {
      throw new ProcessorUnavailable(`the processor did not answer ${path}: ${String(e).slice(0, 200)}`);
    }
    const text = await readBounded(response, response.ok ? MAX_ANSWER_BYTES[path] : 4096, path);
    if (!response.ok)
      throw new ProcessorUnavailable(`the processor answered ${path} with ${response.status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new ProcessorUnavailable(`the processor's answer to ${path} is not JSON`);
    }
  }
}

/**
 * The most bytes an answer may have: /process lists at most 10,000 files (path, size, sha256 each)
 * and README HTML of at most 512 KiB, JSON-escaped; /scan as much as its request may.
 */
export const MAX_ANSWER_BYTES: Record<"/process" | "/scan", number> = {
  "/process": 8 * 1024 * 1024,
  "/scan": 16 * 1024 * 1024,
};

/** The body as text, refused (a fault) past `max` bytes; a non-200's is only read if short. */
async function readBounded(response: Response, max: number, path: string): Promise<string> {
  const tooLarge = () => new ProcessorUnavailable(`the processor's answer to ${path} is over ${max} bytes`);
  try {
    return new TextDecoder().decode(await readLimited(response, max, tooLarge));
  } catch (e) {
    if (!response.ok) return ""; // its status says enough
    if (e instanceof ProcessorUnavailable) throw e;
    throw new ProcessorUnavailable(`the processor's answer to ${path} is empty`);
  }
}

function check<S extends z.ZodType>(schema: S, answer: unknown, path: string): z.output<S> {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new ProcessorUnavailable(`the processor's answer to ${path} is malformed`);
  return parsed.data;
}
