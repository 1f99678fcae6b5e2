// The transactional outbox of a Durable Object: what a commit owes the world outside the object
// (KV projections, queue messages, other objects' audit trails), written in the commit's own
// transaction and done afterwards, at least once. No Worker APIs here: the object hands in its
// rows, its alarm and its effects, so the rules below are unit-tested in Node. `OutboxEngine`
// holds the rules; `Outbox` is the PackageWriter's (projections and jobs), and another object
// brings its own planner (advisory-outbox.ts).
//
// Rules:
// - One run at a time (per object), so KV writes land in commit order.
// - Each round takes every due row. Projections collapse into one that reads the committed
//   state once and covers every version any project row names (parked ones too); search rows
//   collapse into one write of the package's current search document; jobs are
//   deduplicated and sent in batches of at most MAX_BATCH. A success removes every row it
//   covers, due or not: a later projection or reindex supersedes an earlier one, and a remove
//   of dependents edges every earlier add of the same dependent version.
// - A failure is counted per row and retried after 1, 2, 4 … minutes (at most an hour); after
//   MAX_ATTEMPTS the row is parked: kept and logged, no longer retried, until a later success
//   covers it.
// - The alarm is only ever moved earlier, never later.
import type { DependentEdge } from "../domain/dependents";
import { jobKey, type JobMessage } from "../jobs/messages";

export type Effect =
  | { kind: "project"; version: string | null }
  /** The package's search document, rebuilt from committed state and written to the SearchIndex. */
  | { kind: "search" }
  | { kind: "job"; job: JobMessage }
  | { kind: "dependents"; op: "add" | "remove"; edges: DependentEdge[] };

export interface OwedEffect<E = Effect> {
  id: number;
  effect: E;
  /** Failed attempts so far. */
  attempts: number;
  /** Not retried before this time (ms since the epoch); 0 for a row never tried. */
  nextAttemptAt: number;
}

/** Where the rows live: the object's SQLite in production, memory in tests. */
export interface OutboxRows<E = Effect> {
  add(effects: E[]): void;
  list(): OwedEffect<E>[];
  remove(ids: number[]): void;
  failed(id: number, attempts: number, nextAttemptAt: number): void;
}

/** What every outbox needs of its object: the alarm, a clock and a log. */
export interface OutboxClock {
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
  now(): number;
  log(entry: Record<string, unknown>): void;
}

export interface OutboxHost extends OutboxClock {
  /** Writes these versions (null: all) and the version list to KV, from committed state. */
  project(versions: ReadonlySet<string> | null): Promise<void>;
  send(jobs: JobMessage[]): Promise<void>;
  /** Lists, updates or unlists the package in the SearchIndex, from committed state (revision-ordered). */
  reindex(): Promise<void>;
  /** Adds or removes rows of other packages' dependents indexes (idempotent). */
  link(op: "add" | "remove", edges: DependentEdge[]): Promise<void>;
}

/** One piece of work for a round: which due rows it attempts and which rows a success settles. */
export interface OutboxTask<E = Effect> {
  /** The due rows this task attempts: a failure counts against them. */
  tried: OwedEffect<E>[];
  /** Every row a success satisfies. */
  covers: number[];
  run: () => Promise<void>;
}

/** Turns a round's rows (all of them, and the due ones) into tasks. */
export type OutboxPlanner<E> = (all: OwedEffect<E>[], due: OwedEffect<E>[]) => OutboxTask<E>[];

/** When the safety alarm fires after a commit, in case the inline run does not finish. */
export const SAFETY_ALARM_MS = 30_000;
export const MAX_ATTEMPTS = 10;
/** Cloudflare Queues' sendBatch limit (messages here are a few hundred bytes, far under 256 KB). */
export const MAX_BATCH = 100;
export const retryDelayMs = (attempts: number): number => Math.min(60_000 * 2 ** (attempts - 1), 3_600_000);

export class OutboxEngine<E> {
  private running: Promise<boolean> | null = null;

  constructor(
    private readonly rows: OutboxRows<E>,
    private readonly clock: OutboxClock,
    private readonly plan: OutboxPlanner<E>,
  ) {}

  /** Call before a commit: no crash after it can leave rows without an alarm to do them. */
  arm(): Promise<void> {
    return this.alarmAt(this.clock.now() + SAFETY_ALARM_MS);
  }

  /** Call inside the commit's transaction. */
  add(effects: E[]): void {
    this.rows.add(effects);
  }

