// Jobs a job sends (a rescan's scans, the next page of a fan-out), in batches the queue takes.
// No outbox: the message that sends them is acknowledged only once they are sent, so a crash
// before that sends them again with the retried message (jobs are idempotent).
import type { Env } from "../env";
import type { JobMessage } from "./messages";

/** Cloudflare Queues' sendBatch limit. */
export const SEND_BATCH = 100;

export async function sendJobs(env: Env, jobs: readonly JobMessage[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += SEND_BATCH)
    await env.JOBS.sendBatch(jobs.slice(i, i + SEND_BATCH).map((body) => ({ body })));
}
