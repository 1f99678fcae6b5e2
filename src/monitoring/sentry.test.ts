// Our envelopes against Sentry's own JavaScript SDK (@sentry/core's DSN and envelope parsers)
// and a fake collector on 127.0.0.1 that reads them as Sentry's ingest endpoint would.
import { createServer, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dsnFromString, getEnvelopeEndpointWithUrlEncodedAuth, parseEnvelope } from "@sentry/core";
import { envelope, envelopeRequest, errorEvent, parseDsn, sendEnvelope } from "./sentry";

const received: { url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    received.push({ url: req.url ?? "", headers: req.headers, body });
    res.writeHead(200, { "content-type": "application/json" }).end('{"id":"ok"}');
  });
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const SDK = { name: "ori-registry", version: "0.1.0" };

function sampleEvent() {
  return errorEvent(
    {
      eventId: "0123456789abcdef0123456789abcdef",
      timestamp: 1_790_000_000.5,
      errorClass: "RegistryError",
      message: "the log has no entry 7 — ünïcödé",
      stack: [
        "at unwrap (src/objects/rpc-result.ts:12:11)",
        "at async PackageReader.version (src/services/package-reader.ts:33:7)",
      ],
      fingerprint: "00112233445566aa",
      tags: { kind: "route", where: "GET /v1/packages/{scope}/{name}/versions", code: "internal_error" },
      release: "0.1.0+abc",
      requestId: "req-123",
      count: 2,
    },
    SDK,
  );
}

describe("parseDsn", () => {
  it("reads a DSN as Sentry's SDK does", () => {
    for (const dsn of [
      "https://abc123@o42.ingest.sentry.io/4501",
      "http://key@127.0.0.1:9000/7",
      "https://k@sentry.example.org/prefix/path/12",
    ]) {
      const ours = parseDsn(dsn)!;
      const theirs = dsnFromString(dsn)!;
      expect(ours.publicKey).toBe(theirs.publicKey);
      expect(ours.projectId).toBe(theirs.projectId);
      // Sentry's own endpoint, with the key in the query instead of our header.
      expect(getEnvelopeEndpointWithUrlEncodedAuth(theirs).split("?")[0]).toBe(envelopeRequest(ours, "x").url);
    }
  });

  it("refuses what is not a DSN", () => {
    for (const bad of [
      "",
      "not a url",
      "https://o42.ingest.sentry.io/4501",
      "https://key@host/no-project",
      "ftp://key@host/1",
    ])
      expect(parseDsn(bad), bad).toBeNull();
  });
});

describe("envelope", () => {
  it("is what @sentry/core's envelope parser reads back: the header, one event item, the event", () => {
    const dsn = parseDsn(`http://publickey@127.0.0.1:${port}/42`)!;
    const text = envelope(
      dsn,
      sampleEvent() as Record<string, unknown> & { event_id: string },
      new Date("2026-12-01T00:00:00Z"),
      SDK,
    );
    const [headers, items] = parseEnvelope(text);
    expect(headers).toMatchObject({
      event_id: "0123456789abcdef0123456789abcdef",
      dsn: dsn.dsn,
      sent_at: "2026-12-01T00:00:00.000Z",
    });
    expect(items).toHaveLength(1);
    const [itemHeader, bytes] = items[0]!;
    expect(itemHeader).toMatchObject({ type: "event" });
    // With a length, the parser takes exactly that many bytes and expects a newline after them:
    // the declared length is the payload's length in UTF-8 bytes (the message is not ASCII).
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect((bytes as Uint8Array).length).toBe((itemHeader as { length: number }).length);
    const payload = JSON.parse(new TextDecoder().decode(bytes as Uint8Array)) as Record<string, unknown>;
    expect(payload).toMatchObject({
      level: "error",
      platform: "node",
      fingerprint: ["00112233445566aa"],
      exception: { values: [{ type: "RegistryError", value: "the log has no entry 7 — ünïcödé" }] },
    });
    const frames = (
      payload as { exception: { values: { stacktrace: { frames: { function: string; lineno: number }[] } }[] } }
    ).exception.values[0]!.stacktrace.frames;
    // Innermost frame last.
    expect(frames.map((f) => [f.function, f.lineno])).toEqual([
      ["PackageReader.version", 33],
      ["unwrap", 12],
    ]);
  });

  it("carries no user, no request and asks Sentry not to infer an IP address", () => {
    const event = sampleEvent();
    expect(event).not.toHaveProperty("user");
    expect(event).not.toHaveProperty("request");
    expect(event).not.toHaveProperty("server_name");
    expect(event.sdk).toMatchObject({ settings: { infer_ip: "never" } });
  });
});

describe("sendEnvelope", () => {
  it("POSTs to /api/<project>/envelope/ with the key in X-Sentry-Auth", async () => {
    const dsn = parseDsn(`http://publickey@127.0.0.1:${port}/42`)!;
    const text = envelope(dsn, sampleEvent() as Record<string, unknown> & { event_id: string }, new Date(), SDK);
    received.length = 0;
    expect(await sendEnvelope(dsn, text, "ori-registry/0.1.0")).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe("/api/42/envelope/");
    expect(received[0]!.headers["content-type"]).toBe("application/x-sentry-envelope");
    expect(received[0]!.headers["x-sentry-auth"]).toBe(
      "Sentry sentry_version=7, sentry_key=publickey, sentry_client=ori-registry/0.1.0",
    );
    expect(received[0]!.body).toBe(text);
  });
});
