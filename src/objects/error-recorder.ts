// Error tracking's recorder (the ErrorTracker's client side, beside it so that Durable Objects
// can record their own failures): every 5xx and unhandled error — of a route, a queue job, an alarm, a probe —
// becomes an occurrence (fingerprint, redacted message and stack, request id) counted in the
// ErrorTracker's groups and, when SENTRY_DSN is set, sent to Sentry as an envelope. Recording
// runs after the answer (waitUntil) and swallows its own failures, so a failing request fails
// no differently and no slower. Per isolate, at most one delivery per fingerprint is in flight:
// occurrences during it are coalesced into the next (counts stay exact; Sentry sees one event
// per delivery). Alerts (a new or reopened group) are error-level log lines with `alert`.
import type { Env } from "../env";
import { RegistryError } from "../domain/errors";
import type { ErrorKind, ErrorOccurrence } from "./error-tracker";
import { fingerprintOf, shortStack, topFrame } from "../monitoring/fingerprint";
import { redact } from "../monitoring/redact";
import { envelope, errorEvent, parseDsn, sendEnvelope, type SentryDsn } from "../monitoring/sentry";
import { BUILD, releaseName } from "../monitoring/build-info";
import { logLine } from "../monitoring/log-line";
import { ERROR_TRACKER_NAME } from "../storage/keys";

export type { ErrorKind } from "./error-tracker";

export interface ErrorSource {
  kind: ErrorKind;
  /** `GET /v1/packages/{scope}/{name}/versions`, `reindex-package`, `download`, `PackageWriter.alarm`… */
  where: string;
  requestId?: string | null;
  status?: number | null;
}

type WaitUntil = (work: Promise<unknown>) => void;

/** Fingerprints waiting behind a delivery in flight (per isolate), at most MAX_WAITING. */
const waiting = new Map<string, { occurrence: ErrorOccurrence; count: number }>();
const inFlight = new Set<string>();
const MAX_WAITING = 100;

/** Records `err` after the current answer; never throws, never delays the caller. */
export function trackError(env: Env, waitUntil: WaitUntil, source: ErrorSource, err: unknown): void {
  try {
    waitUntil(
      occurrenceOf(source, err, Date.now())
        .then((o) => deliver(env, o))
        .catch((e: unknown) => console.error(logLine("error", "error tracking failed", { error: redact(String(e)) }))),
    );
  } catch (e) {
    console.error(logLine("error", "error tracking failed", { error: redact(String(e)) }));
  }
}

/** What is kept of an error: never a token, a header or a body (redact.ts), never more than needed. */
export async function occurrenceOf(source: ErrorSource, err: unknown, at: number): Promise<ErrorOccurrence> {
  const e = err instanceof Error ? err : new Error(typeof err === "string" ? err : `non-error thrown: ${typeof err}`);
  const errorClass = e.name || e.constructor?.name || "Error";
  const code = codeOf(e);
  const frame = topFrame(e.stack);
  return {
    fingerprint: await fingerprintOf({ errorClass, code, where: source.where, frame }),
    kind: source.kind,
    where: source.where,
    errorClass,
    code,
    frame,
    message: redact(e.message),
    stack: shortStack(e.stack).map((line) => redact(line, 300)),
    requestId: source.requestId ?? null,
    status: source.status ?? null,
    at,
  };
}

/** A RegistryError's code, or a client error's (the probes' RegistryClientError). */
function codeOf(e: Error): string | null {
  if (e instanceof RegistryError) return e.code;
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && /^[a-z0-9_]{1,64}$/.test(code) ? code : null;
}

async function deliver(env: Env, first: ErrorOccurrence): Promise<void> {
  const fp = first.fingerprint;
  if (inFlight.has(fp)) {
    const w = waiting.get(fp);
    if (w) w.count++;
    else if (waiting.size < MAX_WAITING) waiting.set(fp, { occurrence: first, count: 1 });
    else
      console.error(
        logLine("error", "error tracking dropped an occurrence: too many fingerprints waiting", { fingerprint: fp }),
      );
    return;
  }
  inFlight.add(fp);
  try {
    let next: { occurrence: ErrorOccurrence; count: number } | undefined = { occurrence: first, count: 1 };
    while (next) {
      await Promise.all([store(env, next.occurrence, next.count), toSentry(env, next.occurrence, next.count)]);
      next = waiting.get(fp);
      waiting.delete(fp);
    }
  } finally {
    inFlight.delete(fp);
  }
}

async function store(env: Env, o: ErrorOccurrence, count: number): Promise<void> {
  try {
    const result = await tracker(env).record(o, count);
    if (result.isNew || result.reopened) {
      console.error(
        logLine("error", result.isNew ? "a new kind of error" : "a resolved error happened again", {
          alert: result.isNew ? "new_error_group" : "error_group_reopened",
          fingerprint: o.fingerprint,
          kind: o.kind,
          where: o.where,
          errorClass: o.errorClass,
          code: o.code,
          message: o.message,
          requestId: o.requestId,
        }),
      );
    }
  } catch (e) {
    console.error(
      logLine("error", "the error tracker did not record an error", {
        fingerprint: o.fingerprint,
        error: redact(String(e)),
      }),
    );
  }
}

let dsnCache: { raw: string; dsn: SentryDsn | null } | null = null;

function sentryDsn(env: Env): SentryDsn | null {
  const raw = env.SENTRY_DSN?.trim();
  if (!raw) return null;
  if (dsnCache?.raw !== raw) {
    dsnCache = { raw, dsn: parseDsn(raw) };
    if (!dsnCache.dsn)
      console.error(
        logLine(
          "error",
          "SENTRY_DSN is not a Sentry DSN (https://<key>@<host>/<project id>): nothing is sent to Sentry",
        ),
      );
  }
  return dsnCache.dsn;
}

const SDK = { name: "ori-registry", version: BUILD.version };

async function toSentry(env: Env, o: ErrorOccurrence, count: number): Promise<void> {
  const dsn = sentryDsn(env);
  if (!dsn) return;
  try {
    const event = errorEvent(
      {
        eventId: crypto.randomUUID().replace(/-/g, ""),
        timestamp: o.at / 1000,
        errorClass: o.errorClass,
        message: o.message,
        stack: o.stack,
        fingerprint: o.fingerprint,
        tags: { kind: o.kind, where: o.where, ...(o.code ? { code: o.code } : {}) },
        release: releaseName(),
        requestId: o.requestId,
        count,
      },
      SDK,
    ) as Record<string, unknown> & { event_id: string };
    const status = await sendEnvelope(dsn, envelope(dsn, event, new Date(), SDK), `${SDK.name}/${SDK.version}`);
    if (status >= 300)
      console.error(logLine("error", "Sentry refused an error event", { status, fingerprint: o.fingerprint }));
  } catch (e) {
    console.error(
      logLine("error", "sending an error event to Sentry failed", {
        fingerprint: o.fingerprint,
        error: redact(String(e)),
      }),
    );
  }
}

function tracker(env: Env) {
  return env.ERROR_TRACKER.getByName(ERROR_TRACKER_NAME);
}
