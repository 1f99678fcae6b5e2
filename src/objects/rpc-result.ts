// What a Durable Object's RPC method returns when it can refuse: typed errors do not survive
// the RPC boundary (only their message does), so refusals travel as plain data with a code,
// and `unwrap` — the one place — turns them back into a RegistryError on the caller's side.
import { RegistryError, type ErrorCode } from "../domain/errors";

export type RpcResult<T, Code extends ErrorCode> =
  { ok: true; value: T } | { ok: false; code: Code; message: string; retryAt?: number };

/** The value of a result, or its refusal as a RegistryError (`retryAt`, ms since the epoch → Retry-After). */
export function unwrap<T, Code extends ErrorCode>(result: RpcResult<T, Code>): T {
  if (result.ok) return result.value;
  const error = new RegistryError(result.code, result.message);
  if (result.retryAt !== undefined) error.retryAfter = Math.max(1, Math.ceil((result.retryAt - Date.now()) / 1000));
  throw error;
}
