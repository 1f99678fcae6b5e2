// `PROCESSING_BACKEND=container npm start`: the real local server with the container entry as a
// child process of it, reached over real HTTP. A publish is processed and scanned through the
// entry (its request lines show /process and /scan), the file index and the README HTML come
// from what it returned, and an advisory recorded afterwards reaches the version's findings by a
// rescan that also runs there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import { buildArchive } from "../helpers/archive-builder";
import { startDevServer, type DevServer } from "./dev-server";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ env: { PROCESSING_BACKEND: "container" } });
});

afterAll(async () => {
  await server?.stop();
});

interface Meta {
  processing: { status: string } | null;
  scan: { status: string; advisories: string[] } | null;
}

async function metadata(path: string): Promise<Meta> {
  return (await (await fetch(`${server.url}/v1/packages/${path}/metadata`)).json()) as Meta;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("PROCESSING_BACKEND=container npm start", () => {
  it("starts the container entry beside the Worker and says where", () => {
    expect(server.output()).toMatch(/Processing and scanning in the container entry at http:\/\/127\.0\.0\.1:\d+/);
    expect(server.output()).toContain('[processor] {"level":"info","msg":"listening"');
  });

  it("processes and scans a publish in the container entry, then a new advisory's rescan", async () => {
    const archive = await buildArchive({
      name: "@e2e/boxed",
      version: "1.0.0",
      files: { "README.md": "# Boxed\n\n<script>alert(1)</script>\n\n**safe**\n" },
    });
    const res = await fetch(`${server.url}/v1/packages/@e2e/boxed/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/gzip" },
      body: archive as Uint8Array<ArrayBuffer>,
    });
    expect(res.status, await res.clone().text()).toBe(201);

    await until(
      "processing and scan",
      () => metadata("@e2e/boxed/1.0.0"),
      (m) => m.processing?.status === "done" && m.scan?.status === "done",
    );
    expect(server.output()).toMatch(
      /\[processor\] \{"level":"info","msg":"request","method":"POST","path":"\/process","status":200/,
    );
    expect(server.output()).toMatch(
      /\[processor\] \{"level":"info","msg":"request","method":"POST","path":"\/scan","status":200/,
    );

    const files = (await (await fetch(`${server.url}/v1/packages/@e2e/boxed/1.0.0/files`)).json()) as {
      files: { path: string }[];
    };
    expect(files.files.map((f) => f.path)).toContain("README.md");
    const readme = await fetch(`${server.url}/v1/packages/@e2e/boxed/1.0.0/readme`);
    expect(readme.status).toBe(200);
    const { html } = (await readme.json()) as { html: string };
    expect(html).toContain("<strong>safe</strong>");
    expect(html).not.toContain("<script");

    const created = await fetch(`${server.url}/v1/advisories`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(
        sampleSubmission({ aliases: [], affected: [semverEntry("@e2e/boxed", [{ introduced: "0" }])] }),
      ),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const scanned = await until(
      "the rescan",
      () => metadata("@e2e/boxed/1.0.0"),
      (m) => m.scan?.advisories.includes(id) === true,
    );
    expect(scanned.scan!.status).toBe("done");
  });
});
