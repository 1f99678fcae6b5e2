// The container entry as the image runs it: the bundle (scripts/build-container.mjs) in a real
// child process on 127.0.0.1, driven over HTTP by the Worker's own HTTP adapter (the Processor
// contract), and by hand with what a hostile or broken client sends. Docker is not needed: the
// image holds exactly this bundle and runs it with `node` (container/Dockerfile).
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpProcessor } from "../../src/processing/http-processor";
import { processorContract } from "../helpers/processor-contract";
// @ts-expect-error plain .mjs build script
import { buildContainer } from "../../scripts/build-container.mjs";

let child: ChildProcess;
let base = "";
let output = "";

beforeAll(async () => {
  const bundle = (await buildContainer()) as string;
  child = spawn(process.execPath, [bundle], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", (d) => (output += String(d)));
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the container entry did not start:\n${output}`)), 20_000);
    child.stdout!.on("data", (d) => {
      output += String(d);
      const m = /"msg":"listening","port":(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.on("exit", (code) => reject(new Error(`the container entry exited (${code}):\n${output}`)));
  });
});

afterAll(() => {
  if (child?.exitCode === null) child.kill("SIGTERM");
});

processorContract(
  "the container entry over HTTP (a child process)",
  () => new HttpProcessor({ fetch: (r) => fetch(r) }, base),
);

describe("the container entry, against bad clients", () => {
  it("answers /healthz", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("refuses a declared body over the archive limit with 413, unread", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/process`, {
        method: "POST",
        headers: { "content-length": String(64 * 1024 * 1024), "content-type": "application/gzip" },
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.write(new Uint8Array(1024)); // never sends the rest
    });
    expect(status).toBe(413);
  });

  it("refuses a streamed body that grows past the limit with 413", async () => {
    const chunks = 12;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < chunks; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const res = await fetch(`${base}/process`, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("archive_too_large");
  });

  it.each([
    ["not JSON", "{", "bad_request"],
    ["JSON of the wrong shape", '{"name": 1}', "bad_request"],
    [
      "a scan of advisories that are not OSV records",
      '{"name":"@a/b","version":"1.0.0","dependencies":[],"advisories":[{"id":3}]}',
      "bad_request",
    ],
  ])("refuses a scan body that is %s with 400", async (_what, body, code) => {
    const res = await fetch(`${base}/scan`, { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("answers 404 for another path and 405 for another method", async () => {
    expect((await fetch(`${base}/admin`)).status).toBe(404);
    expect((await fetch(`${base}/process`)).status).toBe(405);
  });

  it("survives garbage on the socket and a client that stops halfway, and still answers", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(base).port), "127.0.0.1", () => {
        socket.write("\u0000\u0001 NOT HTTP AT ALL\r\n\r\n");
        socket.on("data", () => undefined);
        socket.on("close", () => resolve());
        setTimeout(() => socket.destroy(), 500);
      });
    });
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${base}/process`, { method: "POST", headers: { "content-length": "100000" } });
      req.on("error", () => resolve());
      req.write(new Uint8Array(10));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
  });
});
