// Delivers job messages to the Worker's own queue handler as the queue would
// (createMessageBatch/getQueueResult), and notes the backoff each retry asked for — the test
// batch records retries, not their delay.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import worker from "../../src/index";
import type { Env } from "../../src/env";
import type { JobMessage } from "../../src/jobs/messages";

let ids = 0;

export async function deliver(
  messages: JobMessage[],
  opts: { attempts?: number; queue?: string; env?: Env } = {},
): Promise<Awaited<ReturnType<typeof getQueueResult>> & { delays: (number | undefined)[] }> {
  const batch = createMessageBatch<JobMessage>(
    opts.queue ?? "ori-registry-jobs",
    messages.map((body) => ({ id: `m${++ids}`, timestamp: new Date(), attempts: opts.attempts ?? 1, body })),
  );
  const delays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, "retry", {
      value: (options?: QueueRetryOptions) => {
        delays.push(options?.delaySeconds);
        retry(options);
      },
    });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, opts.env ?? env);
  return { ...(await getQueueResult(batch, ctx)), delays };
}
