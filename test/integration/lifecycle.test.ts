// The version lifecycle and ownership flows, end to end through the API: yank/unyank,
// deprecate, transfer (offer/accept/cancel), owners and members, emergency removal and delete,
// and the audit trail that records each of them.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish, sha256HexOf } from "./helpers";
import { createUser, json, mint } from "./access-helpers";
import { publishArchive } from "../../src/services/publish";
import type { Env } from "../../src/env";
import { ArchiveStore } from "../../src/storage/archive-store";
import { packageWriterName } from "../../src/storage/keys";

let carol: string;
let dave: string;
let root: string;

beforeAll(async () => {
  carol = await createUser("carol");
  dave = await createUser("dave");
  root = await createUser("ops", true);
});

const versions = async (pkg: string) =>
  (
    (await (await call(`/v1/packages/${pkg}/versions`)).json()) as {
      versions: { version: string; yanked: boolean; deprecated: string | null; removed: boolean; deleted: boolean }[];
    }
  ).versions;

describe("yank, unyank, deprecate", () => {
  it("flags the version in lists and metadata; a yanked version still downloads", async () => {
    expect(
      (await publish("@carol/json", await buildArchive({ name: "@carol/json", version: "1.0.0" }), carol)).status,
    ).toBe(201);
    expect((await json("POST", "/v1/packages/@carol/json/1.0.0/yank", carol)).status).toBe(200);
    expect((await versions("@carol/json"))[0]).toMatchObject({ yanked: true });
    expect((await call("/v1/packages/@carol/json/1.0.0/download")).status).toBe(200);
    expect((await json("POST", "/v1/packages/@carol/json/1.0.0/unyank", carol)).status).toBe(200);
    expect((await versions("@carol/json"))[0]).toMatchObject({ yanked: false });

    expect(
      (await json("POST", "/v1/packages/@carol/json/1.0.0/deprecate", carol, { message: "use @carol/json2" })).status,
    ).toBe(200);
    const meta = (await (await call("/v1/packages/@carol/json/1.0.0/metadata")).json()) as {
      deprecated: string | null;
    };
    expect(meta.deprecated).toBe("use @carol/json2");
    expect((await json("POST", "/v1/packages/@carol/json/1.0.0/deprecate", carol, { message: "" })).status).toBe(200);
    expect((await versions("@carol/json"))[0]).toMatchObject({ deprecated: null });
  });

  it("refuses deprecation messages and removal reasons that a terminal would obey", async () => {
    for (const message of ["\u001b[2J\u001b[32mVERIFIED", "ding\u0007", "a\u009b2Jb", "x\u202ey", "two\nlines"]) {
      const res = await json("POST", "/v1/packages/@carol/json/1.0.0/deprecate", carol, { message });
      expect(res.status, JSON.stringify(message)).toBe(400);
      expect(await errorCode(res)).toBe("bad_request");
    }
    const removal = await json("POST", "/v1/packages/@carol/json/1.0.0/remove", root, {
      reason: "malware\u001b]8;;https://evil.example\u0007",
    });
    expect(removal.status).toBe(400);
    expect((await versions("@carol/json"))[0]).toMatchObject({ deprecated: null, removed: false });
    // Usernames in bodies and paths follow the account rule before they reach storage or a message.
    expect((await json("POST", "/v1/packages/@carol/json/owners", carol, { username: "\u001b[2J" })).status).toBe(400);
    expect(
      (await json("DELETE", `/v1/packages/@carol/json/owners/${encodeURIComponent("\u001b[2J")}`, carol)).status,
    ).toBe(400);
  });

  it("answers 404 for a version that does not exist and 400 for a bad body", async () => {
    const res = await json("POST", "/v1/packages/@carol/json/9.9.9/yank", carol);
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe("version_not_found");
    expect((await json("POST", "/v1/packages/@carol/json/1.0.0/deprecate", carol, { msg: 1 })).status).toBe(400);
  });
});

