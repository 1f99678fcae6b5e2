// The HTTP adapter against a processor that answers badly: not JSON, the wrong shape, a non-200,
// an answer past its byte bound, README HTML past its bound, more files than an archive may hold.
// Each is a fault (ProcessorUnavailable, so the job retries), never a result to store.
import { describe, expect, it } from "vitest";
import { HttpProcessor, MAX_ANSWER_BYTES, ProcessorUnavailable } from "./http-processor";
import { inlineProcessor } from "./processor";
import { MAX_README_HTML_BYTES } from "./readme-html";
import { buildArchive } from "../../test/helpers/archive-builder";

const answering = (make: () => Response) => new HttpProcessor({ fetch: () => Promise.resolve(make()) });
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

async function goodAnswer() {
  const archive = await buildArchive({ name: "@http/ok", version: "1.0.0", files: { "README.md": "# hi\n" } });
  return { archive, result: await inlineProcessor.process(archive) };
}

describe("HttpProcessor: a bad answer is a fault", () => {
  it("accepts a well-formed answer (the cases below can pass only by refusing)", async () => {
    const { archive, result } = await goodAnswer();
    expect(await answering(() => json(result)).process(archive)).toEqual(result);
  });

  it.each([
    ["not JSON", () => new Response("<html>oops</html>"), /is not JSON/],
    ["the wrong shape", () => json({ ok: true, sha256: "nope" }), /is malformed/],
    ["a 500", () => json({ error: { code: "internal_error" } }, 500), /with 500/],
    ["a 404 with a huge body", () => new Response("x".repeat(1_000_000), { status: 404 }), /with 404/],
  ])("%s", async (_name, make, message) => {
    const { archive } = await goodAnswer();
    await expect(answering(make).process(archive)).rejects.toThrow(ProcessorUnavailable);
    await expect(answering(make).process(archive)).rejects.toThrow(message);
  });

  it("cuts a non-200's text it reports to 200 characters", async () => {
    const { archive } = await goodAnswer();
    const error = await answering(() => new Response("y".repeat(10_000), { status: 502 }))
      .process(archive)
      .catch((e: Error) => e);
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it("refuses an answer past its byte bound without reading it all", async () => {
    const { archive } = await goodAnswer();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1 << 20;
        controller.enqueue(new Uint8Array(1 << 20).fill(0x20));
      },
    });
    await expect(answering(() => new Response(endless)).process(archive)).rejects.toThrow(/over 8388608 bytes/);
    expect(pulled).toBeLessThanOrEqual(MAX_ANSWER_BYTES["/process"] + 2 * (1 << 20));
  });

  it("refuses README HTML past its bound, and more files than an archive may hold", async () => {
    const { archive, result } = await goodAnswer();
    if (!result.ok) throw new Error("the archive is valid");
    const big = { ...result, readme: { html: "a".repeat(MAX_README_HTML_BYTES + 1), plainText: false } };
    await expect(answering(() => json(big)).process(archive)).rejects.toThrow(/is malformed/);
    const file = result.files[0]!;
    const many = { ...result, files: Array.from({ length: 10_001 }, (_, i) => ({ ...file, path: `f${i}` })) };
    await expect(answering(() => json(many)).process(archive)).rejects.toThrow(/is malformed/);
  });

  it("refuses a scan answer of the wrong shape", async () => {
    const scan = answering(() => json({ advisories: "none" }));
    await expect(scan.scan({ name: "@http/ok", version: "1.0.0", dependencies: [], advisories: [] })).rejects.toThrow(
      /answer to \/scan is malformed/,
    );
  });
});
