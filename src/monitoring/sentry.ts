// Sentry's wire format, for error tracking's optional copy (SENTRY_DSN): the DSN, and one error
// event in an envelope (develop.sentry.dev/sdk/envelopes: a JSON header line, then an item
// header line and the item's JSON payload, `\n`-separated, POSTed to /api/<project>/envelope/).
// Events carry no user, no request and no IP address, and ask Sentry not to infer one. Pure.

export interface SentryDsn {
  /** `https://o1.ingest.sentry.io` (scheme, host, port and any path before the project id). */
  base: string;
  publicKey: string;
  projectId: string;
  /** The DSN as given, for the envelope header. */
  dsn: string;
}

/** `https://<public key>@<host>[:port][/path]/<project id>`; null if it is not one. */
export function parseDsn(dsn: string): SentryDsn | null {
  let url: URL;
  try {
    url = new URL(dsn.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const projectId = /\/(\d+)\/?$/.exec(url.pathname)?.[1];
  if (!url.username || !projectId) return null;
  const path = url.pathname.replace(/\/\d+\/?$/, "");
  return {
    base: `${url.protocol}//${url.host}${path}`,
    publicKey: decodeURIComponent(url.username),
    projectId,
    dsn: dsn.trim(),
  };
}

/** Where envelopes go, and the auth header Sentry reads the key from. */
export function envelopeRequest(dsn: SentryDsn, client: string): { url: string; headers: Record<string, string> } {
  return {
    url: `${dsn.base}/api/${dsn.projectId}/envelope/`,
    headers: {
      "content-type": "application/x-sentry-envelope",
      "x-sentry-auth": `Sentry sentry_version=7, sentry_key=${dsn.publicKey}, sentry_client=${client}`,
    },
  };
}

export interface SentryErrorInput {
  /** 32 lowercase hex characters. */
  eventId: string;
  /** Seconds since the epoch. */
  timestamp: number;
  errorClass: string;
  /** Already redacted. */
  message: string;
  /** `fn (file:line)` lines, top first, already redacted. */
  stack: string[];
  fingerprint: string;
  tags: Record<string, string>;
  release: string;
  requestId: string | null;
  count: number;
}

/** The error event (Sentry's event payload). Frames go innermost last, as Sentry expects. */
export function errorEvent(e: SentryErrorInput, sdk: { name: string; version: string }): Record<string, unknown> {
  const frames = e.stack
    .map((line) => /^at (?:async )?(?:(.+?) \((.+?)(?::(\d+))?(?::\d+)?\)|(.+?)(?::(\d+))?(?::\d+)?)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const lineno = m[3] ?? m[5];
      return {
        function: m[1] ?? "<anonymous>",
        filename: m[2] ?? m[4],
        ...(lineno ? { lineno: Number(lineno) } : {}),
        in_app: !(m[2] ?? m[4] ?? "").includes("node_modules"),
      };
    })
    .reverse();
  return {
    event_id: e.eventId,
    timestamp: e.timestamp,
    platform: "node",
    level: "error",
    logger: "ori-registry",
    release: e.release,
    fingerprint: [e.fingerprint],
    tags: { ...e.tags, fingerprint: e.fingerprint },
    extra: { requestId: e.requestId, occurrences: e.count },
    exception: {
      values: [{ type: e.errorClass, value: e.message, ...(frames.length > 0 ? { stacktrace: { frames } } : {}) }],
    },
    sdk: { ...sdk, settings: { infer_ip: "never" } },
  };
}

/** One event in an envelope; the item header gives the payload's length in UTF-8 bytes. */
export function envelope(
  dsn: SentryDsn,
  event: Record<string, unknown> & { event_id: string },
  sentAt: Date,
  sdk: { name: string; version: string },
): string {
  const payload = JSON.stringify(event);
  const header = { event_id: event.event_id, dsn: dsn.dsn, sent_at: sentAt.toISOString(), sdk };
  return `${JSON.stringify(header)}\n${JSON.stringify({ type: "event", length: new TextEncoder().encode(payload).length, content_type: "application/json" })}\n${payload}\n`;
}

/** Sends an envelope; resolves to the collector's status (Sentry answers 200 when it took it). */
export async function sendEnvelope(
  dsn: SentryDsn,
  body: string,
  client: string,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  const { url, headers } = envelopeRequest(dsn, client);
  const res = await fetchImpl(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5000) });
  await res.body?.cancel();
  return res.status;
}
