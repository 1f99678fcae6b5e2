// The stable code of the error a call throws, for tests that assert on codes: a RegistryError's
// (domain, processing) or a LogVerificationError's (log). Other errors are rethrown.
import { RegistryError } from "../../src/domain/errors";
import { LogVerificationError } from "../../src/log/errors";

function codeOfError(err: unknown): string {
  if (err instanceof RegistryError || err instanceof LogVerificationError) return err.code;
  throw err;
}

/** The code `fn` throws, or undefined if it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return codeOfError(err);
  }
  return undefined;
}

/** The code `p` rejects with, or undefined if it resolves. */
export async function codeOfAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return codeOfError(err);
  }
  return undefined;
}

/** The RegistryError `fn` throws (for tests that look at its message or details); fails if it returns. */
export function errorOf(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error("expected a RegistryError");
}
