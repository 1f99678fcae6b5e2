// POST /v1/packages/:scope/:name/publish, through the HTTP API inside workerd: the happy path,
// idempotency, conflicts, concurrency, and every kind of bad input (4xx, nothing stored).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { verifyInclusion } from "../../src/log/proof-text";
import { formatEntry } from "../../src/log/entry";
import { LOG_SEQUENCER_NAME } from "../../src/storage/keys";
import { ADMIN, call, errorCode, publish, publishMultipart, sha256HexOf, storageSnapshot } from "./helpers";

const ORIGIN = "registry.test/v1/log";

describe("POST /v1/packages/:scope/:name/publish", () => {
  // First in the file: storage is shared by the tests of a file, and this one needs it empty.
  it("writes exactly the archive, the two KV documents and the log objects", async () => {
    const archive = await buildArchive({ name: "@acme/keys", version: "1.0.0" });
    expect((await publish("@acme/keys", archive)).status).toBe(201);
    const sha = await sha256HexOf(archive);
    const { r2, kv } = await storageSnapshot();
    expect(r2).toEqual([
      "archives/sha256/" + sha,
      "log/checkpoint",
      "log/tile/0/000.p/1",
      "log/tile/entries/000.p/1",
      // The log's name markers, which reads of names ask instead of the sequencer, and the one
      // that says they cover the whole log (a fresh log's first publish writes it).
      "names-complete",
      "names/@acme",
      "names/@acme/keys",
    ]);
    expect(kv).toEqual(["pkg:@acme/keys:v:1.0.0", "pkg:@acme/keys:versions"]);
  });

  it("writes a name marker once per package and scope: a second version writes none", async () => {
    expect((await publish("@acme/keys", await buildArchive({ name: "@acme/keys", version: "1.0.1" }))).status).toBe(
      201,
    );
    const before = await env.BUCKET.head("names/@acme/keys");
    expect((await publish("@acme/keys", await buildArchive({ name: "@acme/keys", version: "1.0.2" }))).status).toBe(
      201,
    );
    const { r2 } = await storageSnapshot();
    expect(r2.filter((k) => k.startsWith("names/"))).toEqual(["names/@acme", "names/@acme/keys"]);
    expect((await env.BUCKET.head("names/@acme/keys"))!.uploaded).toEqual(before!.uploaded);
  });

  it("publishes an archive and answers with its checksum, log index and a proof that verifies", async () => {
    const archive = await buildArchive({ name: "@acme/http", version: "1.0.0" });
    const res = await publish("@acme/http", archive);
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      name: string;
      version: string;
      sha256: string;
      size: number;
      created: boolean;
      log: { index: number; entry: string; checkpoint: string; proof: string[]; tlogProof: string };
    };
    expect(body).toMatchObject({ name: "@acme/http", version: "1.0.0", created: true, size: archive.length });
    expect(body.sha256).toBe(await sha256HexOf(archive));
    expect(body.log.entry).toBe(`@acme/http 1.0.0 sha256:${body.sha256}\n`);
    const cp = verifyInclusion({
      entry: body.log.entry,
      index: body.log.index,
      proof: body.log.proof,
      signedCheckpoint: body.log.checkpoint,
      verifierKey: env.TEST_LOG_VERIFIER_KEY,
      origin: ORIGIN,
    });
    expect(cp.size).toBeGreaterThan(body.log.index);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("accepts multipart uploads with the field `archive`", async () => {
    const archive = await buildArchive({ name: "@acme/multi", version: "2.0.0" });
    const res = await publishMultipart("@acme/multi", archive);
    expect(res.status).toBe(201);
    const dl = await call("/v1/packages/@acme/multi/2.0.0/download");
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(archive);
  });

  it("is idempotent for the same bytes (200, same answer) and refuses other bytes with 409", async () => {
    const archive = await buildArchive({ name: "@acme/idem", version: "1.0.0" });
    const first = (await (await publish("@acme/idem", archive)).json()) as { sha256: string; log: { index: number } };
    const again = await publish("@acme/idem", archive);
    expect(again.status).toBe(200);
    const second = (await again.json()) as { sha256: string; created: boolean; log: { index: number } };
    expect(second).toMatchObject({ sha256: first.sha256, created: false, log: { index: first.log.index } });

    const other = await buildArchive({
      name: "@acme/idem",
      version: "1.0.0",
      files: { "src/extra.ori": "fn x() {}\n" },
    });
    const conflict = await publish("@acme/idem", other);
    expect(conflict.status).toBe(409);
    expect(await errorCode(conflict)).toBe("version_exists");
    expect(await env.BUCKET.head(`archives/sha256/${await sha256HexOf(other)}`)).toBeNull();
  });

  it("lets exactly one of 50 concurrent publishes of one version win; every reader then sees its checksum", async () => {
    const archives = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        buildArchive({ name: "@acme/race", version: "1.0.0", files: { "src/n.ori": `// ${i}\n` } }),
      ),
    );
    const responses = await Promise.all(archives.map((a) => publish("@acme/race", a)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = archives[statuses.indexOf(201)]!;
    const sha = await sha256HexOf(winner);
    // The 49 losers' bytes were stored before the writer refused them, and taken back out.
    const stored = await Promise.all(
      archives.map(async (a) => (await env.BUCKET.head(`archives/sha256/${await sha256HexOf(a)}`)) !== null),
    );
    expect(stored.filter(Boolean)).toHaveLength(1);
    expect(stored[statuses.indexOf(201)]).toBe(true);
    for (let i = 0; i < 3; i++) {
      const meta = (await (await call("/v1/packages/@acme/race/1.0.0/metadata")).json()) as { sha256: string };
      expect(meta.sha256).toBe(sha);
      const dl = new Uint8Array(await (await call("/v1/packages/@acme/race/1.0.0/download")).arrayBuffer());
      expect(await sha256HexOf(dl)).toBe(sha);
    }
    const lookup = (await (await call("/v1/log/lookup/@acme/race/1.0.0")).json()) as { entry: string };
    expect(lookup.entry).toBe(`@acme/race 1.0.0 sha256:${sha}\n`);
  });

  it("succeeds for 50 concurrent publishes of the same bytes, with one log entry", async () => {
    const archive = await buildArchive({ name: "@acme/same", version: "1.0.0" });
    const responses = await Promise.all(Array.from({ length: 50 }, () => publish("@acme/same", archive)));
    expect(responses.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    const indexes = new Set(
      await Promise.all(responses.map(async (r) => ((await r.json()) as { log: { index: number } }).log.index)),
    );
    expect(indexes.size).toBe(1);
  });

  it("leaves nothing visible after a crash between the log append and the commit; the same bytes complete it", async () => {
    const archive = await buildArchive({ name: "@acme/crash", version: "1.0.0" });
    const sha = await sha256HexOf(archive);
    // The writer crashed right after the sequencer logged the entry: simulate that state.
    const logged = await env.LOG_SEQUENCER.getByName(LOG_SEQUENCER_NAME).append(
      formatEntry("@acme/crash", "1.0.0", sha),
    );
    if (!logged.ok) throw new Error(logged.message);
    expect((await call("/v1/packages/@acme/crash/versions")).status).toBe(404);
    expect((await call("/v1/packages/@acme/crash/1.0.0/download")).status).toBe(404);
    // Other bytes can never take that version: the log has committed to the checksum.
    const otherBytes = await buildArchive({ name: "@acme/crash", version: "1.0.0", files: { "src/o.ori": "other\n" } });
    const other = await publish("@acme/crash", otherBytes);
    expect(other.status).toBe(409);
    expect(await env.BUCKET.head(`archives/sha256/${await sha256HexOf(otherBytes)}`)).toBeNull();
    // Re-sending the same bytes completes the publish at the logged index.
    const retry = await publish("@acme/crash", archive);
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { log: { index: number } }).log.index).toBe(logged.value.index);
    expect((await call("/v1/packages/@acme/crash/1.0.0/download")).status).toBe(200);
  });

  describe("refuses bad requests with a 4xx, a stable code, and stores nothing", () => {
    const cases: [string, () => Promise<Response>, number, string][] = [
      [
        "no token",
        async () => publish("@acme/bad", await buildArchive({ name: "@acme/bad", version: "1.0.0" }), null),
        401,
        "unauthorized",
      ],
      [
        "a wrong token",
        async () =>
          publish(
            "@acme/bad",
            await buildArchive({ name: "@acme/bad", version: "1.0.0" }),
            "ori_wrong_token_0000000000000000",
          ),
        401,
        "unauthorized",
      ],
      [
        "a wrong content type",
        async () => publish("@acme/bad", new Uint8Array([1, 2, 3]), ADMIN, "text/plain"),
        415,
        "unsupported_media_type",
      ],
      ["an empty body", async () => publish("@acme/bad", new Uint8Array(0)), 400, "bad_request"],
      [
        "a multipart form without `archive`",
        async () => publishMultipart("@acme/bad", await buildArchive({ name: "@acme/bad", version: "1.0.0" }), "file"),
        400,
        "bad_request",
      ],
      [
        "an invalid package name in the URL",
        async () => publish("@Acme/bad", await buildArchive({ name: "@acme/bad", version: "1.0.0" })),
        400,
        "invalid_name",
      ],
      [
        "a reserved scope",
        async () => publish("@std/bad", await buildArchive({ name: "@acme/bad", version: "1.0.0" })),
        400,
        "reserved_name",
      ],
      [
        "a manifest name different from the URL",
        async () => publish("@acme/bad", await buildArchive({ name: "@acme/other", version: "1.0.0" })),
        400,
        "name_mismatch",
      ],
      [
        "bytes that are not gzip",
        async () => publish("@acme/bad", new TextEncoder().encode("hello, not gzip")),
        400,
        "not_gzip",
      ],
      [
        "a truncated gzip",
        async () => publish("@acme/bad", (await buildArchive({ name: "@acme/bad", version: "1.0.0" })).slice(0, 60)),
        400,
        "truncated_gzip",
      ],
      [
        "more than 10 MiB",
        async () => publish("@acme/bad", new Uint8Array(10 * 1024 * 1024 + 1)),
        413,
        "archive_too_large",
      ],
    ];
    it.each(cases)("%s", async (_what, send, status, code) => {
      const before = await storageSnapshot();
      const res = await send();
      expect(res.status).toBe(status);
      expect(await errorCode(res)).toBe(code);
      expect(await storageSnapshot()).toEqual(before);
      expect((await call("/v1/packages/@acme/bad/versions")).status).toBe(404);
    });
  });
});