describe("transfer", () => {
  it("moves ownership only when the recipient accepts", async () => {
    expect(
      (await publish("@carol/tx", await buildArchive({ name: "@carol/tx", version: "1.0.0" }), carol)).status,
    ).toBe(201);
    const offer = await json("POST", "/v1/packages/@carol/tx/transfer", carol, { to: "dave" });
    expect(offer.status).toBe(200);
    expect(((await offer.json()) as { owners: string[] }).owners).toEqual(["carol"]);
    // dave cannot act as owner before accepting.
    expect((await json("POST", "/v1/packages/@carol/tx/1.0.0/yank", dave)).status).toBe(403);
    const accept = await json("POST", "/v1/packages/@carol/tx/transfer", dave, { accept: true });
    expect(accept.status).toBe(200);
    expect(((await accept.json()) as { owners: string[] }).owners).toEqual(["dave"]);
    expect((await json("POST", "/v1/packages/@carol/tx/1.0.0/yank", dave)).status).toBe(200);
    expect((await json("POST", "/v1/packages/@carol/tx/1.0.0/unyank", carol)).status).toBe(200); // carol still owns the scope
  });

  it("can be cancelled by either side, and a cancelled offer cannot be accepted", async () => {
    expect(
      (await publish("@carol/tx2", await buildArchive({ name: "@carol/tx2", version: "1.0.0" }), carol)).status,
    ).toBe(201);
    expect((await json("POST", "/v1/packages/@carol/tx2/transfer", carol, { to: "dave" })).status).toBe(200);
    expect((await json("POST", "/v1/packages/@carol/tx2/transfer", dave, { cancel: true })).status).toBe(200);
    expect((await json("POST", "/v1/packages/@carol/tx2/transfer", dave, { accept: true })).status).toBe(403);
    expect((await json("POST", "/v1/packages/@carol/tx2/transfer", carol, { to: "dave" })).status).toBe(200);
    expect((await json("POST", "/v1/packages/@carol/tx2/transfer", carol, { cancel: true })).status).toBe(200);
    expect((await json("GET", "/v1/packages/@carol/tx2/owners", null)).status).toBe(200);
    expect((await json("POST", "/v1/packages/@carol/tx2/transfer", carol, { to: "nobody-here" })).status).toBe(404);
  });
});

describe("transfer cancel", () => {
  it("needs a token valid for the package, from the recipient as from an owner", async () => {
    expect(
      (await publish("@carol/tx3", await buildArchive({ name: "@carol/tx3", version: "1.0.0" }), carol)).status,
    ).toBe(201);
    expect((await json("POST", "/v1/packages/@carol/tx3/transfer", carol, { to: "dave" })).status).toBe(200);
    const daveElsewhere = await mint(dave, {
      name: "other packages",
      scopes: ["read", "publish", "admin"],
      packages: ["@dave/*"],
    });
    const carolElsewhere = await mint(carol, {
      name: "other packages",
      scopes: ["read", "publish", "admin"],
      packages: ["@carol/json"],
    });
    for (const token of [daveElsewhere.token, carolElsewhere.token]) {
      const res = await json("POST", "/v1/packages/@carol/tx3/transfer", token, { cancel: true });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("forbidden");
    }
    // Still pending: the recipient can accept it.
    expect((await json("POST", "/v1/packages/@carol/tx3/transfer", dave, { accept: true })).status).toBe(200);
  });
});

