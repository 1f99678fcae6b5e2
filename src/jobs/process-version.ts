// Job after a publish: verify the stored archive against the checksum the transparency log
// holds for the version, run the processor on it (the publish checks again, the file index, the
// README as sanitized HTML), store what it derived next to the archive, and record the outcome
// in the version's state. Idempotent: a version already processed is skipped, and everything it
// writes is a function of the archive's bytes. Supersedes `version-published`: like it, the
// state it records re-projects the version to KV.
import type { Env } from "../env";
import { parseEntry } from "../log/entry";
import type { ProcessVersion, LegacyVersionPublished } from "./messages";
import type { Processor } from "../processing/processor";
import { ArchiveStore } from "../storage/archive-store";
import { ProcessedStore } from "../storage/processed-store";
import { Packages } from "../services/packages";
import { processorFor } from "../services/processor";
import { sha256Hex } from "../util/bytes";
import { PermanentJobFailure } from "./job-failure";

export async function processVersion(
  env: Env,
  msg: ProcessVersion | LegacyVersionPublished,
  processor: Processor = processorFor(env),
): Promise<void> {
  const packages = new Packages(env);
  const record = await packages.findVersion(msg.name, msg.version);
  // Deleted or removed since (its archive gone or quarantined on purpose), never committed, or
  // committed with other bytes: nothing to process. Already done: a redelivery.
  if (!record || record.deleted || record.removed || record.sha256 !== msg.sha256) return;
  if (record.processing?.status === "done") return;
  const logged = parseEntry(record.log.entry).sha256;
  if (logged !== record.sha256)
    throw new PermanentJobFailure(`the version's record says sha256:${record.sha256}, its log entry sha256:${logged}`);

  const object = await ArchiveStore.of(env).find(record.sha256);
  if (!object) throw new Error(`the archive of ${msg.name}@${msg.version} is missing from storage`);
  const bytes = new Uint8Array(await object.arrayBuffer());
  // Our own digest of the bytes read, not the one R2 keeps beside them.
  const actual = await sha256Hex(bytes);
  if (actual !== logged)
    throw new PermanentJobFailure(`the stored archive has sha256:${actual}; the log holds sha256:${logged}`);

  const result = await processor.process(bytes);
  if (result.sha256 !== logged)
    throw new Error(`the processor hashed the archive to sha256:${result.sha256}, not sha256:${logged}`);
  if (!result.ok) throw new PermanentJobFailure(`the stored archive is refused: ${result.code}: ${result.message}`);
  if (result.name !== record.name || result.version !== record.version)
    throw new PermanentJobFailure(`the stored archive's manifest names ${result.name}@${result.version}`);

  await ProcessedStore.of(env).save(record.sha256, result.files, result.readme);
  await packages.recordProcessing(record.name, record.version, record.sha256, {
    status: "done",
    reason: null,
    files: result.files.length,
    readme: result.readme !== null,
  });
}

/** Records that processing these bytes failed (permanently, or after the last retry). */
export async function processingFailed(env: Env, msg: ProcessVersion | LegacyVersionPublished, reason: string) {
  await new Packages(env).recordProcessing(msg.name, msg.version, msg.sha256, {
    status: "failed",
    reason,
    files: null,
    readme: null,
  });
}
