// Publish intents: how a PackageWriter finishes, by itself, a publish that a crash interrupted
// between the log append and the commit. No Worker APIs here (the writer hands in its rows, the
// sequencer and its commit), so the rules below are unit-tested in Node.
//
// A publish, and what each crash point leaves (the archive is already in R2):
//   1. the alarm is armed (the outbox's safety alarm, ~30 s);
//   2. the intent — the publish's full input — is saved in the writer's SQLite;
//      crash here: the alarm finds the intent and appends it itself;
//   3. the sequencer appends `<name> <version> sha256:<hex>` and answers with a receipt;
//      crash before or after the append: the alarm appends again — the sequencer dedupes by
//      `name version`, so it answers the same index, or `version_exists` if another checksum
//      took the version;
//   4. commit: the version, its outbox rows and the intent's removal, in one transaction;
//      a refusal (`version_exists`) removes the intent instead.
// Invariants:
//   - An intent exists exactly while a publish of (version, sha256) is started and neither
//     committed nor refused by the log, and an alarm is armed whenever one exists.
//   - The log is the arbiter: an intent is finished by appending it (idempotent) and obeying
//     the answer, so an alarm and a retried request racing on one intent both get the same
//     receipt, and the second to commit finds the version committed (the writer is one thread).
//   - An intent is finished even when the request that made it failed: a publish answered with
//     5xx may still complete by itself (a retry of the same bytes then answers 200).
//   - Bytes the log refused name a version that belongs to other bytes for good (the manifest
//     inside names one version), so they are deleted from R2, as the publish route does.
import type { InclusionReceipt } from "../log/receipt";
import type { RpcResult } from "./rpc-result";

/** The sequencer's answer to an append (LogSequencer.append). */
export type AppendResult = RpcResult<InclusionReceipt, "version_exists">;

/** A started publish (the writer's PublishInput): what the commit needs, all of it. */
export interface IntentInput {
  name: string;
  version: string;
  sha256: string;
}

export interface IntentHost<I extends IntentInput> {
  /** Intents saved and not yet finished, oldest first. */
  intents(): I[];
  /** Intents a request of this object is working on right now (its own append will answer). */
  inFlight(intent: I): boolean;
  /** Asks the log to append the intent's entry (idempotent). Throws when the log is unreachable. */
  append(intent: I): Promise<AppendResult>;
  /** Commits the version (removing the intent in the same transaction), unless committed already. */
  commit(intent: I, receipt: InclusionReceipt): Promise<void>;
  /** The log refused it: remove the intent and the bytes. */
  refuse(intent: I, message: string): Promise<void>;
  log(entry: Record<string, unknown>): void;
}

/** Finishes every intent not in flight. True when none is left (else the caller re-arms the alarm). */
export async function finishIntents<I extends IntentInput>(host: IntentHost<I>): Promise<boolean> {
  let left = 0;
  for (const intent of host.intents()) {
    if (host.inFlight(intent)) {
      left++;
      continue;
    }
    try {
      const appended = await host.append(intent);
      if (appended.ok) await host.commit(intent, appended.value);
      else await host.refuse(intent, appended.message);
      host.log({
        level: "info",
        msg: appended.ok ? "interrupted publish finished" : "interrupted publish refused by the log",
        name: intent.name,
        version: intent.version,
        sha256: intent.sha256,
      });
    } catch (e) {
      left++;
      host.log({
        level: "error",
        msg: "interrupted publish not finished yet; the alarm retries it",
        name: intent.name,
        version: intent.version,
        error: String(e),
      });
    }
  }
  return left === 0;
}
