// The dead-letter queue, made listable: each message the queue gave up on (every retry failed)
// is written once to R2 by the dead-letter queue's consumer, newest first in key order, for an
// operator to read (GET /v1/admin/dead-letters). R2 lists are strongly consistent. The key holds
// the message's id and its enqueue time, so a redelivered dead letter overwrites itself.
import type { JobMessage } from "../jobs/messages";
import { DEAD_LETTER_PREFIX, deadLetterKey } from "./keys";

export interface DeadLetter {
  id: string;
  /** When the message was first sent to the dead-letter queue. */
  deadAt: string;
  /** When it was recorded here. */
  recordedAt: string;
  job: JobMessage;
  /** The last failure, when the consumer recorded one (`gave up after 6 attempts: …`). */
  reason: string | null;
}

const MAX_MS = 9_999_999_999_999;

export class DeadLetterStore {
  constructor(private readonly bucket: R2Bucket) {}

  static of(env: { BUCKET: R2Bucket }): DeadLetterStore {
    return new DeadLetterStore(env.BUCKET);
  }

  async save(letter: DeadLetter): Promise<void> {
    const inverted = String(MAX_MS - Date.parse(letter.deadAt)).padStart(13, "0");
    await this.bucket.put(deadLetterKey(inverted, letter.id), JSON.stringify(letter), {
      httpMetadata: { contentType: "application/json" },
    });
  }

  /** A page, newest first; `cursor` from the previous page. */
  async list(limit: number, cursor: string | null): Promise<{ letters: DeadLetter[]; cursor: string | null }> {
    const page = await this.bucket.list({ prefix: DEAD_LETTER_PREFIX, limit, ...(cursor ? { cursor } : {}) });
    const letters = await Promise.all(
      page.objects.map(async (o) => {
        const body = await this.bucket.get(o.key);
        return body ? ((await body.json()) as DeadLetter) : null;
      }),
    );
    return {
      letters: letters.filter((l): l is DeadLetter => l !== null),
      cursor: page.truncated ? page.cursor : null,
    };
  }
}