describe("owners and members", () => {
  it("lets a scope owner add a member who may then publish in the scope", async () => {
    expect(
      (await publish("@carol/base", await buildArchive({ name: "@carol/base", version: "1.0.0" }), carol)).status,
    ).toBe(201);
    expect(
      (await publish("@carol/other", await buildArchive({ name: "@carol/other", version: "1.0.0" }), dave)).status,
    ).toBe(403);
    expect((await json("POST", "/v1/scopes/@carol/members", carol, { username: "dave" })).status).toBe(200);
    expect(
      (await publish("@carol/other", await buildArchive({ name: "@carol/other", version: "1.0.0" }), dave)).status,
    ).toBe(201);
    const members = (await (await json("GET", "/v1/scopes/carol/members", null)).json()) as {
      members: { username: string; role: string }[];
    };
    expect(members.members.map((m) => `${m.username}:${m.role}`)).toEqual(["carol:owner", "dave:member"]);
    expect((await json("DELETE", "/v1/scopes/@carol/members/carol", carol)).status).toBe(409); // last owner
    expect((await json("DELETE", "/v1/scopes/@carol/members/dave", carol)).status).toBe(200);
  });

  it("adds and removes package owners, never the last one", async () => {
    expect((await json("POST", "/v1/packages/@carol/base/owners", carol, { username: "dave" })).status).toBe(200);
    expect(
      ((await (await json("GET", "/v1/packages/@carol/base/owners", null)).json()) as { owners: string[] }).owners,
    ).toEqual(["carol", "dave"]);
    expect((await json("DELETE", "/v1/packages/@carol/base/owners/carol", carol)).status).toBe(200);
    expect((await json("DELETE", "/v1/packages/@carol/base/owners/dave", dave)).status).toBe(409);
  });
});

describe("admin removal and delete", () => {
  it("removal makes the version answer 410 with the reason everywhere, download included", async () => {
    const archive = await buildArchive({ name: "@carol/evil", version: "1.0.0" });
    expect((await publish("@carol/evil", archive, carol)).status).toBe(201);
    expect(
      (await json("POST", "/v1/packages/@carol/evil/1.0.0/remove", root, { reason: "contains malware" })).status,
    ).toBe(200);
    for (const path of ["/v1/packages/@carol/evil/1.0.0/download", "/v1/packages/@carol/evil/1.0.0/metadata"]) {
      const res = await call(path);
      expect(res.status).toBe(410);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("version_gone");
      expect(body.error.message).toContain("contains malware");
    }
    expect((await versions("@carol/evil"))[0]).toMatchObject({ removed: true });
    // The bytes left the download path: a location with stale KV metadata cannot serve them.
    const sha = await sha256HexOf(archive);
    expect(await env.BUCKET.head(`archives/sha256/${sha}`)).toBeNull();
    expect(await env.BUCKET.head(`quarantine/sha256/${sha}`)).not.toBeNull();
    // The log entry stays.
    expect((await call("/v1/log/lookup/@carol/evil/1.0.0")).status).toBe(200);
  });

  it("delete removes the archive for good, keeps the log entry, and refuses republishing other bytes", async () => {
    const archive = await buildArchive({ name: "@carol/gone", version: "1.0.0" });
    const sha = await sha256HexOf(archive);
    expect((await publish("@carol/gone", archive, carol)).status).toBe(201);
    expect((await json("DELETE", "/v1/packages/@carol/gone/1.0.0", root, { reason: "legal request" })).status).toBe(
      200,
    );
    expect(await env.BUCKET.head(`archives/sha256/${sha}`)).toBeNull();
    expect((await call("/v1/packages/@carol/gone/1.0.0/download")).status).toBe(410);
    expect((await versions("@carol/gone"))[0]).toMatchObject({ deleted: true });
    const lookup = (await (await call("/v1/log/lookup/@carol/gone/1.0.0")).json()) as { entry: string };
    expect(lookup.entry).toContain(sha);
    const other = await buildArchive({ name: "@carol/gone", version: "1.0.0", files: { "src/x.ori": "changed\n" } });
    expect((await publish("@carol/gone", other, carol)).status).toBe(410);
    // Re-sending the deleted bytes does not bring the archive back.
    const again = await publish("@carol/gone", archive, carol);
    expect(again.status).toBe(410);
    expect(await errorCode(again)).toBe("version_gone");
    expect(await env.BUCKET.head(`archives/sha256/${sha}`)).toBeNull();
  });
});

