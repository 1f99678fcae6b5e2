// The container entry: Node's http server around the processor handler
// (src/processing/processor-handler.ts), the same code the Worker runs inline. Bundled into one
// file by scripts/build-container.mjs (container/dist/server.mjs), which is all the image holds.
// `npm run container` runs it locally on $PORT (default 8080); it prints one JSON line with the
// address once it listens.
//
// Limits: the handler bounds every body (an archive at the publish limit, a scan at 16 MiB) and
// refuses past the bound without reading on; the server gives a client 10 s to send its headers
// and 60 s for the whole request (a slow-loris holds nothing for long), and at most 8 requests
// are worked on at once (more wait their turn). Processing itself is bounded by the archive
// limits (32 MiB decompressed, 10,000 entries), not by a clock. A fault in one request is a 500
// for that request; nothing a client sends can stop the process.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { handleProcessorRequest } from "../src/processing/processor-handler";

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? "0.0.0.0";

const server = createServer({ requestTimeout: 60_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
  serve(req, res).catch((e: unknown) => {
    log("error", "request failed", { error: String(e).slice(0, 300) });
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end('{"error":{"code":"internal_error","message":"the processor failed on this request"}}');
  });
});
server.maxRequestsPerSocket = 1_000;
server.maxConnections = 64;

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://${host}:${port}${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body (not in the DOM types)
    duplex: "half",
  });
  const started = Date.now();
  const response = await oneOfAtMost(MAX_AT_ONCE, () => handleProcessorRequest(request));
  const body = new Uint8Array(await response.arrayBuffer());
  // A body refused as too large may still be arriving: answer, then close the connection
  // rather than read the rest. Any other unread body (a GET's) is drained.
  const refused = response.status === 413;
  res.writeHead(response.status, {
    "content-type": response.headers.get("content-type") ?? "application/json",
    "content-length": String(body.length),
    ...(refused ? { connection: "close" } : {}),
  });
  res.end(body, () => {
    if (!refused) return;
    // A lingering close, as nginx's: what the client still sends is read and dropped for at most
    // LINGER_MS. Closing at once with its bytes unread makes the kernel reset the connection, and
    // a reset can discard the 413 before the client has read it (fetch then fails with EPIPE).
    req.resume();
    setTimeout(() => req.destroy(), LINGER_MS).unref();
  });
  if (!refused) req.resume();
  // One line per request: the method, the path (no query), the status and the time; no body.
  const path = (req.url ?? "/").split("?")[0]!.slice(0, 100);
  log("info", "request", { method: req.method, path, status: response.status, durationMs: Date.now() - started });
}

/** How long a refused body's remaining bytes are read and dropped before the connection closes. */
const LINGER_MS = 2_000;

/** Requests worked on at once: each may hold an archive (10 MiB) and its contents (32 MiB). */
const MAX_AT_ONCE = 8;
let active = 0;
const waiting: (() => void)[] = [];

async function oneOfAtMost<T>(max: number, work: () => Promise<T>): Promise<T> {
  while (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await work();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

function log(level: string, msg: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ level, msg, ...extra }));
}

server.on("clientError", (_err, socket) => {
  if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  else socket.destroy();
});

server.listen(port, host, () => {
  const address = server.address();
  log("info", "listening", { port: typeof address === "object" && address ? address.port : port, host });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
