// The Processor port over HTTP: the container entry (container/server.ts) in production through
// the Container binding's stub, a local process by URL (`npm start` with
// PROCESSING_BACKEND=container), or a service binding in the tests. Every answer is checked
// against the wire schemas, so a broken or hostile answer is a fault (the job retries), never
// stored. A slow processor is abandoned after a timeout (a fault too).
import { z } from "zod";
import { DEFAULT_LIMITS } from "./limits";
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

  private async send(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await this.sender.fetch(
        new Request(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) }),
      );
    } catch (e) {
      throw new ProcessorUnavailable(`the processor did not answer ${path}: ${String(e).slice(0, 200)}`);
    }
    const text = await response.text();
    if (!response.ok)
      throw new ProcessorUnavailable(`the processor answered ${path} with ${response.status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new ProcessorUnavailable(`the processor's answer to ${path} is not JSON`);
    }
  }
}

function check<S extends z.ZodType>(schema: S, answer: unknown, path: string): z.output<S> {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new ProcessorUnavailable(`the processor's answer to ${path} is malformed`);
  return parsed.data;
}