describe("a removal that lands between a publish's checks and its write", () => {
  it("does not bring the removed bytes back into the download path", async () => {
    const archive = await buildArchive({ name: "@carol/raced", version: "1.0.0" });
    const sha = await sha256HexOf(archive);
    expect((await publish("@carol/raced", archive, carol)).status).toBe(201);
    expect((await json("POST", "/v1/packages/@carol/raced/1.0.0/remove", root, { reason: "malware" })).status).toBe(
      200,
    );
    // A publish of the same bytes whose pre-check ran before the removal: it stores the bytes
    // again, then the writer answers version_gone.
    const writers = env.PACKAGE_WRITER;
    const staleCheck = {
      ...env,
      PACKAGE_WRITER: {
        getByName: (name: string) => {
          const stub = writers.getByName(name);
          let stale = true; // the first read (the pre-check) is from before the removal
          const findVersion = async (version: string) => (stale ? ((stale = false), null) : stub.findVersion(version));
          return new Proxy(stub, {
            get: (target, prop) => (prop === "findVersion" ? findVersion : Reflect.get(target, prop)),
          });
        },
      },
    } as unknown as Env;
    const asCarol = {
      username: "carol",
      scopes: ["read" as const, "publish" as const],
      isAdmin: false,
      packages: null,
      tokenId: null,
      expiresAt: null,
    };
    await expect(publishArchive(staleCheck, "@carol/raced", async () => archive, asCarol)).rejects.toMatchObject({
      code: "version_gone",
    });
    expect(await env.BUCKET.head(`archives/sha256/${sha}`)).toBeNull();
    expect(await env.BUCKET.head(`quarantine/sha256/${sha}`)).not.toBeNull();

    // The other order: the removal is committed but its route has not moved the archive yet
    // when the publish hears version_gone. The bytes must end in quarantine, not be lost.
    const second = await buildArchive({ name: "@carol/raced", version: "2.0.0" });
    const sha2 = await sha256HexOf(second);
    expect((await publish("@carol/raced", second, carol)).status).toBe(201);
    const removed = await env.PACKAGE_WRITER.getByName(packageWriterName("@carol/raced")).changeVersion(
      "ops",
      "2.0.0",
      { kind: "remove", reason: "malware" },
    );
    expect(removed.ok).toBe(true);
    await expect(publishArchive(staleCheck, "@carol/raced", async () => second, asCarol)).rejects.toMatchObject({
      code: "version_gone",
    });
    expect(await env.BUCKET.head(`archives/sha256/${sha2}`)).toBeNull();
    expect(await env.BUCKET.head(`quarantine/sha256/${sha2}`)).not.toBeNull();
    // The admin route's own move, arriving late, finds nothing left to do and leaves the copy.
    await new ArchiveStore(env.BUCKET).quarantine(sha2);
    expect(await env.BUCKET.head(`quarantine/sha256/${sha2}`)).not.toBeNull();

    // Deleting a removed version is final: the quarantined copy goes too.
    expect((await json("DELETE", "/v1/packages/@carol/raced/1.0.0", root, { reason: "legal request" })).status).toBe(
      200,
    );
    expect(await env.BUCKET.head(`quarantine/sha256/${sha}`)).toBeNull();
  });
});

