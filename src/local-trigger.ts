// `npm start` only: GET /cdn-cgi/local/scheduled?cron=…[&time=<ms>] runs the scheduled handler
// once, the route Miniflare's entry worker answers under `wrangler dev`. `npm start` serves the
// Worker on its own socket, without that entry worker in front (scripts/lean-runtime.mjs), so the
// Worker answers the route itself — only when LOCAL_TRIGGERS is "true", which only the lean
// runtime sets and the deploy preflight refuses (on Cloudflare, /cdn-cgi/ never reaches a Worker).
import type { Env } from "./env";

export const LOCAL_SCHEDULED_PATH = "/cdn-cgi/local/scheduled";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** As Miniflare guards /cdn-cgi/: only for this machine's names, so a rebound page cannot trigger runs. */
function fromThisMachine(request: Request, url: URL): boolean {
  if (!LOOPBACK.has(url.hostname)) return false;
  const origin = request.headers.get("Origin");
  if (origin === null) return true;
  try {
    return LOOPBACK.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * Whether `request` may be the trigger: a cheap synchronous test, because every request passes
 * here and an await on each would be paid by all of them (docs/performance.md, "Sixth pass").
 */
export function mayBeLocalTrigger(request: Request, env: Env): boolean {
  return env.LOCAL_TRIGGERS === "true" && request.url.includes("/cdn-cgi/");
}

/** The trigger's answer when `request` is one, else null. */
export async function localTrigger(
  request: Request,
  env: Env,
  run: (cron: string, scheduledTime: number) => Promise<void>,
): Promise<Response | null> {
  if (!mayBeLocalTrigger(request, env)) return null;
  const url = new URL(request.url);
  if (url.pathname !== LOCAL_SCHEDULED_PATH) return null;
  if (!fromThisMachine(request, url)) return new Response("Invalid Host or Origin header", { status: 403 });
  const time = Number(url.searchParams.get("time") || Date.now());
  // Answered as Miniflare answers it: the outcome as text, or `{"outcome":…}` with format=json.
  const answer = (outcome: "ok" | "exception") => {
    const status = outcome === "ok" ? 200 : 500;
    return url.searchParams.get("format") === "json"
      ? Response.json({ outcome }, { status })
      : new Response(outcome, { status });
  };
  try {
    await run(url.searchParams.get("cron") ?? "", Number.isFinite(time) ? time : Date.now());
    return answer("ok");
  } catch (e) {
    console.error(JSON.stringify({ level: "error", msg: "scheduled handler failed", error: String(e) }));
    return answer("exception");
  }
}
