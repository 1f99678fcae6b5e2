// The queue consumer: dispatches each message to its job. A fault is retried by the queue with
// exponential backoff (10 s, 20 s, 40 s, … at most 5 min); a permanent failure (job-failure.ts)
// is recorded as the version's `failed` state and not retried. When a pipeline job fails its last
// attempt, the version's state says `failed` with the reason before the queue moves the message
// to the dead-letter queue, whose consumer (dead-letters.ts) keeps it for the operator. One JSON
// log line per job: its type, outcome, attempts and duration (not the package it was about); a
// failure is also recorded by error tracking.
import type { Env } from "../env";
import type { JobMessage } from "./messages";
import { processingFailed, processVersion } from "./process-version";
import { scanFailed, scanVersion } from "./scan-version";
import { rescanAdvisory } from "./rescan-advisory";
import { reindexPackage } from "./reindex-package";
import { heartbeat } from "./heartbeat";
import { consumeDeadLetters, isDeadLetterQueue } from "./dead-letters";
import { PermanentJobFailure, reasonOf } from "./job-failure";
import { logLine } from "../monitoring/log-line";
import { redact } from "../monitoring/redact";
import { trackError } from "../objects/error-recorder";

/** wrangler.jsonc's `max_retries` of the jobs queue (test/repo checks they agree): 6 attempts in all. */
export const QUEUE_MAX_RETRIES = 5;

/** The delay before the next attempt of a message that failed `attempts` times. */
export const retryDelaySeconds = (attempts: number): number => Math.min(10 * 2 ** (attempts - 1), 300);

export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Env, ctx?: ExecutionContext): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) return consumeDeadLetters(batch, env);
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
      const permanent = e instanceof PermanentJobFailure;
      const last = message.attempts > QUEUE_MAX_RETRIES;
      console.error(
        logLine("error", "job failed", {
          job,
          outcome: permanent ? "failed" : last ? "dead-letter" : "retry",
          attempts: message.attempts,
          durationMs: Date.now() - started,
          error: redact(reasonOf(e)),
        }),
      );
      if (ctx) trackError(env, (p) => ctx.waitUntil(p), { kind: "job", where: job }, e);
      if (permanent || last) {
        const reason = permanent ? reasonOf(e) : `gave up after ${message.attempts} attempts: ${reasonOf(e)}`;
        // Best effort: the dead letter (or the log line above) still tells if this fails too.
        await recordFailure(env, message.body, reason).catch((f: unknown) =>
          console.error(logLine("error", "could not record a job's failure", { job, error: redact(reasonOf(f)) })),
        );
      }
      if (permanent) message.ack();
      else message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

function runJob(env: Env, msg: JobMessage): Promise<void> {
  switch (msg.type) {
    case "process-version":
    case "version-published":
      return processVersion(env, msg);
    case "scan-version":
      return scanVersion(env, msg);
    case "rescan-advisory":
      return rescanAdvisory(env, msg);
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

/** A version's pipeline state says `failed` with the reason (other jobs have no such state). */
export async function recordFailure(env: Env, msg: JobMessage, reason: string): Promise<void> {
  if (msg.type === "process-version" || msg.type === "version-published") await processingFailed(env, msg, reason);
  else if (msg.type === "scan-version") await scanFailed(env, msg, reason);
}
