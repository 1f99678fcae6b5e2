// The log's signing key (beside the LogSequencer and LogPublisher that sign with it), read once per isolate from the LOG_SIGNING_KEY secret. Its key name is
// the log origin, so the checkpoint's origin line and the verifier key can never disagree.
import type { Env } from "../env";
import { RegistryError } from "../domain/errors";
import { parseSignerKey, type SignerKey } from "../log/note";

let cached: { raw: string; signer: SignerKey } | null = null;

export function logSigner(env: Env): SignerKey {
  const raw = env.LOG_SIGNING_KEY;
  if (!raw)
    throw new RegistryError(
      "log_not_configured",
      "the transparency log has no signing key: set the LOG_SIGNING_KEY secret",
    );
  if (cached?.raw !== raw) cached = { raw, signer: parseSignerKey(raw) };
  return cached.signer;
}
