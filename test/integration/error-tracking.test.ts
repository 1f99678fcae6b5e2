// Error tracking: every 5xx becomes an occurrence of a group (fingerprint: class + code + route
// template + top frame), counted, with redacted samples; resolving a group and its reopening;
// the alerts; and the failing request's answer, which recording must not change.
import {
  createExecutionContext,
  createMessageBatch,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { Env } from "../../src/env";
import type { ErrorGroup, ErrorGroupDetail } from "../../src/api/monitoring";
import { trackError } from "../../src/objects/error-recorder";
import type { PackageWriter } from "../../src/objects/package-writer";
import type { LogSequencer } from "../../src/objects/log-sequencer";
import type { JobMessage } from "../../src/jobs/messages";
import { archiveKey, LOG_SEQUENCER_NAME, packageWriterName } from "../../src/storage/keys";
import { formatEntry } from "../../src/log/entry";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, BASE, publish, sha256HexOf } from "./helpers";
import { json } from "./access-helpers";

/** The Worker with other settings: here, without the log's signing key (every use of it is a 503). */
async function fetchWith(overrides: Partial<Env>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, init), { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const NO_KEY: Partial<Env> = { LOG_SIGNING_KEY: undefined };

async function groups(query = ""): Promise<ErrorGroup[]> {
  const res = await json("GET", `/v1/admin/errors${query}`, ADMIN);
  expect(res.status).toBe(200);
  return ((await res.json()) as { groups: ErrorGroup[] }).groups;
}

async function detail(fingerprint: string): Promise<ErrorGroupDetail> {
  const res = await json("GET", `/v1/admin/errors/${fingerprint}`, ADMIN);
  expect(res.status).toBe(200);
  return (await res.json()) as ErrorGroupDetail;
}

const find = async (where: string) => (await groups()).find((g) => g.where === where);

afterEach(() => vi.restoreAllMocks());

describe("error tracking", () => {
  it("groups the same fault twice into one group, count 2, with the route template and request ids", async () => {
    const first = await fetchWith(NO_KEY, "/v1/log/key", { headers: { "x-request-id": "req-first-0001" } });
    expect(first.status).toBe(503);
    await fetchWith(NO_KEY, "/v1/log/key", { headers: { "x-request-id": "req-second-0002" } });
    const g = await find("GET /v1/log/key");
    expect(g).toMatchObject({
      kind: "route",
      errorClass: "RegistryError",
      code: "log_not_configured",
      count: 2,
      status: "open",
      lastRequestId: "req-second-0002",
    });
    expect(g!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(g!.frame).toMatch(/^logSigner \(src\/objects\/log-key\.ts\)$/);
    const d = await detail(g!.fingerprint);
    expect(d.samples.map((s) => s.requestId)).toEqual(["req-second-0002", "req-first-0001"]);
    expect(d.samples[0]).toMatchObject({ status: 503, message: expect.stringContaining("LOG_SIGNING_KEY") });
    expect(d.samples[0]!.stack.length).toBeGreaterThan(0);
  });

  it("puts the same fault on another route in another group", async () => {
    const archive = await buildArchive({ name: "@errors/a", version: "1.0.0" });
    const res = await fetchWith(NO_KEY, "/v1/packages/@errors/a/publish", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/gzip" },
      body: archive,
    });
    expect(res.status).toBe(503);
    const publish = await find("POST /v1/packages/{scope}/{name}/publish");
    const key = await find("GET /v1/log/key");
    expect(publish).toMatchObject({ code: "log_not_configured", count: 1 });
    expect(publish!.fingerprint).not.toBe(key!.fingerprint);
  });

  it("records an unexpected fault (a 500) with its class and top frame", async () => {
    await runInDurableObject(env.PACKAGE_WRITER.getByName(packageWriterName("@errors/b")), (obj: PackageWriter) =>
      obj.injectFault("crashBeforeAppend"),
    );
    const archive = await buildArchive({ name: "@errors/b", version: "1.0.0" });
    const res = await fetchWith({}, "/v1/packages/@errors/b/publish", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/gzip" },
      body: archive,
    });
    expect(res.status).toBe(500);
    const requestId = res.headers.get("x-request-id");
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(requestId);
    const g = (await groups()).find((x) => x.lastRequestId === requestId);
    expect(g).toMatchObject({
      kind: "route",
      where: "POST /v1/packages/{scope}/{name}/publish",
      errorClass: "Error",
      code: null,
      count: 1,
    });
    expect(g!.lastMessage).toContain("injected fault before the log append");
  });

  it("records a failed queue job under its job name", async () => {
    const archive = await buildArchive({ name: "@errors/job", version: "1.0.0" });
    expect((await publish("@errors/job", archive)).status).toBe(201);
    const sha = await sha256HexOf(archive);
    await env.BUCKET.delete(archiveKey(sha));
    const batch = createMessageBatch<JobMessage>("ori-registry-jobs", [
      {
        id: "0",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "version-published", name: "@errors/job", version: "1.0.0", sha256: sha },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await waitOnExecutionContext(ctx);
    const g = await find("version-published");
    expect(g).toMatchObject({ kind: "job", errorClass: "Error", code: null, count: 1 });
    expect(g!.lastMessage).toContain("is missing");
  });

  it("records a Durable Object's background failure: the log sequencer's flush", async () => {
    const seq = env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME);
    await runInDurableObject(seq, (obj: LogSequencer) => obj.injectFault("failBeforeSequencing"));
    const refused = await Promise.resolve(seq.append(formatEntry("@errors/flush", "1.0.0", "ab".repeat(32)))).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(refused).toContain("injected fault before sequencing");
    await vi.waitFor(async () => expect(await find("LogSequencer.flush")).toMatchObject({ kind: "alarm", count: 1 }));
  });

  it("keeps tokens, Authorization headers, signing keys, e-mail and IP addresses out of samples", async () => {
    const secret = "ori_leakedtoken0123456789abcdef";
    const err = new Error(
      `upstream said Authorization: Bearer ${secret} for alice@example.org from 203.0.113.9 with PRIVATE+KEY+registry.test/v1/log+1234abcd+AAAA`,
    );
    const ctx = createExecutionContext();
    trackError(
      env,
      (p) => ctx.waitUntil(p),
      { kind: "job", where: "redaction-test", requestId: "req-redact-0001" },
      err,
    );
    await waitOnExecutionContext(ctx);
    const g = await find("redaction-test");
    const d = await detail(g!.fingerprint);
    const text = JSON.stringify(d);
    for (const leak of [secret, "alice@example.org", "203.0.113.9", "1234abcd+AAAA"]) expect(text).not.toContain(leak);
    expect(d.group.lastMessage).toBe(
      "upstream said Authorization: [redacted] for [email] from [ip] with PRIVATE+KEY+[redacted]",
    );
  });

  it("never logs or stores the caller's token when a request with one fails", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((l: unknown) => void lines.push(String(l)));
    vi.spyOn(console, "log").mockImplementation((l: unknown) => void lines.push(String(l)));
    const archive = await buildArchive({ name: "@errors/c", version: "1.0.0" });
    await fetchWith(NO_KEY, "/v1/packages/@errors/c/publish", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/gzip" },
      body: archive,
    });
    vi.restoreAllMocks();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(ADMIN);
    const g = await find("POST /v1/packages/{scope}/{name}/publish");
    expect(JSON.stringify(await detail(g!.fingerprint))).not.toContain(ADMIN);
  });

  it("raises new_error_group once for a new group, and error_group_reopened when a resolved group happens again", async () => {
    const alerts: Record<string, unknown>[] = [];
    vi.spyOn(console, "error").mockImplementation((l: unknown) => {
      try {
        const o = JSON.parse(String(l)) as Record<string, unknown>;
        if (o.alert) alerts.push(o);
      } catch {}
    });
    for (const id of ["req-alert-00001", "req-alert-00002"]) {
      const ctx = createExecutionContext();
      trackError(
        env,
        (p) => ctx.waitUntil(p),
        { kind: "job", where: "brand-new", requestId: id },
        new Error("first time"),
      );
      await waitOnExecutionContext(ctx);
    }
    expect(alerts.filter((a) => a.alert === "new_error_group" && a.where === "brand-new")).toEqual([
      expect.objectContaining({ level: "error", kind: "job", requestId: "req-alert-00001" }),
    ]);

    const g = (await find("GET /v1/log/key"))!;
    const resolved = await json("POST", `/v1/admin/errors/${g.fingerprint}/resolve`, ADMIN);
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({
      fingerprint: g.fingerprint,
      status: "resolved",
      resolvedBy: "operator",
      resolvedAt: expect.any(String),
    });
    expect((await groups("?status=resolved")).map((x) => x.fingerprint)).toEqual([g.fingerprint]);
    expect((await groups("?status=open")).map((x) => x.fingerprint)).not.toContain(g.fingerprint);
    expect((await json("POST", `/v1/admin/errors/${g.fingerprint}/resolve`, ADMIN)).status).toBe(200); // again: no change

    await fetchWith(NO_KEY, "/v1/log/key");
    const reopened = (await find("GET /v1/log/key"))!;
    expect(reopened).toMatchObject({ status: "open", resolvedAt: null, resolvedBy: null, count: g.count + 1 });
    expect(alerts.filter((a) => a.alert === "error_group_reopened")).toEqual([
      expect.objectContaining({ level: "error", fingerprint: g.fingerprint, where: "GET /v1/log/key" }),
    ]);
    expect(alerts.filter((a) => a.alert === "new_error_group" && a.where === "GET /v1/log/key")).toEqual([]);
  });

  it("answers a failing request exactly as before when the error tracker itself is down", async () => {
    const broken = {
      getByName: () => ({ record: () => Promise.reject(new Error("tracker down")) }),
    } as unknown as Env["ERROR_TRACKER"];
    const normal = await fetchWith(NO_KEY, "/v1/log/key", { headers: { "x-request-id": "req-same-000001" } });
    const withBroken = await fetchWith({ ...NO_KEY, ERROR_TRACKER: broken }, "/v1/log/key", {
      headers: { "x-request-id": "req-same-000001" },
    });
    expect(withBroken.status).toBe(normal.status);
    expect(await withBroken.text()).toBe(await normal.text());
  });

  it("sends nothing anywhere when SENTRY_DSN is unset, and an envelope when it is set", async () => {
    const sent: Request[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Request(input, init));
      return new Response("{}", { status: 200 });
    });
    await fetchWith(NO_KEY, "/v1/log/key");
    expect(sent).toEqual([]);
    await fetchWith({ ...NO_KEY, SENTRY_DSN: "http://publickey@127.0.0.1:9/42" }, "/v1/log/key", {
      headers: { "x-request-id": "req-sentry-0001" },
    });
    expect(sent.map((r) => r.url)).toEqual(["http://127.0.0.1:9/api/42/envelope/"]);
    const [header, item, payload] = (await sent[0]!.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toMatchObject({ dsn: "http://publickey@127.0.0.1:9/42" });
    expect(item).toMatchObject({ type: "event" });
    expect(payload).toMatchObject({
      level: "error",
      tags: { kind: "route", where: "GET /v1/log/key", code: "log_not_configured" },
      extra: { requestId: "req-sentry-0001" },
    });
    expect(sent[0]!.headers.get("x-sentry-auth")).toContain("sentry_key=publickey");
  });
});

describe("the admin error routes", () => {
  it("answer 404 for a fingerprint that names no group, without echoing it", async () => {
    for (const fp of ["0000000000000000", "not-a-fingerprint", "<script>alert(1)</script>"]) {
      const res = await json("GET", `/v1/admin/errors/${encodeURIComponent(fp)}`, ADMIN);
      expect(res.status, fp).toBe(404);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("not_found");
      expect(body.error.message).not.toContain(fp);
      expect((await json("POST", `/v1/admin/errors/${encodeURIComponent(fp)}/resolve`, ADMIN)).status).toBe(404);
    }
  });

  it("refuse a bad status or limit with a 400", async () => {
    for (const q of ["?status=closed", "?limit=0", "?limit=201", "?limit=ten"]) {
      const res = await json("GET", `/v1/admin/errors${q}`, ADMIN);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
  });
});
