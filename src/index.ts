// Worker entry: the HTTP app, the queue consumer, the Cron Trigger's probes, and the Durable
// Object classes.
//
// The probes call the app in process (`app.fetch` with this invocation's env and context)
// rather than through a service binding to the Worker itself: the request goes through the
// same middleware and routes a client's does, with no binding to declare in every environment
// and no extra invocation to pay for; neither way covers Cloudflare's edge in front of the
// Worker (DNS, TLS, routes), which only an outside monitor of /v1/health/deep can (docs/monitoring.md).
import { createApp } from "./http/app";
import { consumeJobs } from "./jobs/consumer";
import { runScheduled } from "./services/scheduled";
import { localTrigger, mayBeLocalTrigger } from "./local-trigger";
import type { Env } from "./env";
import type { JobMessage } from "./jobs/messages";

export { PackageWriter } from "./objects/package-writer";
export { LogSequencer } from "./objects/log-sequencer";
export { AccountDirectory } from "./objects/account-directory";
export { ScopeOwnership } from "./objects/scope-ownership";
export { RateLimitCounter } from "./objects/rate-limit-counter";
export { SearchIndex } from "./objects/search-index";
export { AdvisoryDatabase } from "./objects/advisory-database";
export { ProcessorContainer } from "./objects/processor-container";
export { StatusHistory } from "./objects/status-history";
export { ErrorTracker } from "./objects/error-tracker";

const app = createApp();

function scheduled(env: Env, ctx: ExecutionContext, cron: string, scheduledTime: number): Promise<void> {
  return runScheduled(env, ctx, (request) => Promise.resolve(app.fetch(request, env, ctx)), cron, scheduledTime);
}

export default {
  // Not async: every request passes here, and an await would cost each one a turn.
  fetch: (request: Request, env: Env, ctx: ExecutionContext) =>
    mayBeLocalTrigger(request, env)
      ? localTrigger(request, env, (cron, time) => scheduled(env, ctx, cron, time)).then(
          (answer) => answer ?? app.fetch(request, env, ctx),
        )
      : app.fetch(request, env, ctx),
  queue: (batch, env, ctx?: ExecutionContext) => consumeJobs(batch, env, ctx),
  scheduled: (controller, env, ctx) => scheduled(env, ctx, controller.cron, controller.scheduledTime),
} satisfies ExportedHandler<Env, JobMessage>;
