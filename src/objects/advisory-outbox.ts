// The AdvisoryDatabase's outbox effects and how a round plans them (the rules themselves are
// OutboxEngine's, outbox.ts): every change owes each package it names — before or after — a
// fresh KV projection of that package's advisories and one row in that package's audit trail.
// Projections of one package collapse into one (it reads the committed state); audit events are
// delivered one by one and recorded once each by the PackageWriter (keyed by `seq`). Every
// change also owes one `rescan-advisory` job (the versions it affects, and their dependents,
// are scanned again: docs/processing.md).
import { jobKey, type JobMessage } from "../jobs/messages";
import { MAX_BATCH, OutboxEngine, type OutboxClock, type OutboxRows, type OutboxTask, type OwedEffect } from "./outbox";

export interface AdvisoryAuditEvent {
  /** The change's position in the database's history: unique, the idempotency key. */
  seq: number;
  advisory: string;
  action: "advisory-create" | "advisory-update" | "advisory-withdraw";
  at: string;
  actor: string;
  summary: string | null;
  /** False when the change removed this package from the advisory. */
  affects: boolean;
}

export type AdvisoryEffect =
  | { kind: "project"; package: string }
  | { kind: "package-audit"; package: string; event: AdvisoryAuditEvent }
  | { kind: "job"; job: JobMessage };

export interface AdvisoryOutboxHost extends OutboxClock {
  /** Writes the package's advisory projection to KV from committed state. */
  project(pkg: string): Promise<void>;
  /** Records the event in the package's audit trail (its PackageWriter), at most once. */
  recordAudit(pkg: string, event: AdvisoryAuditEvent): Promise<void>;
  send(jobs: JobMessage[]): Promise<void>;
}

type Row = OwedEffect<AdvisoryEffect>;
type Task = OutboxTask<AdvisoryEffect>;

export class AdvisoryOutbox extends OutboxEngine<AdvisoryEffect> {
  constructor(rows: OutboxRows<AdvisoryEffect>, host: AdvisoryOutboxHost) {
    super(rows, host, (all, due) => plan(host, all, due));
  }
}

/** Effects of one round, at most MAX_BATCH tasks at once (a change may name many packages). */
function plan(host: AdvisoryOutboxHost, all: Row[], due: Row[]): Task[] {
  const tasks = new Map<string, Task>();
  for (const r of due) {
    const key = keyOf(r.effect);
    const task = tasks.get(key);
    if (task) {
      task.tried.push(r);
      continue;
    }
    const effect = r.effect;
    tasks.set(key, {
      tried: [r],
      covers: all.filter((o) => keyOf(o.effect) === key).map((o) => o.id),
      run: () =>
        effect.kind === "project"
          ? host.project(effect.package)
          : effect.kind === "package-audit"
            ? host.recordAudit(effect.package, effect.event)
            : host.send([effect.job]),
    });
  }
  return [...tasks.values()].slice(0, MAX_BATCH);
}

function keyOf(effect: AdvisoryEffect): string {
  switch (effect.kind) {
    case "project":
      return `project ${effect.package}`;
    case "package-audit":
      return `audit ${effect.package} ${effect.event.seq}`;
    case "job":
      return `job ${jobKey(effect.job)}`;
  }
}
