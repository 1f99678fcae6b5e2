// The queue consumer: dispatches each message to its job; a failed job is retried by the queue.
import type { Env } from "../env";
import type { JobMessage } from "./messages";
import { versionPublished } from "./version-published";
import { reindexPackage } from "./reindex-package";

export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await runJob(env, message.body);
      message.ack();
    } catch (e) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "job failed",
          job: message.body.type,
          attempts: message.attempts,
          error: String(e),
        }),
      );
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
    default: {
      const never: never = msg;
      throw new Error(`unknown job ${(never as { type: string }).type}`);
    }
  }
}
