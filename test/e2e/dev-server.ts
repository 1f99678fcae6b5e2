// Starts the real local server on a free port with its own state folder and secrets, and stops it
// by its pid: `npm start` (scripts/start.mjs, workerd through Miniflare's API) by default, or
// `npm run dev` (scripts/dev.mjs, wrangler dev) with { runtime: "dev" }.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DevServer {
  url: string;
  adminToken: string;
  dir: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startDevServer(
  opts: {
    dir?: string;
    port?: number;
    runtime?: "start" | "dev";
    /** Settings wrangler.jsonc declares as vars, written to the server's .dev.vars. */
    vars?: Record<string, string>;
    /** The server process's environment. */
    env?: Record<string, string>;
  } = {},
): Promise<DevServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "ori-e2e-"));
  const port = opts.port ?? (await freePort());
  const devVars = join(dir, "dev.vars");
  // Settings wrangler.jsonc declares as vars (PRIVATE_MODE…), as a .dev.vars line overrides them.
  if (opts.vars)
    writeFileSync(
      devVars,
      Object.entries(opts.vars)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
        .join(""),
    );
  let log = "";
  const script = opts.runtime === "dev" ? "scripts/dev.mjs" : "scripts/start.mjs";
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: join(import.meta.dirname, "..", ".."),
    env: {
      ...process.env,
      PORT: String(port),
      PERSIST_TO: join(dir, "state"),
      DEV_VARS_PATH: devVars,
      WRANGLER_SEND_METRICS: "false",
      ...opts.env,
      // wrangler and Miniflare need Node.js 22: make sure node_modules/.bin (node@22) comes first.
      PATH: `${join(import.meta.dirname, "..", "..", "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (log += String(d)));
  child.stderr!.on("data", (d) => (log += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dev server exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`dev server did not become healthy within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const adminToken = /ADMIN_TOKEN="([^"]+)"/.exec(readFileSync(devVars, "utf8"))![1]!;
  return {
    url,
    adminToken,
    dir,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
