// The processor as an HTTP handler (fetch-style: Request in, Response out), so the same code
// answers in the container entry (container/server.ts, Node's http), behind a service binding in
// workerd, and anywhere else a Request can be made:
//   GET  /healthz   → {"status":"ok"}
//   POST /process   archive bytes (application/gzip) → ProcessResult (a refusal is a 200 with ok:false)
//   POST /scan      ScanRequest JSON → ScanFindings
// Bodies are bounded before they are read past the bound (413), a body that is not what the
// route takes is a 400, and no input can crash the handler: every fault is a 500 answer
// `{"error": {"code": "internal_error"}}` without the fault's text (it may name internals).
import { z } from "zod";
import { isRegistryError } from "../domain/errors";
import { fromUtf8 } from "../util/bytes";
import { readLimited } from "../util/read-limited";
import { DEFAULT_LIMITS } from "./limits";
import { inlineProcessor, type Processor } from "./processor";
import { ScanRequestSchema } from "./processor-wire";

/** The largest bodies the handler reads: an archive at the publish limit; a scan's advisories. */
export const PROCESSOR_BODY_LIMITS = { process: DEFAULT_LIMITS.maxCompressedBytes, scan: 16 * 1024 * 1024 } as const;

type Code = "bad_request" | "archive_too_large" | "not_found" | "method_not_allowed" | "internal_error";

export async function handleProcessorRequest(
  request: Request,
  processor: Processor = inlineProcessor,
): Promise<Response> {
  try {
    const { pathname } = new URL(request.url);
    const route = ROUTES[pathname];
    if (!route) return failure(404, "not_found", `no route ${pathname.slice(0, 100)}`);
    if (request.method !== route.method) return failure(405, "method_not_allowed", `${pathname} takes ${route.method}`);
    return await route.run(request, processor);
  } catch (e) {
    if (e instanceof BodyError) return failure(e.status, e.code, e.message);
    console.error(JSON.stringify({ level: "error", msg: "processor fault", error: String(e).slice(0, 500) }));
    return failure(500, "internal_error", "the processor failed on this request");
  }
}

const ROUTES: Record<string, { method: string; run: (r: Request, p: Processor) => Promise<Response> }> = {
  "/healthz": { method: "GET", run: async () => Response.json({ status: "ok" }) },
  "/process": {
    method: "POST",
    run: async (request, processor) => {
      const bytes = await readBounded(request, PROCESSOR_BODY_LIMITS.process, "archive_too_large");
      return Response.json(await processor.process(bytes));
    },
  },
  "/scan": {
    method: "POST",
    run: async (request, processor) => {
      const bytes = await readBounded(request, PROCESSOR_BODY_LIMITS.scan, "bad_request");
      let json: unknown;
      try {
        json = JSON.parse(fromUtf8(bytes) ?? "");
      } catch {
        throw new BodyError(400, "bad_request", "the body is not JSON");
      }
      const parsed = ScanRequestSchema.safeParse(json);
      if (!parsed.success) throw new BodyError(400, "bad_request", `not a scan request: ${problem(parsed.error)}`);
      return Response.json(await processor.scan(parsed.data));
    },
  },
};

class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/** The body's bytes (an empty body is a 400), refused (413) past `max` bytes, unread beyond them. */
function readBounded(request: Request, max: number, code: Code): Promise<Uint8Array> {
  return readLimited(request, max, () => new BodyError(413, code, `the body is larger than ${max} bytes`)).catch(
    (e: unknown) => {
      if (isRegistryError(e)) throw new BodyError(400, "bad_request", e.message);
      throw e;
    },
  );
}

function failure(status: number, code: Code, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

function problem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : "invalid";
}
