// An Ori project exactly as DESIGN §1 shows it (test/fixtures/ori-project) through the raw HTTP
// API inside workerd: its dependencies must exist first, its [checksums] lock must carry what
// the registry logged for them, and its metadata serves every field of Ori's manifest. Also:
// multipart uploads whose boundary has capitals, as every browser's does.
import { describe, expect, it } from "vitest";
import { buildArchive } from "../helpers/archive-builder";
import { ORI_DEPENDENCIES, ORI_PROJECT, ORI_PROJECT_MANIFEST, packFixture } from "../helpers/ori-fixture";
import { parseLockfile } from "../../src/domain/lockfile";
import { ADMIN, BASE, call, publish, sha256HexOf, storageSnapshot } from "./helpers";
import { json } from "./access-helpers";

const PROJECT = "@myorg/my-project";

async function expectRefused(pkg: string, archive: Uint8Array, status: number, code: string): Promise<string> {
  const before = await storageSnapshot();
  const res = await publish(pkg, archive);
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(await storageSnapshot()).toEqual(before);
  return body.error.message;
}

describe("the DESIGN §1 project through POST /v1/packages/:scope/:name/publish", () => {
  it("is refused while its dependencies are not published (dependency_not_found), nothing stored", async () => {
    const packed = await packFixture(ORI_PROJECT);
    const message = await expectRefused(PROJECT, packed.bytes, 400, "dependency_not_found");
    expect(message).toMatch(/@orilib\/parser 3\.0\.2, which this registry does not have/);
    expect((await call(`/v1/packages/${PROJECT}/versions`)).status).toBe(404);
  });

  it("publishes unchanged once they are, and serves every field of its manifest", async () => {
    for (const dep of ORI_DEPENDENCIES) {
      const packed = await packFixture(dep);
      const res = await publish(packed.name, packed.bytes);
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const packed = await packFixture(ORI_PROJECT);
    const res = await publish(PROJECT, packed.bytes);
    expect(res.status, await res.clone().text()).toBe(201);

    const meta = (await (await call(`/v1/packages/${PROJECT}/1.0.0/metadata`)).json()) as Record<string, unknown>;
    // Every field of the manifest, served as the registry read it; and the version's own.
    expect(meta).toMatchObject({ ...ORI_PROJECT_MANIFEST, prerelease: false, sha256: packed.sha256 });
    expect(Object.keys(meta)).not.toContain("registries");

    const download = await call(`/v1/packages/${PROJECT}/1.0.0/download`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(packed.bytes);

    // Every [checksums] line of the fixture's lock is what the registry logged.
    const lock = parseLockfile(ORI_PROJECT.files.get("oripk.lock")!);
    expect(lock).toHaveLength(3);
    for (const line of lock) {
      const lookup = (await (await call(`/v1/log/lookup/${line.name}/${line.version}`)).json()) as { entry: string };
      expect(lookup.entry).toBe(`${line.name} ${line.version} sha256:${line.sha256}\n`);
    }
  });

  it("refuses a lock whose checksum for a dependency is not the one the registry logged", async () => {
    const [utils] = ORI_DEPENDENCIES;
    const real = (await packFixture(utils!)).sha256;
    const archive = await buildArchive({
      name: "@myorg/liar",
      version: "1.0.0",
      dependencies: { "@orilib/utils": "2.0.1" },
      lockEntries: [{ name: "@orilib/utils", version: "2.0.1", sha256: "f".repeat(64) }],
    });
    const message = await expectRefused("@myorg/liar", archive, 400, "lockfile_mismatch");
    expect(message).toContain(`the registry logged sha256:${real}`);
    expect(message).toMatch(/run `ori sync`/);
  });

  it("accepts a yanked dependency, refuses a removed one, and lets the same bytes through again", async () => {
    const dep = await buildArchive({ name: "@orilib/old", version: "1.0.0" });
    expect((await publish("@orilib/old", dep)).status).toBe(201);
    const lockEntries = [{ name: "@orilib/old", version: "1.0.0", sha256: await sha256HexOf(dep) }];
    const user = await buildArchive({
      name: "@myorg/user",
      version: "1.0.0",
      dependencies: { "@orilib/old": "1.0.0" },
      lockEntries,
    });

    expect((await json("POST", "/v1/packages/@orilib/old/1.0.0/yank", ADMIN)).status).toBe(200);
    expect((await publish("@myorg/user", user)).status).toBe(201);

    expect((await json("POST", "/v1/packages/@orilib/old/1.0.0/remove", ADMIN, { reason: "malware" })).status).toBe(
      200,
    );
    const next = await buildArchive({
      name: "@myorg/user",
      version: "1.0.1",
      dependencies: { "@orilib/old": "1.0.0" },
      lockEntries,
    });
    expect(await expectRefused("@myorg/user", next, 400, "dependency_not_found")).toMatch(/removed \(malware\)/);
    // A retry of bytes already accepted is not judged again.
    expect((await publish("@myorg/user", user)).status).toBe(200);
  });

  it("accepts a dependency on a pre-release (an explicit opt-in)", async () => {
    const beta = await buildArchive({ name: "@orilib/next", version: "2.0.0-beta.1" });
    expect((await publish("@orilib/next", beta)).status).toBe(201);
    const user = await buildArchive({
      name: "@myorg/early",
      version: "0.1.0-alpha",
      dependencies: { "@orilib/next": "2.0.0-beta.1" },
      lockEntries: [{ name: "@orilib/next", version: "2.0.0-beta.1", sha256: await sha256HexOf(beta) }],
    });
    expect((await publish("@myorg/early", user)).status).toBe(201);
  });
});

describe("multipart uploads with a boundary in mixed case", () => {
  /** A body and Content-Type made by the runtime's own FormData encoder. */
  async function formDataUpload(archive: Uint8Array): Promise<{ body: Uint8Array; type: string }> {
    const form = new FormData();
    form.set("archive", new Blob([archive as Uint8Array<ArrayBuffer>], { type: "application/gzip" }), "package.oripk");
    const req = new Request(BASE, { method: "POST", body: form });
    return { body: new Uint8Array(await req.arrayBuffer()), type: req.headers.get("content-type")! };
  }

  const post = (pkg: string, body: Uint8Array, type: string) =>
    call(`/v1/packages/${pkg}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": type },
      body: body as Uint8Array<ArrayBuffer>,
    });

  it("reads a body the runtime's FormData produced, as sent", async () => {
    const archive = await buildArchive({ name: "@acme/formdata", version: "1.0.0" });
    const { body, type } = await formDataUpload(archive);
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    const res = await post("@acme/formdata", body, type);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(new Uint8Array(await (await call("/v1/packages/@acme/formdata/1.0.0/download")).arrayBuffer())).toEqual(
      archive,
    );
  });

  it("reads that body under a browser's boundary (capitals), with the media type in capitals too", async () => {
    const archive = await buildArchive({ name: "@acme/browser", version: "1.0.0" });
    const { body, type } = await formDataUpload(archive);
    const original = /boundary=([^;]+)/.exec(type)![1]!;
    const browser = "----WebKitFormBoundaryAbCdEfGh12345678";
    // One character per byte (TextDecoder's "latin1" is windows-1252, which is not).
    const text = Array.from(body, (b) => String.fromCharCode(b)).join("");
    expect(text.split(original).length).toBeGreaterThan(2);
    const rewritten = Uint8Array.from(text.replaceAll(original, browser), (ch) => ch.charCodeAt(0));
    const res = await post("@acme/browser", rewritten, `Multipart/Form-Data; boundary=${browser}`);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(new Uint8Array(await (await call("/v1/packages/@acme/browser/1.0.0/download")).arrayBuffer())).toEqual(
      archive,
    );
  });

  it("reads a hand-written body with a quoted mixed-case boundary", async () => {
    const archive = await buildArchive({ name: "@acme/handmade", version: "1.0.0" });
    const boundary = "XyZ-Boundary-QwErTy";
    const enc = new TextEncoder();
    const head = enc.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="archive"; filename="a.oripk"\r\nContent-Type: application/gzip\r\n\r\n`,
    );
    const tail = enc.encode(`\r\n--${boundary}--\r\n`);
    const body = new Uint8Array([...head, ...archive, ...tail]);
    const res = await post("@acme/handmade", body, `multipart/form-data; boundary="${boundary}"`);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(new Uint8Array(await (await call("/v1/packages/@acme/handmade/1.0.0/download")).arrayBuffer())).toEqual(
      archive,
    );
  });
});
