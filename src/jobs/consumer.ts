// The queue consumer: dispatches each message to its job; a failed job is retried by the queue.
// One JSON log line per job: its type, outcome, attempts and duration (not the package it was
// about); a failure is also recorded by error tracking.
import type { Env } from "../env";
import type { JobMessage } from "./messages";
import { versionPublished } from "./version-published";
import { reindexPackage } from "./reindex-package";
import { heartbeat } from "./heartbeat";
import { logLine } from "../monitoring/log-line";
import { redact } from "../monitoring/redact";
import { trackError } from "../objects/error-recorder";

export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Env, ctx?: ExecutionContext): Promise<void> {
  for (const message of batch.messages) {
    const started = Date.now();
    const job = message.body.type;
    try {
      await runJob(env, message.body);
      message.ack();
      console.log(
        logLine("info", "job", { job, outcome: "ok", attempts: message.attempts, durationMs: Date.now() - started }),
      );
    } catch (e) {
      console.error(
        logLine("error", "job failed", {
          job,
          outcome: "retry",
          attempts: message.attempts,
          durationMs: Date.now() - started,
          error: redact(String(e)),
        }),
      );
      if (ctx) trackError(env, (p) => ctx.waitUntil(p), { kind: "job", where: job }, e);
      message.retry();
    }
  }
}

function runJob(env: Env, msg: JobMessage): Promise<void> {
  switch (msg.type) {
    case "version-published":
      return versionPublished(env, msg);
    case "reindex-package":
      return reindexPackage(env, msg);
    case "heartbeat":
      return heartbeat(env, msg);
    default: {
      const never: never = msg;
      throw new Error(`unknown job ${(never as { type: string }).type}`);
    }
  }
}
