// The authorization matrix: each endpoint × each kind of caller, with the expected status.
import { beforeAll, describe, expect, it } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, publish } from "./helpers";
import { createUser, expire, json, mint } from "./access-helpers";
import { createAdvisory, sampleSubmission } from "./advisory-helpers";

type Caller = "anonymous" | "read" | "publishOwn" | "publishOther" | "packageLimited" | "expired" | "revoked" | "admin";
const tokens = {} as Record<Caller, string | null>;
let seq = 0;
let advisoryId = "";
const toWithdraw: string[] = [];
/** Each caller that may withdraw needs a record not yet withdrawn; the others get one too. */
const withdrawable = () => toWithdraw.shift() ?? advisoryId;

beforeAll(async () => {
  const alice = await createUser("alice");
  const bob = await createUser("bob");
  tokens.admin = await createUser("root", true);
  // alice claims @acme by publishing first; bob claims @other.
  for (const v of ["1.0.0", "2.0.0"])
    expect((await publish("@acme/http", await buildArchive({ name: "@acme/http", version: v }), alice)).status).toBe(
      201,
    );
  expect((await publish("@other/lib", await buildArchive({ name: "@other/lib", version: "1.0.0" }), bob)).status).toBe(
    201,
  );
  tokens.anonymous = null;
  tokens.read = (await mint(alice, { name: "ci read", scopes: ["read"] })).token;
  tokens.publishOwn = (await mint(alice, { name: "ci publish", scopes: ["read", "publish"] })).token;
  tokens.publishOther = (await mint(bob, { name: "bob publish", scopes: ["read", "publish"] })).token;
  tokens.packageLimited = (
    await mint(alice, { name: "limited", scopes: ["read", "publish", "admin"], packages: ["@acme/zzz"] })
  ).token;
  tokens.expired = (await mint(alice, { name: "old", scopes: ["read", "publish"], expires_in_days: 1 })).token;
  await expire(tokens.expired);
  const revoked = await mint(alice, { name: "leaked", scopes: ["read", "publish", "admin"] });
  expect((await json("DELETE", `/v1/tokens/${revoked.id}`, alice)).status).toBe(200);
  tokens.revoked = revoked.token;
  advisoryId = (await createAdvisory(sampleSubmission({ aliases: [] }))).id;
  for (let i = 0; i < CALLERS.length; i++)
    toWithdraw.push((await createAdvisory(sampleSubmission({ aliases: [] }))).id);
});

const CALLERS: Caller[] = [
  "anonymous",
  "read",
  "publishOwn",
  "publishOther",
  "packageLimited",
  "expired",
  "revoked",
  "admin",
];

