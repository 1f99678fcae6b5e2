// The web UI in private mode: no page without a read token — the sign-in page instead, never
// data — a sign-in that keeps only hashes and sets a __Host- cookie (HttpOnly, Secure,
// SameSite=Strict), CSRF refused on the sign-in and sign-out forms, package limits applied as in
// the API, and a revoked token ending its sessions.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { VersionRecord } from "../../src/domain/package-records";
import { buildArchive } from "../helpers/archive-builder";
import { sha256Hex } from "../../src/util/bytes";
import { webSessionKey } from "../../src/storage/keys";
import { STATIC_ASSETS } from "../../src/web/static-assets";

const ADMIN = "ori_test_admin_token_0123456789abcdef";
const BASE = "http://registry.test";
let client = 0;

function call(path: string, init: RequestInit & { token?: string; cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("cf-connecting-ip", `2001:db8:57::${(++client).toString(16)}`);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.cookie) headers.set("cookie", init.cookie);
  return (exports as unknown as { default: Fetcher }).default.fetch(`${BASE}${path}`, {
    ...init,
    headers,
    redirect: "manual",
  });
}

async function api(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return call(path, {
    method,
    token,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The cookies a response sets, by name: value and attributes. */
function setCookies(res: Response): Map<string, { value: string; attrs: string }> {
  return new Map(
    res.headers.getSetCookie().map((c) => {
      const [pair, ...attrs] = c.split(";");
      const [name, ...value] = pair!.split("=");
      return [name!.trim(), { value: value.join("="), attrs: attrs.join(";").trim() }];
    }),
  );
}

/** GET /sign-in: the form's CSRF token and its cookie. */
async function signInForm(): Promise<{ csrf: string; cookie: string }> {
  const res = await call("/sign-in");
  expect(res.status).toBe(200);
  const html = await res.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  const cookie = setCookies(res).get("__Host-ori_csrf")!;
  expect(cookie.value).toBe(csrf);
  return { csrf, cookie: `__Host-ori_csrf=${cookie.value}` };
}

function form(fields: Record<string, string>, extra: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...extra },
    body: new URLSearchParams(fields).toString(),
  };
}

/** Signs in with a token; answers the session cookie. */
async function signIn(token: string): Promise<string> {
  const { csrf, cookie } = await signInForm();
  const res = await call("/sign-in", { ...form({ csrf, token, next: "/" }), cookie });
  expect(res.status, await res.clone().text()).toBe(303);
  const session = setCookies(res).get("__Host-ori_session")!;
  return `__Host-ori_session=${session.value}`;
}

let owner: string;
let limited: { id: string; token: string };
let publishOnly: string;

beforeAll(async () => {
  const user = await api("POST", "/v1/admin/users", ADMIN, { username: "webcorp" });
  owner = ((await user.json()) as { token: { token: string } }).token.token;
  for (const name of ["app", "secret"]) {
    const res = await call(`/v1/packages/@webcorp/${name}/publish`, {
      method: "POST",
      token: owner,
      headers: { "content-type": "application/gzip" },
      body: await buildArchive({ name: `@webcorp/${name}`, version: "1.0.0" }),
    });
    expect(res.status).toBe(201);
  }
  limited = (await (
    await api("POST", "/v1/tokens", owner, { name: "web", scopes: ["read"], packages: ["@webcorp/app"] })
  ).json()) as {
    id: string;
    token: string;
  };
  publishOnly = (
    (await (await api("POST", "/v1/tokens", owner, { name: "ci", scopes: ["publish"] })).json()) as { token: string }
  ).token;
  // Two publishes (and the pipeline's jobs they start) on shared cores: more than the default 10 s.
}, 60_000);

describe("private mode: the web UI", () => {
  it("answers every page with the sign-in page (401), never data, to a reader who is not signed in", async () => {
    for (const path of [
      "/",
      "/search?q=app",
      "/packages/@webcorp/app",
      "/packages/@webcorp/app/1.0.0",
      "/@webcorp",
      "/advisories",
      "/status",
      "/docs",
      "/no/such/page",
    ]) {
      const res = await call(path);
      const html = await res.text();
      expect(res.status, path).toBe(401);
      expect(html, path).toContain('action="/sign-in"');
      // Only the path asked for comes back (where to return after signing in): nothing it holds.
      expect(html.replace(/name="next" value="[^"]*"/, ""), path).not.toContain("@webcorp");
      expect(html, path).not.toContain("A test package");
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("www-authenticate"), path).toBeNull();
    }
    // Static files are not data.
    expect((await call(STATIC_ASSETS.css.path)).status).toBe(200);
  });

  it("signs in with a read token: a __Host- cookie holding a random secret, and only hashes in KV", async () => {
    const { csrf, cookie } = await signInForm();
    // As a browser sends it: the site's own Origin (Referrer-Policy same-origin keeps it; no-referrer would send "null").
    const res = await call("/sign-in", {
      ...form(
        { csrf, token: owner, next: "/packages/@webcorp/app" },
        { origin: BASE, "sec-fetch-site": "same-origin" },
      ),
      cookie,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/packages/@webcorp/app");
    const session = setCookies(res).get("__Host-ori_session")!;
    expect(session.attrs).toMatch(/Path=\//);
    expect(session.attrs).toMatch(/HttpOnly/);
    expect(session.attrs).toMatch(/Secure/);
    expect(session.attrs).toMatch(/SameSite=Strict/);
    expect(session.attrs).not.toMatch(/Domain=/);
    expect(session.value).not.toContain(owner);
    const stored = await env.METADATA.get(webSessionKey(await sha256Hex(session.value)));
    expect(stored).toContain(await sha256Hex(owner));
    expect(stored).not.toContain(owner);
    expect(stored).not.toContain(session.value);

    const page = await call("/packages/@webcorp/app", { cookie: `__Host-ori_session=${session.value}` });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("@webcorp/app = &quot;1.0.0&quot;");
    expect(html).toContain('action="/sign-out"');
    expect(page.headers.get("cache-control")).toBe("private, no-store");
  });

  it("refuses a sign-in without the form's CSRF token, from another origin, or with a bad token", async () => {
    const { csrf, cookie } = await signInForm();
    const noCookie = await call("/sign-in", form({ csrf, token: owner }));
    expect(noCookie.status).toBe(403);
    expect(setCookies(noCookie).has("__Host-ori_session")).toBe(false);
    const mismatch = await call("/sign-in", { ...form({ csrf: `${csrf}x`, token: owner }), cookie });
    expect(mismatch.status).toBe(403);
    const foreign = await call("/sign-in", {
      ...form({ csrf, token: owner }, { origin: "https://evil.example" }),
      cookie,
    });
    expect(foreign.status).toBe(403);
    const crossSite = await call("/sign-in", {
      ...form({ csrf, token: owner }, { "sec-fetch-site": "cross-site" }),
      cookie,
    });
    expect(crossSite.status).toBe(403);
    const unknown = await call("/sign-in", { ...form({ csrf, token: "ori_unknownunknownunknownunknown" }), cookie });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("unknown, expired or revoked");
    const malformed = await call("/sign-in", { ...form({ csrf, token: "hunter2" }), cookie });
    expect(malformed.status).toBe(400);
    const noRead = await call("/sign-in", { ...form({ csrf, token: publishOnly }), cookie });
    expect(noRead.status).toBe(403);
    expect(await noRead.text()).toContain("lacks the read scope");
    for (const res of [mismatch, foreign, crossSite, unknown, malformed, noRead])
      expect(setCookies(res).has("__Host-ori_session")).toBe(false);
  });

  it("keeps the page to go back to when it answers the form again after a refusal", async () => {
    const { csrf, cookie } = await signInForm();
    const wrong = await call("/sign-in", {
      ...form({ csrf, token: "ori_unknownunknownunknownunknown", next: "/packages/@webcorp/app" }),
      cookie,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('name="next" value="/packages/@webcorp/app"');
  });

  it("sends the reader back only to a path of this site", async () => {
    const { csrf, cookie } = await signInForm();
    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const res = await call("/sign-in", { ...form({ csrf, token: owner, next }), cookie });
      expect(res.status, next).toBe(303);
      expect(res.headers.get("location"), next).toBe("/");
    }
  });

  it("applies a token's package limit: the other packages are not found, nor listed", async () => {
    const cookie = await signIn(limited.token);
    expect((await call("/packages/@webcorp/app", { cookie })).status).toBe(200);
    const secret = await call("/packages/@webcorp/secret", { cookie });
    expect(secret.status).toBe(404);
    expect(await secret.text()).not.toContain("A test package");
    expect((await call("/@webcorp", { cookie })).status).toBe(404);
    const home = await (await call("/", { cookie })).text();
    expect(home).not.toContain("@webcorp/secret");
  });

  it("signs out only with the page's sign-out token; the session is gone from KV and the cookie cleared", async () => {
    const cookie = await signIn(owner);
    const secret = cookie.split("=")[1]!;
    const html = await (await call("/", { cookie })).text();
    const csrf = /action="\/sign-out"[^>]*>.*?name="csrf" value="([^"]+)"/s.exec(html)![1]!;
    expect((await call("/sign-out", { ...form({ csrf: "forged" }), cookie })).status).toBe(403);
    expect((await call("/", { cookie })).status).toBe(200);
    const out = await call("/sign-out", { ...form({ csrf }), cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/sign-in");
    expect(setCookies(out).get("__Host-ori_session")?.attrs).toMatch(/Max-Age=0/);
    expect(await env.METADATA.get(webSessionKey(await sha256Hex(secret)))).toBeNull();
    expect((await call("/", { cookie })).status).toBe(401);
  });

  it("ends the session when its token is revoked", async () => {
    const minted = (await (await api("POST", "/v1/tokens", owner, { name: "short", scopes: ["read"] })).json()) as {
      id: string;
      token: string;
    };
    const cookie = await signIn(minted.token);
    expect((await call("/", { cookie })).status).toBe(200);
    expect((await api("DELETE", `/v1/tokens/${minted.id}`, owner)).status).toBe(200);
    const after = await call("/", { cookie });
    expect(after.status).toBe(401);
    expect(setCookies(after).get("__Host-ori_session")?.attrs).toMatch(/Max-Age=0/);
  });

  it("takes a Bearer token too, as the API does", async () => {
    expect((await call("/packages/@webcorp/app", { token: owner })).status).toBe(200);
    expect((await call("/packages/@webcorp/app", { token: "ori_notatokennotatokennotatoken" })).status).toBe(401);
  });

  it("lists only the dependents a token limited to some packages may read", async () => {
    const app = (await env.PACKAGE_WRITER.getByName("package:@webcorp/app").findVersion("1.0.0")) as VersionRecord;
    const res = await call("/v1/packages/@webcorp/pinner/publish", {
      method: "POST",
      token: owner,
      headers: { "content-type": "application/gzip" },
      body: await buildArchive({
        name: "@webcorp/pinner",
        version: "1.0.0",
        dependencies: { "@webcorp/app": "1.0.0" },
        lockEntries: [{ name: "@webcorp/app", version: "1.0.0", sha256: app.sha256 }],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    // The queue's own consumer scans it, and adds it to @webcorp/app's dependents.
    await vi.waitFor(
      async () =>
        expect(await (await call("/packages/@webcorp/app", { token: owner })).text()).toContain("@webcorp/pinner"),
      { timeout: 20_000, interval: 100 },
    );
    const seen = await (await call("/packages/@webcorp/app", { cookie: await signIn(limited.token) })).text();
    expect(seen).toContain("@webcorp/app");
    expect(seen).not.toContain("@webcorp/pinner");
  });
});
