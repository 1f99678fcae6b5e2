// The one place the client talks HTTP: builds URLs, adds the bearer token, turns error answers
// into RegistryClientError and failed connections into RegistryNetworkError. Web APIs only, so
// it runs in Node ≥ 20, Workers and browsers alike.
import { RegistryClientError, RegistryNetworkError } from "./errors";

export interface TransportOptions {
  /** Base URL of the registry, e.g. `http://127.0.0.1:8787` (no `/v1`). */
  baseUrl: string;
  token?: string | null;
  /** Injected for tests and for Workers service bindings. */
  fetch?: typeof fetch;
  userAgent?: string;
}

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: string;
  query?: Query;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Send the token even on reads (private registries); default true when a token is set. */
  auth?: boolean;
  /** Error statuses that are answers for this route (deep health's 503), returned, not thrown. */
  answerStatuses?: readonly number[];
}

export class Transport {
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string | undefined;

  constructor(opts: TransportOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.token = opts.token ?? null;
    // Bound so that a global fetch keeps its `this` (Workers require it).
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.userAgent = opts.userAgent;
  }

  url(path: string, query?: Query): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Sends a request and returns the response if it is 2xx/3xx; throws a typed error otherwise. */
  async send(path: string, opts: RequestOptions = {}): Promise<Response> {
    const url = this.url(path, opts.query);
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    if (this.userAgent) headers["user-agent"] = this.userAgent;
    if (this.token && opts.auth !== false) headers.authorization = `Bearer ${this.token}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.json);
    }
    const init: RequestInit & { duplex?: "half" } = { method: opts.method ?? "GET", headers, body, redirect: "follow" };
    // A streamed body (used for upload progress) needs half-duplex in Node's fetch.
    if (body instanceof ReadableStream) init.duplex = "half";
    let res: Response;
    try {
      res = await this.fetchImpl(url, init);
    } catch (err) {
      throw new RegistryNetworkError(url, `could not reach ${url}: ${networkReason(err)}`, err);
    }
    if (res.status >= 400 && !opts.answerStatuses?.includes(res.status)) throw await errorFromResponse(res);
    return res;
  }

  /** The answer's JSON body; an answer that is not JSON is an `invalid_response`. */
  async readJson(res: Response, what: string): Promise<unknown> {
    try {
      return await res.json();
    } catch (err) {
      throw new RegistryClientError(
        res.status,
        "invalid_response",
        `${what} did not answer with JSON: ${String(err)}`,
        res.headers.get("x-request-id"),
      );
    }
  }
}

/** Reads `{"error":{"code","message"}}`; anything else (a proxy's HTML page) gets `http_<status>`. */
export async function errorFromResponse(res: Response): Promise<RegistryClientError> {
  const requestId = res.headers.get("x-request-id");
  const retry = res.headers.get("retry-after");
  const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : null;
  let text = "";
  try {
    text = await res.text();
  } catch {
    // The body is optional for our purpose; the status alone still says what happened.
  }
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (parsed.error && typeof parsed.error.code === "string") {
      const message = typeof parsed.error.message === "string" ? parsed.error.message : parsed.error.code;
      return new RegistryClientError(res.status, parsed.error.code, message, requestId, retryAfter);
    }
  } catch {
    // Not JSON: fall through to a generic error.
  }
  const snippet = text.trim().slice(0, 200);
  const message = `HTTP ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ""}`;
  return new RegistryClientError(res.status, `http_${res.status}`, message, requestId, retryAfter);
}

function networkReason(err: unknown): string {
  // Node's fetch wraps the socket error in `cause` (ECONNREFUSED, ENOTFOUND…): show that one.
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
  return err instanceof Error ? err.message : String(err);
}
