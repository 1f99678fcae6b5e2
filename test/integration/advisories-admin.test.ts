// Admin management of the advisory database: create (ids, registry fields, validation), replace,
// withdraw, history, aliases, and what every change owes the packages it names.
import { env, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { OsvRecord } from "../../src/advisories/osv";
import type { AdvisoryDatabase } from "../../src/objects/advisory-database";
import { buildArchive } from "../helpers/archive-builder";
import { ADMIN, call, errorCode, publish } from "./helpers";
import { json } from "./access-helpers";
import { advisoryState, createAdvisory, database, sampleSubmission, semverEntry } from "./advisory-helpers";

const YEAR = new Date().getUTCFullYear();
const ID = new RegExp(`^ORI-${YEAR}-\\d{4,}$`);

function numberOf(id: string): number {
  return Number(id.split("-")[2]);
}

describe("POST /v1/advisories", () => {
  it("answers 201 with the stored record: an ORI id, the registry's timestamps, scores beside the vectors", async () => {
    const res = await json("POST", "/v1/advisories", ADMIN, sampleSubmission({ aliases: ["CVE-2026-1000"] }));
    expect(res.status).toBe(201);
    const record = (await res.json()) as OsvRecord;
    expect(record.id).toMatch(ID);
    expect(res.headers.get("location")).toBe(`/v1/advisories/${record.id}`);
    expect(record.schema_version).toBe("1.7.5");
    expect(record.published).toBe(record.modified);
    expect(Date.now() - Date.parse(record.published!)).toBeLessThan(60_000);
    expect(record.database_specific?.cvss).toEqual([
      expect.objectContaining({ base_score: 9.8, base_severity: "CRITICAL" }),
    ]);
    expect(record.affected?.[0]?.package).toEqual({ ecosystem: "Ori", name: "@acme/http" });
  });

  it("hands out numbers in order, and never the same one twice — not even after a create that failed", async () => {
    const a = await createAdvisory(sampleSubmission({ aliases: [] }));
    await database().injectFault("failAfterAllocation");
    const failed = await json("POST", "/v1/advisories", ADMIN, sampleSubmission({ aliases: [] }));
    expect(failed.status).toBe(500);
    await database().injectFault(null);
    const b = await createAdvisory(sampleSubmission({ aliases: [] }));
    expect(numberOf(b.id)).toBe(numberOf(a.id) + 2);
    expect((await call(`/v1/advisories/ORI-${YEAR}-${String(numberOf(a.id) + 1).padStart(4, "0")}`)).status).toBe(404);
  });

  it("gives concurrent creates distinct numbers", async () => {
    const records = await Promise.all(
      Array.from({ length: 8 }, () => createAdvisory(sampleSubmission({ aliases: [] }))),
    );
    expect(new Set(records.map((r) => r.id)).size).toBe(8);
  });

  it.each([
    ["id", { id: `ORI-${YEAR}-9999` }],
    ["published", { published: "2026-01-01T00:00:00Z" }],
    ["modified", { modified: "2026-01-01T00:00:00Z" }],
    ["withdrawn", { withdrawn: "2026-01-01T00:00:00Z" }],
  ])("refuses a submission that sets %s (400 advisory_registry_field), storing nothing", async (_f, extra) => {
    const before = await advisoryState();
    const res = await json("POST", "/v1/advisories", ADMIN, sampleSubmission(extra));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("advisory_registry_field");
    expect(await advisoryState()).toEqual(before);
  });

  it.each([
    [
      "a range without introduced",
      { affected: [semverEntry("@acme/http", [{ fixed: "1.0.0" }])] },
      "advisory_schema_invalid",
      "affected[0].ranges[0].events",
    ],
    [
      "an invalid version",
      { affected: [semverEntry("@acme/http", [{ introduced: "0" }, { fixed: "1.0" }])] },
      "advisory_invalid_version",
      "affected[0].ranges[0].events[1].fixed",
    ],
    [
      "an invalid package",
      { affected: [semverEntry("@Acme/http", [{ introduced: "0" }])] },
      "advisory_invalid_package",
      "affected[0].package.name",
    ],
    [
      "a limit",
      { affected: [semverEntry("@acme/http", [{ introduced: "0" }, { limit: "2.0.0" }])] },
      "advisory_invalid_range",
      "affected[0].ranges[0].events[1]",
    ],
    [
      "a malformed vector",
      { severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H" }] },
      "advisory_invalid_severity",
      "severity[0].score",
    ],
    ["an unknown field", { foo: 1 }, "advisory_schema_invalid", "foo"],
  ])("refuses %s with a 400, the JSON path and nothing stored", async (_name, extra, code, path) => {
    const before = await advisoryState();
    const res = await json("POST", "/v1/advisories", ADMIN, sampleSubmission(extra));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.startsWith(path)).toBe(true);
    expect(await advisoryState()).toEqual(before);
  });

  it("refuses a body that is not JSON, or not an object", async () => {
    expect(
      await errorCode(
        await call("/v1/advisories", {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
          body: "{",
        }),
      ),
    ).toBe("bad_request");
    expect(await errorCode(await json("POST", "/v1/advisories", ADMIN, ["x"]))).toBe("advisory_schema_invalid");
    expect(
      await errorCode(
        await call("/v1/advisories", {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN}`, "content-type": "text/plain" },
          body: "{}",
        }),
      ),
    ).toBe("unsupported_media_type");
  });

  it("keeps one ORI record per alias: a second create with the same CVE is a 409, whatever its case", async () => {
    const first = await createAdvisory(sampleSubmission({ aliases: ["CVE-2026-2000"] }));
    const before = await advisoryState();
    const res = await json("POST", "/v1/advisories", ADMIN, sampleSubmission({ aliases: ["cve-2026-2000"] }));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "advisory_alias_taken",
      message: expect.stringContaining(first.id),
    });
    expect(await advisoryState()).toEqual(before);
  });
});

describe("GET /v1/advisories/{id}", () => {
  it("finds a record by its id and by any alias, in any case", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: ["CVE-2026-3000", "GHSA-aaaa-bbbb-cccc"] }));
    for (const name of [r.id, "CVE-2026-3000", "cve-2026-3000", "GHSA-aaaa-bbbb-cccc"]) {
      const res = await call(`/v1/advisories/${name}`);
      expect(res.status, name).toBe(200);
      expect(((await res.json()) as OsvRecord).id).toBe(r.id);
    }
  });

  it("answers 404 advisory_not_found for an unknown id, alias or nonsense", async () => {
    for (const name of [`ORI-${YEAR}-999999`, "CVE-1999-0001", "%3Cscript%3E"])
      expect(await errorCode(await call(`/v1/advisories/${name}`))).toBe("advisory_not_found");
  });
});

describe("PUT /v1/advisories/{id}", () => {
  it("replaces the content, keeps published, moves modified forward", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: ["CVE-2026-4000"] }));
    const res = await json(
      "PUT",
      `/v1/advisories/${r.id}`,
      ADMIN,
      sampleSubmission({ aliases: ["CVE-2026-4000"], summary: "Updated summary" }),
    );
    expect(res.status).toBe(200);
    const updated = (await res.json()) as OsvRecord;
    expect(updated).toMatchObject({ id: r.id, published: r.published, summary: "Updated summary" });
    expect(Date.parse(updated.modified)).toBeGreaterThan(Date.parse(r.modified));
  });

  it("accepts the record as it was read (GET, edit, PUT), and refuses a stale copy with 409 advisory_modified", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: [] }));
    const edited = { ...r, summary: "Edited once" };
    expect((await json("PUT", `/v1/advisories/${r.id}`, ADMIN, edited)).status).toBe(200);
    const stale = await json("PUT", `/v1/advisories/${r.id}`, ADMIN, { ...r, summary: "Edited from a stale copy" });
    expect(stale.status).toBe(409);
    expect(await errorCode(stale)).toBe("advisory_modified");
    expect(((await (await call(`/v1/advisories/${r.id}`)).json()) as OsvRecord).summary).toBe("Edited once");
  });

  it("refuses another id, another published time, and a withdrawn field", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: [] }));
    for (const extra of [
      { id: `ORI-${YEAR}-0001` },
      { published: "2020-01-01T00:00:00Z" },
      { withdrawn: "2020-01-01T00:00:00Z" },
    ]) {
      expect(
        await errorCode(
          await json("PUT", `/v1/advisories/${r.id}`, ADMIN, sampleSubmission({ aliases: [], ...extra })),
        ),
      ).toBe("advisory_registry_field");
    }
  });

  it("refuses taking another record's alias, an unknown id, and an invalid record", async () => {
    await createAdvisory(sampleSubmission({ aliases: ["CVE-2026-4100"] }));
    const r = await createAdvisory(sampleSubmission({ aliases: [] }));
    expect(
      await errorCode(
        await json("PUT", `/v1/advisories/${r.id}`, ADMIN, sampleSubmission({ aliases: ["CVE-2026-4100"] })),
      ),
    ).toBe("advisory_alias_taken");
    expect(
      await errorCode(await json("PUT", `/v1/advisories/ORI-${YEAR}-999999`, ADMIN, sampleSubmission({ aliases: [] }))),
    ).toBe("advisory_not_found");
    expect(
      await errorCode(
        await json("PUT", `/v1/advisories/${r.id}`, ADMIN, sampleSubmission({ aliases: [], affected: [] })),
      ),
    ).toBe("advisory_invalid_package");
  });

  it("frees an alias the replacement drops", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: ["CVE-2026-4200"] }));
    expect((await json("PUT", `/v1/advisories/${r.id}`, ADMIN, sampleSubmission({ aliases: [] }))).status).toBe(200);
    expect((await call("/v1/advisories/CVE-2026-4200")).status).toBe(404);
    expect((await json("POST", "/v1/advisories", ADMIN, sampleSubmission({ aliases: ["CVE-2026-4200"] }))).status).toBe(
      201,
    );
  });
});

describe("POST /v1/advisories/{id}/withdraw", () => {
  it("marks the record withdrawn (still readable, with the reason); a second withdrawal or a replacement is a 409", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: ["CVE-2026-5000"] }));
    const res = await json("POST", `/v1/advisories/${r.id}/withdraw`, ADMIN, { reason: "not a vulnerability" });
    expect(res.status).toBe(200);
    const w = (await res.json()) as OsvRecord;
    expect(w.withdrawn).toBe(w.modified);
    expect(w.database_specific?.withdrawn_reason).toBe("not a vulnerability");
    expect(((await (await call("/v1/advisories/CVE-2026-5000")).json()) as OsvRecord).withdrawn).toBe(w.withdrawn);
    expect(await errorCode(await json("POST", `/v1/advisories/${r.id}/withdraw`, ADMIN, { reason: "again" }))).toBe(
      "advisory_withdrawn",
    );
    expect(await errorCode(await json("PUT", `/v1/advisories/${r.id}`, ADMIN, sampleSubmission({ aliases: [] })))).toBe(
      "advisory_withdrawn",
    );
  });

  it("needs a reason", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: [] }));
    expect(await errorCode(await json("POST", `/v1/advisories/${r.id}/withdraw`, ADMIN, {}))).toBe("bad_request");
    expect(
      await errorCode(await json("POST", `/v1/advisories/ORI-${YEAR}-999999/withdraw`, ADMIN, { reason: "x" })),
    ).toBe("advisory_not_found");
  });
});

describe("GET /v1/advisories/{id}/history", () => {
  it("lists every change, oldest first, each with the record as it was", async () => {
    const r = await createAdvisory(sampleSubmission({ aliases: [] }));
    await json("PUT", `/v1/advisories/${r.id}`, ADMIN, sampleSubmission({ aliases: [], summary: "Second" }));
    await json("POST", `/v1/advisories/${r.id}/withdraw`, ADMIN, { reason: "duplicate" });
    const body = (await (await call(`/v1/advisories/${r.id}/history`)).json()) as {
      id: string;
      history: { action: string; reason: string | null; record: OsvRecord }[];
    };
    expect(body.id).toBe(r.id);
    expect(body.history.map((h) => [h.action, h.reason, h.record.summary, Boolean(h.record.withdrawn)])).toEqual([
      ["create", null, r.summary, false],
      ["update", null, "Second", false],
      ["withdraw", "duplicate", "Second", true],
    ]);
    expect(JSON.stringify(body)).not.toContain("operator");
  });
});

describe("what a change owes the packages it names", () => {
  it("projects the package's advisories to KV and records the change in the package's audit trail, once", async () => {
    for (const pkg of ["@audit/pkg", "@audit/other"])
      expect((await publish(pkg, await buildArchive({ name: pkg, version: "1.0.0" }))).status).toBe(201);
    const r = await createAdvisory(
      sampleSubmission({ aliases: [], affected: [semverEntry("@audit/pkg", [{ introduced: "0" }])] }),
    );
    const projected = await env.METADATA.get<{ advisories: OsvRecord[] }>("advisories:@audit/pkg", "json");
    expect(projected?.advisories.map((a) => a.id)).toEqual([r.id]);
    // Moving the advisory to another package: both packages hear of it; the first no longer lists it.
    await json(
      "PUT",
      `/v1/advisories/${r.id}`,
      ADMIN,
      sampleSubmission({ aliases: [], affected: [semverEntry("@audit/other", [{ introduced: "0" }])] }),
    );
    expect((await env.METADATA.get<{ advisories: OsvRecord[] }>("advisories:@audit/pkg", "json"))?.advisories).toEqual(
      [],
    );
    const trail = (await (await json("GET", "/v1/packages/@audit/pkg/audit", ADMIN)).json()) as {
      events: { action: string; actor: string; details: Record<string, unknown> }[];
    };
    expect(
      trail.events
        .filter((e) => e.action.startsWith("advisory-"))
        .map((e) => [e.action, e.actor, e.details.advisory, e.details.affects]),
    ).toEqual([
      ["advisory-create", "operator", r.id, true],
      ["advisory-update", "operator", r.id, false],
    ]);
    const other = (await (await json("GET", "/v1/packages/@audit/other/audit", ADMIN)).json()) as {
      events: { action: string }[];
    };
    expect(other.events.map((e) => e.action)).toEqual(["publish", "advisory-update"]);
  });

  it("leaves no storage behind for a named package nobody published", async () => {
    await createAdvisory(
      sampleSubmission({ aliases: [], affected: [semverEntry("@nobody/published", [{ introduced: "0" }])] }),
    );
    expect(await database().pendingEffects()).toEqual([]);
    const id = env.PACKAGE_WRITER.idFromName("package:@nobody/published").toString();
    expect((await listDurableObjectIds(env.PACKAGE_WRITER)).map((known) => known.toString())).not.toContain(id);
  });

  it("a crash right after the commit delays the effects until the alarm; none is lost or doubled", async () => {
    expect((await publish("@crash/pkg", await buildArchive({ name: "@crash/pkg", version: "1.0.0" }))).status).toBe(
      201,
    );
    await database().injectFault("crashAfterCommit");
    const res = await json(
      "POST",
      "/v1/advisories",
      ADMIN,
      sampleSubmission({ aliases: ["CVE-2026-6000"], affected: [semverEntry("@crash/pkg", [{ introduced: "0" }])] }),
    );
    expect(res.status).toBe(500);
    await database().injectFault(null);
    // Committed: readable at once, even though its effects have not run.
    const record = (await (await call("/v1/advisories/CVE-2026-6000")).json()) as OsvRecord;
    expect(await env.METADATA.get("advisories:@crash/pkg")).toBeNull();
    expect((await database().pendingEffects()).map((e) => e.effect.kind)).toEqual(["project", "package-audit", "job"]);
    expect(await runDurableObjectAlarm(database())).toBe(true);
    expect(
      (await env.METADATA.get<{ advisories: OsvRecord[] }>("advisories:@crash/pkg", "json"))?.advisories.map(
        (a) => a.id,
      ),
    ).toEqual([record.id]);
    // Delivered again (at least once): the trail still has it once.
    const seq = (await (await call(`/v1/advisories/${record.id}/history`)).json()) as { history: { seq: number }[] };
    const event = {
      seq: seq.history[0]!.seq,
      advisory: record.id,
      action: "advisory-create" as const,
      at: record.published!,
      actor: "operator",
      summary: record.summary ?? null,
      affects: true,
    };
    expect(await env.PACKAGE_WRITER.getByName("package:@crash/pkg").recordAdvisoryChange(event)).toBe(false);
    const trail = (await (await json("GET", "/v1/packages/@crash/pkg/audit", ADMIN)).json()) as {
      events: { action: string }[];
    };
    expect(trail.events.map((e) => e.action)).toEqual(["publish", "advisory-create"]);
    expect(await database().pendingEffects()).toEqual([]);
  });

  it("a KV failure leaves the projection owed, retried by the alarm", async () => {
    await database().injectFault("failProjection");
    const r = await createAdvisory(
      sampleSubmission({ aliases: [], affected: [semverEntry("@kvdown/pkg", [{ introduced: "0" }])] }),
    );
    expect((await database().pendingEffects()).map((e) => [e.effect.kind, e.attempts])).toEqual([["project", 1]]);
    await database().injectFault(null);
    await runInDurableObject(database(), (_obj: AdvisoryDatabase, state) => {
      state.storage.sql.exec("UPDATE outbox SET next_attempt_at = 0");
    });
    expect(await runDurableObjectAlarm(database())).toBe(true);
    expect(
      (await env.METADATA.get<{ advisories: OsvRecord[] }>("advisories:@kvdown/pkg", "json"))?.advisories.map(
        (a) => a.id,
      ),
    ).toEqual([r.id]);
  });
});
