// The container entry as a local process, for `PROCESSING_BACKEND=container npm start`: the same
// bundle the image holds (scripts/build-container.mjs), run by this Node on 127.0.0.1 on a free
// port (PROCESSOR_PORT to pick one). The Worker reaches it over HTTP at the URL this returns
// (its PROCESSOR_URL), as production reaches the container through its binding. Its log lines
// are passed through, prefixed, so a run shows the requests the Worker made.
import { spawn } from "node:child_process";
import { buildContainer } from "./build-container.mjs";

export async function startLocalProcessor({ port = process.env.PROCESSOR_PORT ?? "0", log = console.log } = {}) {
  const bundle = await buildContainer();
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // However this process ends (a signal, process.exit, a crash), the entry ends with it.
  const orphanGuard = () => child.kill("SIGTERM");
  process.on("exit", orphanGuard);
  child.once("exit", () => process.off("exit", orphanGuard));
  let pending = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the container entry did not start within 20 s")), 20_000);
    const onLine = (line) => {
      log(`[processor] ${line}`);
      const m = /"msg":"listening","port":(\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    const onData = (d) => {
      pending += String(d);
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line) onLine(line);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the container entry exited (${code}) before it listened`));
    });
  });
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
