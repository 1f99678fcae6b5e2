// The client's error model: a server refusal (an HTTP answer with the registry's error code),
// a network failure (no answer at all), and a verification failure (an answer we cannot trust).
// The CLI maps each class to its own exit code, so scripts can tell them apart.

/** The registry answered with a non-2xx status; `code` is the server's stable error code. */
export class RegistryClientError extends Error {
  override readonly name = "RegistryClientError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    /** Seconds to wait before retrying, from `Retry-After` on a 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** The request never got an HTTP answer: DNS, refused connection, reset, timeout. */
export class RegistryNetworkError extends Error {
  override readonly name = "RegistryNetworkError";
  constructor(
    readonly url: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** One thing that did not match during verification: what, what was expected, what was seen. */
export interface Mismatch {
  check: string;
  expected?: string;
  actual?: string;
  detail?: string;
}

/** Something the registry served did not verify. Lists exactly what did not match. */
export class VerificationError extends Error {
  override readonly name = "VerificationError";
  constructor(
    readonly subject: string,
    readonly mismatches: Mismatch[],
  ) {
    super(`verification of ${subject} failed: ${mismatches.map(describeMismatch).join("; ")}`);
  }
}

export function describeMismatch(m: Mismatch): string {
  let s = m.check;
  if (m.detail) s += `: ${m.detail}`;
  if (m.expected !== undefined || m.actual !== undefined) {
    s += ` (expected ${m.expected ?? "?"}, got ${m.actual ?? "?"})`;
  }
  return s;
}