// [endpoint, request, expected status per caller in CALLERS order]
const MATRIX: [string, (t: string | null) => Promise<Response>, number[]][] = [
  ["GET versions", (t) => json("GET", "/v1/packages/@acme/http/versions", t), [200, 200, 200, 200, 200, 401, 401, 200]],
  [
    "GET metadata",
    (t) => json("GET", "/v1/packages/@acme/http/1.0.0/metadata", t),
    [200, 200, 200, 200, 200, 401, 401, 200],
  ],
  [
    "GET download",
    (t) => json("GET", "/v1/packages/@acme/http/1.0.0/download", t),
    [200, 200, 200, 200, 200, 401, 401, 200],
  ],
  [
    "POST publish",
    async (t) => publish("@acme/http", await buildArchive({ name: "@acme/http", version: `3.0.${seq++}` }), t),
    [401, 403, 201, 403, 403, 401, 401, 403],
  ],
  ["POST yank", (t) => json("POST", "/v1/packages/@acme/http/1.0.0/yank", t), [401, 403, 200, 403, 403, 401, 401, 403]],
  [
    "POST unyank",
    (t) => json("POST", "/v1/packages/@acme/http/1.0.0/unyank", t),
    [401, 403, 200, 403, 403, 401, 401, 403],
  ],
  [
    "POST deprecate",
    (t) => json("POST", "/v1/packages/@acme/http/1.0.0/deprecate", t, { message: "use 2.x" }),
    [401, 403, 200, 403, 403, 401, 401, 403],
  ],
  [
    "POST owners",
    (t) => json("POST", "/v1/packages/@acme/http/owners", t, { username: "bob" }),
    [401, 403, 403, 403, 403, 401, 401, 403],
  ],
  [
    "POST transfer offer",
    (t) => json("POST", "/v1/packages/@acme/http/transfer", t, { to: "bob" }),
    [401, 403, 403, 403, 403, 401, 401, 403],
  ],
  ["GET audit", (t) => json("GET", "/v1/packages/@acme/http/audit", t), [401, 200, 200, 403, 403, 401, 401, 200]],
  [
    "POST remove",
    (t) => json("POST", "/v1/packages/@acme/http/2.0.0/remove", t, { reason: "malware" }),
    [401, 403, 403, 403, 403, 401, 401, 200],
  ],
  [
    "DELETE version",
    (t) => json("DELETE", "/v1/packages/@acme/http/2.0.0", t),
    [401, 403, 403, 403, 403, 401, 401, 200],
  ],
  [
    "POST scope member",
    (t) => json("POST", "/v1/scopes/@acme/members", t, { username: "bob" }),
    [401, 403, 403, 403, 403, 401, 401, 403],
  ],
  ["GET me", (t) => json("GET", "/v1/me", t), [401, 200, 200, 200, 200, 401, 401, 200]],
  ["GET tokens", (t) => json("GET", "/v1/tokens", t), [401, 200, 200, 200, 200, 401, 401, 200]],
  [
    "POST admin users",
    (t) => json("POST", "/v1/admin/users", t, { username: `u${seq++}` }),
    [401, 403, 403, 403, 403, 401, 401, 201],
  ],
  // The advisory database: registry administrators manage it (a package-limited admin token may not), anyone reads it.
  [
    "POST advisory",
    (t) => json("POST", "/v1/advisories", t, sampleSubmission({ aliases: [] })),
    [401, 403, 403, 403, 403, 401, 401, 201],
  ],
  [
    "PUT advisory",
    (t) => json("PUT", `/v1/advisories/${advisoryId}`, t, sampleSubmission({ aliases: [] })),
    [401, 403, 403, 403, 403, 401, 401, 200],
  ],
  [
    "POST advisory withdraw",
    (t) => json("POST", `/v1/advisories/${withdrawable()}/withdraw`, t, { reason: "test" }),
    [401, 403, 403, 403, 403, 401, 401, 200],
  ],
  ["GET advisories", (t) => json("GET", "/v1/advisories", t), [200, 200, 200, 200, 200, 401, 401, 200]],
  ["GET advisory", (t) => json("GET", `/v1/advisories/${advisoryId}`, t), [200, 200, 200, 200, 200, 401, 401, 200]],
  [
    "GET advisory history",
    (t) => json("GET", `/v1/advisories/${advisoryId}/history`, t),
    [200, 200, 200, 200, 200, 401, 401, 200],
  ],
  [
    "GET advisory export",
    (t) => json("GET", "/v1/advisories/export/modified_id.csv", t),
    [200, 200, 200, 200, 200, 401, 401, 200],
  ],
  [
    "POST query",
    (t) => json("POST", "/v1/query", t, { package: { name: "@acme/http", ecosystem: "Ori" } }),
    [200, 200, 200, 200, 200, 401, 401, 200],
  ],
  [
    "POST querybatch",
    (t) => json("POST", "/v1/querybatch", t, { queries: [] }),
    [200, 200, 200, 200, 200, 401, 401, 200],
  ],
  ["GET vulns", (t) => json("GET", `/v1/vulns/${advisoryId}`, t), [200, 200, 200, 200, 200, 401, 401, 200]],
  [
    "POST audit",
    (t) => json("POST", "/v1/audit", t, { lockfile: "[checksums]\n" }),
    [200, 200, 200, 200, 200, 401, 401, 200],
  ],
  // Monitoring: deep health and the status page for anyone; error groups for registry admins.
  ["GET deep health", (t) => json("GET", "/v1/health/deep", t), [200, 200, 200, 200, 200, 401, 401, 200]],
  ["GET status", (t) => json("GET", "/v1/status", t), [200, 200, 200, 200, 200, 401, 401, 200]],
  ["GET admin errors", (t) => json("GET", "/v1/admin/errors", t), [401, 403, 403, 403, 403, 401, 401, 200]],
  [
    "GET admin error group",
    (t) => json("GET", "/v1/admin/errors/0000000000000000", t),
    [401, 403, 403, 403, 403, 401, 401, 404],
  ],
  [
    "POST resolve error group",
    (t) => json("POST", "/v1/admin/errors/0000000000000000/resolve", t),
    [401, 403, 403, 403, 403, 401, 401, 404],
  ],
];

describe("authorization matrix", () => {
  for (const [endpoint, send, expected] of MATRIX) {
    it.each(CALLERS.map((caller, i) => [caller, expected[i]!] as const))(
      `${endpoint} as %s → %i`,
      async (caller, status) => {
        const res = await send(tokens[caller]);
        expect(res.status, await res.clone().text()).toBe(status);
        if (status === 401) expect(res.headers.get("www-authenticate")).toContain("Bearer");
      },
    );
  }

  it("lets only the operator publish under the canary's scope, @registry-probe", async () => {
    for (const caller of ["publishOwn", "admin"] as const) {
      const res = await publish(
        "@registry-probe/squat",
        await buildArchive({ name: "@registry-probe/squat", version: "1.0.0" }),
        tokens[caller],
      );
      expect(res.status, caller).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        "reserved to the registry's operator",
      );
    }
    expect(
      (
        await publish(
          "@registry-probe/other",
          await buildArchive({ name: "@registry-probe/other", version: "1.0.0" }),
          ADMIN,
        )
      ).status,
    ).toBe(201);
  });

  it("lets the operator token do everything an admin may", async () => {
    expect((await json("GET", "/v1/me", ADMIN)).status).toBe(200);
  });
});
