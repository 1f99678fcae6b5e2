// One JSON log line per request, after its answer: the request id, the method, the route
// template (never the raw path: it names packages and accounts), the status, the error code,
// the duration and Cloudflare's colo when present. No token, no body, no client address.
// REQUEST_LOGS=false turns it off (the benchmark measures its cost side by side).
import type { Layer } from "../in-order";
import type { AppEnv } from "../../env";
import { logLine } from "../../monitoring/log-line";
import { routeTemplate } from "../implement";

export const requestLog: Layer<AppEnv> = async (c, next) => {
  if (c.env.REQUEST_LOGS === "false") return next();
  const started = Date.now();
  await next();
  const status = c.res.status;
  const colo = (c.req.raw.cf as { colo?: unknown } | undefined)?.colo;
  const line = logLine(status >= 500 ? "error" : status >= 400 ? "warn" : "info", "request", {
    requestId: c.get("requestId") ?? null,
    method: c.req.method,
    route: routeTemplate(c),
    status,
    code: c.get("errorCode") ?? null,
    durationMs: Date.now() - started,
    // A colo is three letters (under npm start a client can send its own Request.cf: MF-CF-Blob).
    ...(typeof colo === "string" && /^[A-Z]{3}$/.test(colo) ? { colo } : {}),
  });
  if (status >= 500) console.error(line);
  else console.log(line);
};
