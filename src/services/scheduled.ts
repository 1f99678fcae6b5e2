// The Cron Trigger's work (the Worker's `scheduled` handler): a queue heartbeat, then every
// endpoint probe, recorded in the StatusHistory. A probe failing PROBE_ALERT_AFTER runs in a row
// is an error-level log line with `alert: "probe_failing"` (and its recovery `probe_recovered`);
// every failed probe is also an occurrence for error tracking. One log line per run.
import type { Env } from "../env";
import { logLine } from "../monitoring/log-line";
import { redact } from "../monitoring/redact";
import { trackError } from "../objects/error-recorder";
import { runProbes, PROBES, type Fetcher } from "./probes";
import { StatusStore } from "./status-store";

/** Failed runs in a row that make an endpoint "down" and raise the alert (PROBE_ALERT_AFTER). */
export function alertAfter(env: Env): number {
  const n = Number(env.PROBE_ALERT_AFTER);
  return Number.isSafeInteger(n) && n >= 1 && n <= 1000 ? n : 3;
}

/** A heartbeat per run when runs are a minute apart (deep health's own come at most once a minute). */
const RUN_HEARTBEAT_INTERVAL_MS = 50_000;

export async function runScheduled(
  env: Env,
  ctx: ExecutionContext,
  fetcher: Fetcher,
  cron: string,
  now = Date.now(),
): Promise<void> {
  const waitUntil = (p: Promise<unknown>) => ctx.waitUntil(p);
  const status = new StatusStore(env);
  try {
    await status.heartbeat(env, now, RUN_HEARTBEAT_INTERVAL_MS).catch((e: unknown) => {
      console.error(logLine("error", "the queue heartbeat could not be sent", { error: redact(String(e)) }));
      trackError(env, waitUntil, { kind: "scheduled", where: "queue heartbeat" }, e);
    });
    const run = await runProbes(env, fetcher, String(now));
    const transitions = await status.record(now, run.results, alertAfter(env));
    for (const t of transitions) {
      if (t.alert === "probe_failing") {
        console.error(
          logLine("error", `the ${t.endpoint} probe failed ${t.consecutiveFailures} runs in a row`, {
            alert: t.alert,
            endpoint: t.endpoint,
            route: PROBES[t.endpoint as keyof typeof PROBES] ?? null,
            consecutiveFailures: t.consecutiveFailures,
            error: t.error,
          }),
        );
      } else if (t.alert === "probe_recovered") {
        console.log(logLine("info", `the ${t.endpoint} probe works again`, { alert: t.alert, endpoint: t.endpoint }));
      }
    }
    for (const f of run.failures)
      trackError(
        env,
        waitUntil,
        {
          kind: "probe",
          where: f.endpoint,
          status: run.results.find((r) => r.endpoint === f.endpoint)?.status ?? null,
        },
        f.error,
      );
    const failed = run.results.filter((r) => !r.ok).map((r) => r.endpoint);
    console.log(
      logLine(failed.length ? "warn" : "info", "probe run", {
        cron,
        durationMs: Date.now() - now,
        probes: run.results.length,
        failed,
        publishedCanary: run.publishedCanary,
      }),
    );
  } catch (e) {
    console.error(logLine("error", "the scheduled run failed", { cron, error: redact(String(e)) }));
    trackError(env, waitUntil, { kind: "scheduled", where: `cron ${cron}` }, e);
    throw e;
  }
}
