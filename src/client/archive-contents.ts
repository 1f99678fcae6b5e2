// A downloaded archive must be one the registry would accept today, read by the registry's own
// code (src/processing/): an archive published before a rule existed — the tar tricks of issue 11
// among them — is refused here even though its checksum is in the log.
import { isRegistryError } from "../domain/errors";
import { processArchive, type ProcessedArchive } from "../processing/archive";
import { VerificationError } from "./errors";

/** Processes `bytes` as a publish would; any refusal, or another name or version inside, is a VerificationError. */
export async function verifyArchiveContents(
  subject: string,
  bytes: Uint8Array,
  expected: { name: string; version: string },
): Promise<ProcessedArchive> {
  let processed: ProcessedArchive;
  try {
    processed = await processArchive(bytes, { expectedName: expected.name });
  } catch (err) {
    if (!isRegistryError(err)) throw err;
    throw new VerificationError(subject, [
      { check: "archive contents against the registry's archive rules", detail: `${err.code}: ${err.message}` },
    ]);
  }
  if (processed.manifest.version !== expected.version) {
    throw new VerificationError(subject, [
      {
        check: "the version in the archive's oripk.toml",
        expected: expected.version,
        actual: processed.manifest.version,
      },
    ]);
  }
  return processed;
}
