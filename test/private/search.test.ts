// Search in private mode: a read-scoped token is required, and a token limited to some packages
// finds only those — the others' names, descriptions and even their count stay hidden.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { JobMessage } from "../../src/jobs/messages";
import { buildArchive, validManifest } from "../helpers/archive-builder";

const ADMIN = "ori_test_admin_token_0123456789abcdef";
const call = (path: string, token: string | null, init: RequestInit = {}) =>
  (exports as unknown as { default: Fetcher }).default.fetch(`http://registry.test${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
const PACKAGES = ["@psearch/app", "@psearch/secret", "@psother/tool"];

let owner: string;
let limited: string;
let scoped: string;

async function mint(packages: string[]): Promise<string> {
  const res = await call("/v1/tokens", owner, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ci", scopes: ["read"], packages }),
  });
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  const user = await call("/v1/admin/users", ADMIN, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "psearcher" }),
  });
  owner = ((await user.json()) as { token: { token: string } }).token.token;
  for (const name of PACKAGES) {
    const manifest = validManifest(name, "1.0.0").replace('keywords = ["test-fixture"]', 'keywords = ["ocelotish"]');
    const res = await call(`/v1/packages/${name}/publish`, owner, {
      method: "POST",
      headers: { "content-type": "application/gzip" },
      body: await buildArchive({ name, version: "1.0.0", manifest }),
    });
    expect(res.status).toBe(201);
  }
  const batch = createMessageBatch<JobMessage>(
    "ori-registry-jobs",
    PACKAGES.map((name, i) => ({
      id: String(i),
      timestamp: new Date(),
      attempts: 1,
      body: { type: "reindex-package", name },
    })),
  );
  await worker.queue(batch, env);
  expect((await getQueueResult(batch, createExecutionContext())).retryMessages).toEqual([]);
  limited = await mint(["@psearch/app"]);
  scoped = await mint(["@psearch/*"]);
});

const found = async (token: string | null, query = "q=ocelotish") => {
  const res = await call(`/v1/search?${query}`, token);
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toContain("private");
  return (await res.json()) as { total: number; results: { name: string }[] };
};

describe("GET /v1/search in private mode", () => {
  it("refuses anonymous callers", async () => {
    expect((await call("/v1/search?q=ocelotish", null)).status).toBe(401);
  });

  it("finds every package for a token without a package limit", async () => {
    const r = await found(owner);
    expect(r.total).toBe(3);
    expect(r.results.map((h) => h.name).sort()).toEqual([...PACKAGES].sort());
  });

  it("finds only the packages a limited token covers, and counts only those", async () => {
    expect(await found(limited)).toMatchObject({ total: 1, results: [{ name: "@psearch/app" }] });
    expect(await found(limited, "q=%40psearch%2Fsecret")).toMatchObject({ total: 0, results: [] });
    const scope = await found(scoped);
    expect(scope.total).toBe(2);
    expect(scope.results.map((h) => h.name).sort()).toEqual(["@psearch/app", "@psearch/secret"]);
  });

  it("filters by the most patterns a token may carry (50: more than SQLite's bound-parameter limit if each were one)", async () => {
    const fillers = Array.from({ length: 48 }, (_, i) => `@pfill${i}/*`);
    const many = await mint([...fillers, "@psearch/app", "@psother/*"]);
    const r = await found(many);
    expect(r.total).toBe(2);
    expect(r.results.map((h) => h.name).sort()).toEqual(["@psearch/app", "@psother/tool"]);
  });
});