describe("GET /v1/packages/:scope/:name/audit", () => {
  it("records who did what and when, readable by owners and admins", async () => {
    const res = await json("GET", "/v1/packages/@carol/json/audit", carol);
    expect(res.status).toBe(200);
    const { events } = (await res.json()) as {
      events: { actor: string; action: string; version: string | null; at: string }[];
    };
    expect(events.map((e) => e.action)).toEqual(["publish", "yank", "unyank", "deprecate", "deprecate"]);
    expect(events.every((e) => e.actor === "carol" && !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect((await json("GET", "/v1/packages/@carol/json/audit", root)).status).toBe(200);
    expect((await json("GET", "/v1/packages/@carol/json/audit", dave)).status).toBe(403);
  });
});

describe("tokens", () => {
  it("shows a secret once, lists tokens without secrets, and cannot exceed the parent's rights", async () => {
    const limited = await mint(carol, {
      name: "deploy",
      scopes: ["read", "publish"],
      packages: ["@carol/*"],
      expires_in_days: 30,
    });
    expect(limited.token).toMatch(/^ori_[A-Za-z0-9_-]{43}$/);
    const list = await (await json("GET", "/v1/tokens", carol)).text();
    expect(list).not.toContain(limited.token);
    expect(JSON.parse(list).tokens.some((t: { id: string }) => t.id === limited.id)).toBe(true);
    // No escalation: more scopes, other packages, or a longer life than the parent.
    expect((await json("POST", "/v1/tokens", limited.token, { name: "x", scopes: ["admin"] })).status).toBe(403);
    expect(
      (await json("POST", "/v1/tokens", limited.token, { name: "x", scopes: ["read"], packages: ["@dave/*"] })).status,
    ).toBe(403);
    expect(
      (
        await json("POST", "/v1/tokens", limited.token, {
          name: "x",
          scopes: ["read"],
          packages: ["@carol/json"],
          expires_in_days: 60,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await json("POST", "/v1/tokens", limited.token, {
          name: "x",
          scopes: ["read"],
          packages: ["@carol/json"],
          expires_in_days: 7,
        })
      ).status,
    ).toBe(201);
    expect((await json("POST", "/v1/tokens", carol, { name: "x", scopes: ["root"] })).status).toBe(400);
  });

  it("refuses a revoked token on the very next request", async () => {
    const t = await mint(carol, { name: "temp", scopes: ["read"] });
    expect((await json("GET", "/v1/me", t.token)).status).toBe(200);
    expect((await json("DELETE", `/v1/tokens/${t.id}`, carol)).status).toBe(200);
    const res = await json("GET", "/v1/me", t.token);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("unauthorized");
    expect((await json("DELETE", `/v1/tokens/${t.id}`, dave)).status).toBe(404);
  });

  it("keeps registry administration away from package-limited admin tokens", async () => {
    const limitedAdmin = await mint(root, {
      name: "narrow",
      scopes: ["admin"],
      packages: ["@ops/one"],
      expires_in_days: 1,
    });
    const create = await json("POST", "/v1/admin/users", limitedAdmin.token, { username: "sneaky", admin: true });
    expect(create.status).toBe(403);
    const victim = await mint(carol, { name: "victim", scopes: ["read"] });
    expect((await json("DELETE", `/v1/tokens/${victim.id}`, limitedAdmin.token)).status).toBe(404);
    expect((await json("GET", "/v1/me", victim.token)).status).toBe(200);
    // An expiring admin token creates accounts whose first token expires no later.
    const shortAdmin = await mint(root, { name: "short", scopes: ["read", "publish", "admin"], expires_in_days: 1 });
    const made = (await (
      await json("POST", "/v1/admin/users", shortAdmin.token, { username: "temp-user" })
    ).json()) as { token: { expiresAt: string | null } };
    expect(made.token.expiresAt).not.toBeNull();
  });

  it("GET /v1/me says who a token belongs to", async () => {
    const me = (await (await json("GET", "/v1/me", root)).json()) as {
      username: string;
      isAdmin: boolean;
      scopes: string[];
    };
    expect(me).toMatchObject({ username: "ops", isAdmin: true, scopes: ["read", "publish", "admin"] });
    expect(((await (await json("GET", "/v1/me", ADMIN)).json()) as { username: string }).username).toBe("operator");
    expect((await json("POST", "/v1/admin/users", ADMIN, { username: "carol" })).status).toBe(409);
    expect((await json("POST", "/v1/admin/users", ADMIN, { username: "Bad Name" })).status).toBe(400);
  });
});

describe("a location whose KV has not seen a delete yet", () => {
  it("answers 410 from the authoritative writer, not a 500, when the archive is already gone", async () => {
    const archive = await buildArchive({ name: "@carol/stale", version: "1.0.0" });
    expect((await publish("@carol/stale", archive, carol)).status).toBe(201);
    const staleRecord = await env.METADATA.get("pkg:@carol/stale:v:1.0.0");
    expect((await json("DELETE", "/v1/packages/@carol/stale/1.0.0", root, { reason: "legal" })).status).toBe(200);
    await env.METADATA.put("pkg:@carol/stale:v:1.0.0", staleRecord!); // as another location still sees it
    const res = await call("/v1/packages/@carol/stale/1.0.0/download");
    expect(res.status).toBe(410);
    expect(await errorCode(res)).toBe("version_gone");
  });
});
