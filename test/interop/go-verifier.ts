// Node side of the Go interop test: builds test/interop/go offline (GOPATH mode against Debian's
// golang-golang-x-mod-dev), runs it, and a tiny proxy that corrupts chosen log responses.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const GO_SOURCES = join(import.meta.dirname, "go");

/** GOPATH mode, no network: x/mod comes from /usr/share/gocode (override with ORI_GOPATH). */
export function goEnv(dir: string): NodeJS.ProcessEnv {
  const gopath = process.env.ORI_GOPATH ?? "/usr/share/gocode";
  return {
    ...process.env,
    GO111MODULE: "off",
    GOPATH: gopath,
    GOPROXY: "off",
    GOFLAGS: "",
    GOCACHE: join(dir, "go-cache"),
    CGO_ENABLED: "0",
  };
}

/** Builds the verifier into dir and returns its path. */
export async function buildGoVerifier(dir: string): Promise<string> {
  const out = join(dir, "ori-tlog-verify");
  try {
    await run("go", ["build", "-o", out, "."], { cwd: GO_SOURCES, env: goEnv(dir) });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `go build of ${GO_SOURCES} failed (run scripts/install-test-tools.sh):\n${err.stderr ?? err.message}`,
      { cause: e },
    );
  }
  return out;
}

export interface VerifierRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: Record<string, unknown> | null;
  ms: number;
}

/** Runs the verifier (asynchronously: a proxy in this process may be serving it). */
export async function runGoVerifier(
  bin: string,
  url: string,
  key: string,
  specs: string[],
  oldCheckpoint?: string,
): Promise<VerifierRun> {
  const args = [...(oldCheckpoint ? ["-old", oldCheckpoint] : []), url, key, ...specs];
  const started = Date.now();
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await run(bin, args, { maxBuffer: 16 << 20, timeout: 120_000 });
    result = { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    result = {
      code: typeof err.code === "number" ? err.code : -1,
      stdout: err.stdout ?? "",
      stderr: err.stderr || err.message,
    };
  }
  let summary: Record<string, unknown> | null = null;
  try {
    summary = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    // no summary on failure
  }
  return { ...result, summary, ms: Date.now() - started };
}

export interface TamperingProxy {
  url: string;
  /** How many responses it changed. */
  tampered: () => number;
  close: () => Promise<void>;
}

/**
 * Forwards GETs to target; flips one byte (the middle one) of each 200 response whose path
 * matches `path`, and answers /v1/log/key with `serveKey` when given.
 */
export async function startTamperingProxy(
  target: string,
  opts: { path?: RegExp; serveKey?: string },
): Promise<TamperingProxy> {
  let tampered = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? "/";
      if (opts.serveKey && path === "/v1/log/key") {
        tampered++;
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(`${opts.serveKey}\n`);
        return;
      }
      const upstream = await fetch(target + path, {
        headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      if (upstream.status === 200 && opts.path?.test(path) && body.length > 0) {
        const at = body.length >> 1;
        body[at] = body[at]! ^ 0x01;
        tampered++;
      }
      res
        .writeHead(upstream.status, {
          "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
        })
        .end(body);
    })().catch((e: unknown) => res.writeHead(502).end(String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    tampered: () => tampered,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