  /**
   * Does every due row, after any run under way, then keeps an alarm for the rows still
   * waiting (an alarm that fired before they were due must not strand them). False only if
   * storage itself failed (the alarm path rethrows, so the runtime retries the alarm).
   */
  async run(): Promise<boolean> {
    while (this.running) await this.running;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private due(r: OwedEffect<E>): boolean {
    return r.attempts < MAX_ATTEMPTS && r.nextAttemptAt <= this.clock.now();
  }

  private async drain(): Promise<boolean> {
    try {
      for (;;) {
        const all = this.rows.list();
        const due = all.filter((r) => this.due(r));
        if (due.length === 0) break;
        const tasks = this.plan(all, due);
        // (`then` turns a synchronous throw into a rejection, counted like any other failure.)
        const results = await Promise.allSettled(tasks.map((t) => Promise.resolve().then(t.run)));
        results.forEach((result, i) => {
          const task = tasks[i]!;
          if (result.status === "fulfilled") this.rows.remove(task.covers);
          else this.fail(task.tried, result.reason);
        });
      }
      const waiting = this.rows.list().filter((r) => r.attempts < MAX_ATTEMPTS);
      if (waiting.length > 0) await this.alarmAt(Math.min(...waiting.map((r) => r.nextAttemptAt)));
      return true;
    } catch (e) {
      this.clock.log({ level: "error", msg: "outbox run failed", error: String(e) });
      return false;
    }
  }

  private fail(rows: OwedEffect<E>[], reason: unknown): void {
    const now = this.clock.now();
    for (const r of rows) {
      const attempts = r.attempts + 1;
      const parked = attempts >= MAX_ATTEMPTS;
      this.rows.failed(r.id, attempts, parked ? 0 : now + retryDelayMs(attempts));
      this.clock.log({
        level: "error",
        msg: parked ? "outbox effect parked after repeated failures" : "outbox effect failed; the alarm retries it",
        effect: r.effect,
        attempts,
        error: String(reason),
      });
    }
  }

  /** Moves the alarm to `at` unless one is already set earlier. */
  private async alarmAt(at: number): Promise<void> {
    const current = await this.clock.getAlarm();
    if (current === null || current > at) await this.clock.setAlarm(at);
  }
}

/** The PackageWriter's outbox: KV projections of its versions, its search document and queue jobs. */
export class Outbox extends OutboxEngine<Effect> {
  constructor(rows: OutboxRows, host: OutboxHost) {
    super(rows, host, (all, due) => [
      ...projectionTask(host, all, due),
      ...searchTask(host, all, due),
      ...jobTasks(host, all, due),
      ...linkTasks(host, all, due),
    ]);
  }
}

type Task = OutboxTask<Effect>;

function projectionTask(host: OutboxHost, all: OwedEffect[], due: OwedEffect[]): Task[] {
  const tried = due.filter((r) => r.effect.kind === "project");
  if (tried.length === 0) return [];
  const covers = all.filter((r) => r.effect.kind === "project");
  const names = covers.map((r) => (r.effect as Extract<Effect, { kind: "project" }>).version);
  const versions = names.includes(null) ? null : new Set(names as string[]);
  return [{ tried, covers: covers.map((r) => r.id), run: () => host.project(versions) }];
}

/** Every search row collapses into one write of the current document: it supersedes them all. */
function searchTask(host: OutboxHost, all: OwedEffect[], due: OwedEffect[]): Task[] {
  const tried = due.filter((r) => r.effect.kind === "search");
  if (tried.length === 0) return [];
  const covers = all.filter((r) => r.effect.kind === "search").map((r) => r.id);
  return [{ tried, covers, run: () => host.reindex() }];
}

function jobTasks(host: OutboxHost, all: OwedEffect[], due: OwedEffect[]): Task[] {
  const byKey = new Map<string, { job: JobMessage; tried: OwedEffect[] }>();
  for (const r of due) {
    if (r.effect.kind !== "job") continue;
    const key = jobKey(r.effect.job);
    const entry = byKey.get(key) ?? { job: r.effect.job, tried: [] };
    entry.tried.push(r);
    byKey.set(key, entry);
  }
  const entries = [...byKey.entries()];
  const tasks: Task[] = [];
  for (let i = 0; i < entries.length; i += MAX_BATCH) {
    const chunk = entries.slice(i, i + MAX_BATCH);
    const keys = new Set(chunk.map(([k]) => k));
    tasks.push({
      tried: chunk.flatMap(([, e]) => e.tried),
      covers: all.filter((r) => r.effect.kind === "job" && keys.has(jobKey(r.effect.job))).map((r) => r.id),
      run: () => host.send(chunk.map(([, e]) => e.job)),
    });
  }
  return tasks;
}

/**
 * Every due row of dependents edges, one after the other in commit order. A remove (a delete)
 * supersedes every earlier add of the same dependent version, due or not: such an add is never
 * run (it could land after the remove, leaving a deleted version in the index), and the remove's
 * success settles it.
 */
function linkTasks(host: OutboxHost, all: OwedEffect[], due: OwedEffect[]): Task[] {
  const tried = due.filter((r) => r.effect.kind === "dependents");
  if (tried.length === 0) return [];
  const links = all.filter((r) => r.effect.kind === "dependents");
  const removedAt = new Map<string, number>(); // a dependent version → the id of its last remove
  for (const r of links) {
    const effect = r.effect as Extract<Effect, { kind: "dependents" }>;
    if (effect.op === "remove") for (const key of dependentsOf(effect)) removedAt.set(key, r.id);
  }
  const superseded = (r: OwedEffect) => {
    const effect = r.effect as Extract<Effect, { kind: "dependents" }>;
    return effect.op === "add" && [...dependentsOf(effect)].some((key) => (removedAt.get(key) ?? -1) > r.id);
  };
  const run = async () => {
    for (const r of tried) {
      if (superseded(r)) continue;
      const effect = r.effect as Extract<Effect, { kind: "dependents" }>;
      await host.link(effect.op, effect.edges);
    }
  };
  const covers = new Set([...tried.map((r) => r.id), ...links.filter(superseded).map((r) => r.id)]);
  return [{ tried, covers: [...covers], run }];
}

/** The dependent versions (`name@version`) a row of edges is about. */
function dependentsOf(effect: Extract<Effect, { kind: "dependents" }>): Set<string> {
  return new Set(effect.edges.map((e) => `${e.dependent}@${e.dependentVersion}`));
}
