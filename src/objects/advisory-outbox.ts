// The AdvisoryDatabase's outbox effects and how a round plans them (the rules themselves are
// OutboxEngine's, outbox.ts): every change owes each package it names — before or after — a
// fresh KV projection of that package's advisories and one row in that package's audit trail.
// Projections of one package collapse into one (it reads the committed state); audit events are
// delivered one by one and recorded once each by the PackageWriter (keyed by `seq`).
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
  { kind: "project"; package: string } | { kind: "package-audit"; package: string; event: AdvisoryAuditEvent };

export interface AdvisoryOutboxHost extends OutboxClock {
  /** Writes the package's advisory projection to KV from committed state. */
  project(pkg: string): Promise<void>;
  /** Records the event in the package's audit trail (its PackageWriter), at most once. */
  recordAudit(pkg: string, event: AdvisoryAuditEvent): Promise<void>;
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
    const key =
      r.effect.kind === "project" ? `project ${r.effect.package}` : `audit ${r.effect.package} ${r.effect.event.seq}`;
    const task = tasks.get(key);
    if (task) {
      task.tried.push(r);
      continue;
    }
    const same = (o: Row) =>
      (o.effect.kind === "project"
        ? `project ${o.effect.package}`
        : `audit ${o.effect.package} ${o.effect.event.seq}`) === key;
    const effect = r.effect;
    tasks.set(key, {
      tried: [r],
      covers: all.filter(same).map((o) => o.id),
      run: () =>
        effect.kind === "project" ? host.project(effect.package) : host.recordAudit(effect.package, effect.event),
    });
  }
  return [...tasks.values()].slice(0, MAX_BATCH);
}
