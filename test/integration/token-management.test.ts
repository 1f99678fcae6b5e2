// Who may bring tokens into being and manage them: only a token that could mint the target
// (account creation included), and each account within its limits of live tokens and tokens
// created per hour.
import { describe, expect, it } from "vitest";
import { ADMIN, errorCode } from "./helpers";
import { createUser, json, mint } from "./access-helpers";

interface Listed {
  id: string;
  name: string;
}
const listed = async (token: string) =>
  ((await (await json("GET", "/v1/tokens", token)).json()) as { tokens: Listed[] }).tokens.map((t) => t.name);

describe("POST /v1/admin/users", () => {
  it("refuses an admin token that lacks rights the account's first token would get", async () => {
    const root = await createUser("tm-root", true);
    const adminOnly = await mint(root, { name: "admin only", scopes: ["admin"] });
    for (const admin of [false, true]) {
      const res = await json("POST", "/v1/admin/users", adminOnly.token, { username: `tm-escalated-${admin}`, admin });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("forbidden");
    }
    // Nothing was created: the name is still free for a token that may.
    const made = await json("POST", "/v1/admin/users", root, { username: "tm-escalated-false" });
    expect(made.status).toBe(201);
    expect(((await made.json()) as { token: { scopes: string[] } }).token.scopes).toEqual(["read", "publish", "admin"]);
  });

  it("lets the operator token create accounts", async () => {
    expect((await json("POST", "/v1/admin/users", ADMIN, { username: "tm-by-operator" })).status).toBe(201);
  });
});

describe("GET /v1/tokens and DELETE /v1/tokens/{id}", () => {
  it("show a token only the tokens it could have minted, and let it revoke only those", async () => {
    const owner = await createUser("tm-owner");
    const full = await mint(owner, { name: "full", scopes: ["read", "publish", "admin"] });
    const reader = await mint(owner, { name: "reader", scopes: ["read"] });
    const narrow = await mint(owner, { name: "narrow", scopes: ["read", "publish"], packages: ["@tm/one"] });
    const narrowReader = await mint(narrow.token, { name: "narrow reader", scopes: ["read"], packages: ["@tm/one"] });

    expect(await listed(owner)).toEqual(["first token", "full", "reader", "narrow", "narrow reader"]);
    expect(await listed(reader.token)).toEqual(["reader", "narrow reader"]); // it could mint that one
    expect(await listed(narrow.token)).toEqual(["narrow", "narrow reader"]);

    // A read-only or package-limited token cannot revoke the account's stronger tokens…
    for (const weak of [reader.token, narrow.token]) {
      const res = await json("DELETE", `/v1/tokens/${full.id}`, weak);
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe("not_found");
    }
    expect((await json("GET", "/v1/me", full.token)).status).toBe(200);
    // …but may revoke what it could mint, itself included.
    expect((await json("DELETE", `/v1/tokens/${narrowReader.id}`, narrow.token)).status).toBe(200);
    expect((await json("DELETE", `/v1/tokens/${reader.id}`, reader.token)).status).toBe(200);
    expect((await json("GET", "/v1/me", reader.token)).status).toBe(401);
    expect((await json("DELETE", `/v1/tokens/${full.id}`, owner)).status).toBe(200);
  });

  it("never echoes a token id that is not one", async () => {
    const owner = await createUser("tm-echo");
    const res = await json("DELETE", `/v1/tokens/${encodeURIComponent("\u001b[2Jx")}`, owner);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("\\u001b");
  });

  it("let a registry admin revoke anyone's token", async () => {
    const root = await createUser("tm-admin", true);
    const victim = await mint(await createUser("tm-victim"), { name: "leaked", scopes: ["read"] });
    expect((await json("DELETE", `/v1/tokens/${victim.id}`, root)).status).toBe(200);
    expect((await json("GET", "/v1/me", victim.token)).status).toBe(401);
  });
});

describe("token names", () => {
  it.each([["\u001b[2J"], ["ci\u0007"], ["a\u009bb"], ["x\u202ey"], ["two\nlines"]])(
    "refuses a name with control characters: %j",
    async (name) => {
      const owner = await createUser(`tm-name-${name.charCodeAt(name.length - 1)}-${name.length}`);
      const res = await json("POST", "/v1/tokens", owner, { name, scopes: ["read"] });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("bad_request");
      expect(await listed(owner)).toEqual(["first token"]);
    },
  );
});

describe("per-account token limits", () => {
  it("caps the live tokens of an account at 50, with a clear error", async () => {
    const owner = await createUser("tm-cap"); // its first token is live too
    const minted = [];
    for (let i = 1; i < 50; i++) minted.push(await mint(owner, { name: `t${i}`, scopes: ["read"] }));
    const over = await json("POST", "/v1/tokens", owner, { name: "one too many", scopes: ["read"] });
    expect(over.status).toBe(409);
    expect(await errorCode(over)).toBe("token_limit_reached");
    // Revoking one makes room.
    expect((await json("DELETE", `/v1/tokens/${minted[0]!.id}`, owner)).status).toBe(200);
    expect((await json("POST", "/v1/tokens", owner, { name: "room again", scopes: ["read"] })).status).toBe(201);
  });

  it("limits the tokens an account creates per hour, revoked ones included", async () => {
    const owner = await createUser("tm-churn");
    let created = 1; // the first token
    for (;;) {
      const res = await json("POST", "/v1/tokens", owner, { name: `churn ${created}`, scopes: ["read"] });
      if (res.status !== 201) {
        expect(res.status).toBe(429);
        expect(await errorCode(res)).toBe("account_rate_limited");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(3000);
        break;
      }
      created++;
      const { id } = (await res.json()) as { id: string };
      expect((await json("DELETE", `/v1/tokens/${id}`, owner)).status).toBe(200);
      expect(created).toBeLessThanOrEqual(100);
    }
    expect(created).toBe(100);
  });
});
