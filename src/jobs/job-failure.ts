// A job's failure that retrying cannot fix — the stored bytes are refused, or do not match the
// log's checksum; a dependency graph past its bound — as opposed to a fault (storage, the
// container, the network), which the queue retries with backoff. The consumer records a
// permanent failure as the version's `failed` state at once and does not retry it.
export class PermanentJobFailure extends Error {
  override readonly name = "PermanentJobFailure";
}

/** A failure's text for a version's state: one line, bounded (it is shown in metadata). */
export function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, " ").slice(0, 300);
}
