// One JSON log line per request: the route template (never the raw path), the status, the error
// code, the request id and the duration — and nothing that identifies the caller.
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, publish } from "./helpers";

/** The request lines logged while `fn` runs. */
async function requestLines(fn: () => Promise<unknown>): Promise<{ raw: string; line: Record<string, unknown> }[]> {
  const raw: string[] = [];
  vi.spyOn(console, "log").mockImplementation((l: unknown) => void raw.push(String(l)));
  vi.spyOn(console, "error").mockImplementation((l: unknown) => void raw.push(String(l)));
  await fn();
  vi.restoreAllMocks();
  return raw
    .filter((l) => l.includes('"msg":"request"'))
    .map((l) => ({ raw: l, line: JSON.parse(l) as Record<string, unknown> }));
}

afterEach(() => vi.restoreAllMocks());

describe("the request log line", () => {
  it("names the route template, not the package in the path, with status, code, id and duration", async () => {
    expect(
      (await publish("@logs/secret-name", await buildArchive({ name: "@logs/secret-name", version: "1.0.0" }))).status,
    ).toBe(201);
    const lines = await requestLines(() =>
      call("/v1/packages/@logs/secret-name/1.0.0/metadata", {
        headers: {
          "x-request-id": "req-log-000001",
          authorization: `Bearer ${ADMIN}`,
          "cf-connecting-ip": "203.0.113.77",
        },
      }),
    );
    expect(lines).toHaveLength(1);
    const { raw, line } = lines[0]!;
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      requestId: "req-log-000001",
      method: "GET",
      route: "/v1/packages/{scope}/{name}/{version}/metadata",
      status: 200,
      code: null,
    });
    expect(line.durationMs).toEqual(expect.any(Number));
    for (const leak of ["secret-name", ADMIN, "203.0.113.77", "1.0.0"]) expect(raw).not.toContain(leak);
  });

  it("carries the error code of an error answer, at warn for 4xx; an unknown route has no template", async () => {
    const lines = await requestLines(async () => {
      await call("/v1/packages/@logs/missing/versions");
      await call("/v1/no/such/route");
    });
    expect(lines.map((l) => [l.line.level, l.line.route, l.line.status, l.line.code])).toEqual([
      ["warn", "/v1/packages/{scope}/{name}/versions", 404, "package_not_found"],
      ["warn", null, 404, "route_not_found"],
    ]);
  });
});
