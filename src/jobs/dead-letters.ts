// The dead-letter queue's consumer: every message the jobs queue gave up on is kept in R2
// (storage/dead-letters.ts) for the operator to list (GET /v1/admin/dead-letters), with the
// failure its version's state recorded, and acknowledged. Idempotent: a redelivered dead letter
// overwrites its own object.
import type { Env } from "../env";
import type { JobMessage } from "./messages";
import { DeadLetterStore } from "../storage/dead-letters";
import { Packages } from "../services/packages";

/** The dead-letter queues are named `…-jobs-dlq` (and `…-jobs-dlq-<env>`) in wrangler.jsonc. */
export function isDeadLetterQueue(queue: string): boolean {
  return /-jobs-dlq(?:-|$)/.test(queue);
}

export async function consumeDeadLetters(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  const store = DeadLetterStore.of(env);
  for (const message of batch.messages) {
    await store.save({
      id: message.id,
      deadAt: message.timestamp.toISOString(),
      recordedAt: new Date().toISOString(),
      job: message.body,
      reason: await reasonFor(env, message.body).catch(() => null),
    });
    message.ack();
  }
}

/** The failure the version's state recorded for this job, when it is a pipeline job. */
async function reasonFor(env: Env, job: JobMessage): Promise<string | null> {
  if (job.type !== "process-version" && job.type !== "version-published" && job.type !== "scan-version") return null;
  const record = await new Packages(env).findVersion(job.name, job.version);
  const state = job.type === "scan-version" ? record?.scan : record?.processing;
  return state?.status === "failed" ? state.reason : null;
}
