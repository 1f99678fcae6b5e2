// The web UI's pages in monitoring as the API's routes are (docs/monitoring.md): the request log
// line names the page's template, never the package in its path, with the error code of an
// error page; a page's server fault is logged redacted and becomes an error group.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { Env } from "../../src/env";
import type { ErrorGroup } from "../../src/api/monitoring";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, BASE, call, publish } from "./helpers";
import { json } from "./access-helpers";

/** Console lines written while `fn` runs. */
async function consoleLines(fn: () => Promise<unknown>): Promise<string[]> {
  const raw: string[] = [];
  vi.spyOn(console, "log").mockImplementation((l: unknown) => void raw.push(String(l)));
  vi.spyOn(console, "error").mockImplementation((l: unknown) => void raw.push(String(l)));
  await fn();
  vi.restoreAllMocks();
  return raw;
}

const requestLines = (raw: string[]) =>
  raw.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as Record<string, unknown>);

afterEach(() => vi.restoreAllMocks());

describe("the web UI in monitoring", () => {
  it("logs each page by its template, with the error code of a 404 page", async () => {
    expect(
      (await publish("@weblogs/secret-name", await buildArchive({ name: "@weblogs/secret-name", version: "1.0.0" })))
        .status,
    ).toBe(201);
    const raw = await consoleLines(async () => {
      await call("/packages/@weblogs/secret-name");
      await call("/packages/@weblogs/secret-name/1.0.0");
      await call("/@weblogs");
      await call("/packages/@weblogs/missing");
      await call("/no/such/page");
    });
    expect(requestLines(raw).map((l) => [l.level, l.route, l.status, l.code])).toEqual([
      ["info", "/packages/{scope}/{name}", 200, null],
      ["info", "/packages/{scope}/{name}/{version}", 200, null],
      ["info", "/{scope}", 200, null],
      ["warn", "/packages/{scope}/{name}", 404, "package_not_found"],
      ["warn", null, 404, "route_not_found"],
    ]);
    for (const line of raw) expect(line).not.toContain("secret-name");
  });

  it("reports a page's server fault as the API's are: a redacted line and an error group", async () => {
    // KV that fails every call: the package page cannot read the version list.
    const broken = new Proxy(
      {},
      {
        get: () => () => Promise.reject(new Error(`KV is down (token ${ADMIN})`)),
      },
    );
    const ctx = createExecutionContext();
    let res!: Response;
    const raw = await consoleLines(async () => {
      res = await worker.fetch(
        new Request(`${BASE}/packages/@weblogs/faulty`, { headers: { "x-request-id": "req-web-fault-1" } }),
        { ...env, METADATA: broken } as unknown as Env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    });
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toContain("req-web-fault-1");
    const fault = raw.find((l) => l.includes('"msg":"server fault"'))!;
    expect(JSON.parse(fault)).toMatchObject({ where: "GET /packages/{scope}/{name}", status: 500 });
    for (const line of raw) expect(line).not.toContain(ADMIN);
    const list = await json("GET", "/v1/admin/errors", ADMIN);
    const groups = ((await list.json()) as { groups: ErrorGroup[] }).groups;
    expect(groups.find((g) => g.lastRequestId === "req-web-fault-1")).toMatchObject({
      kind: "route",
      where: "GET /packages/{scope}/{name}",
      count: 1,
    });
  });
});
