// The outbox rules with memory rows, a fake clock and a fake host: collapsing and batching,
// per-row backoff, parking and superseding, one run at a time, and an alarm only ever moved
// earlier.
import { describe, expect, it } from "vitest";
import type { JobMessage } from "../jobs/messages";
import {
  MAX_ATTEMPTS,
  Outbox,
  retryDelayMs,
  SAFETY_ALARM_MS,
  type Effect,
  type OutboxRows,
  type OwedEffect,
} from "./outbox";

class MemoryRows implements OutboxRows {
  rows: OwedEffect[] = [];
  private nextId = 1;
  broken = false;
  add(effects: Effect[]) {
    for (const effect of effects) this.rows.push({ id: this.nextId++, effect, attempts: 0, nextAttemptAt: 0 });
  }
  list() {
    if (this.broken) throw new Error("SQLITE_IOERR");
    return this.rows.map((r) => ({ ...r }));
  }
  remove(ids: number[]) {
    this.rows = this.rows.filter((r) => !ids.includes(r.id));
  }
  failed(id: number, attempts: number, nextAttemptAt: number) {
    Object.assign(
      this.rows.find((r) => r.id === id)!,
      { attempts, nextAttemptAt },
    );
  }
}

function setup() {
  const rows = new MemoryRows();
  const state = {
    now: 1_000_000,
    alarm: null as number | null,
    projected: [] as (string[] | null)[],
    sent: [] as JobMessage[][],
    failProjection: false,
    failSend: false,
    inFlight: 0,
    maxInFlight: 0,
    projectionGate: null as Promise<void> | null,
    logs: [] as Record<string, unknown>[],
    linked: [] as string[],
    failLink: false,
    reindexed: 0,
    failSearch: false,
  };
  const outbox = new Outbox(rows, {
    project: async (versions) => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        if (state.projectionGate) await state.projectionGate;
        if (state.failProjection) throw new Error("KV down");
        state.projected.push(versions === null ? null : [...versions].sort());
      } finally {
        state.inFlight--;
      }
    },
    send: async (jobs) => {
      if (state.failSend) throw new Error("queue down");
      state.sent.push(jobs);
    },
    reindex: async () => {
      if (state.failSearch) throw new Error("SearchIndex down");
      state.reindexed++;
    },
    link: async (op, edges) => {
      if (state.failLink) throw new Error("writer unreachable");
      state.linked.push(
        ...edges.map((e) => `${op} ${e.dependent}@${e.dependentVersion} → ${e.dependency}@${e.dependencyVersion}`),
      );
    },
    getAlarm: async () => state.alarm,
    setAlarm: async (at) => {
      state.alarm = at;
    },
    now: () => state.now,
    log: (e) => state.logs.push(e),
  });
  return { rows, state, outbox };
}

const project = (version: string | null): Effect => ({ kind: "project", version });
const reindex = (name = "@a/b"): Effect => ({ kind: "job", job: { type: "reindex-package", name } });
const published = (version: string): Effect => ({
  kind: "job",
  job: { type: "process-version", name: "@a/b", version, sha256: "00" },
});

const edge = {
  dependency: "@a/lib",
  dependencyVersion: "1.0.0",
  dependent: "@a/b",
  dependentVersion: "1.0.0",
  kind: "runtime" as const,
};

describe("Outbox", () => {
  it("collapses projections into one, deduplicates jobs, and empties the table", async () => {
    const { rows, state, outbox } = setup();
    await outbox.arm();
    expect(state.alarm).toBe(state.now + SAFETY_ALARM_MS);
    outbox.add([project("1.0.0"), published("1.0.0"), reindex(), project("1.0.1"), reindex()]);
    expect(await outbox.run()).toBe(true);
    expect(state.projected).toEqual([["1.0.0", "1.0.1"]]);
    expect(state.sent).toEqual([
      [
        { type: "process-version", name: "@a/b", version: "1.0.0", sha256: "00" },
        { type: "reindex-package", name: "@a/b" },
      ],
    ]);
    expect(rows.rows).toEqual([]);
  });

  it("backs off per row: a failed row waits its turn however often the outbox runs", async () => {
    const { rows, state, outbox } = setup();
    state.failProjection = true;
    outbox.add([project("1.0.0"), reindex()]);
    await outbox.run();
    // The job went; the projection failed once and waits a minute.
    expect(state.sent).toHaveLength(1);
    expect(rows.rows).toMatchObject([{ attempts: 1, nextAttemptAt: state.now + retryDelayMs(1) }]);
    expect(state.alarm).toBe(state.now + 60_000);
    for (let i = 0; i < 20; i++) await outbox.run(); // other requests, read repairs, …
    expect(rows.rows[0]!.attempts).toBe(1);
    state.now += 60_000;
    state.alarm = null; // it fired: the alarm handler runs the outbox
    await outbox.run();
    expect(rows.rows[0]).toMatchObject({ attempts: 2, nextAttemptAt: state.now + 120_000 });
    expect(state.alarm).toBe(state.now + 120_000);
  });

  it("parks a row after MAX_ATTEMPTS, then lets a later projection supersede it", async () => {
    const { rows, state, outbox } = setup();
    state.failProjection = true;
    outbox.add([project("1.0.0")]);
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      await outbox.run();
      expect(rows.rows[0]!.attempts).toBe(i);
      state.now += retryDelayMs(i);
    }
    expect(state.logs.at(-1)).toMatchObject({
      msg: "outbox effect parked after repeated failures",
      attempts: MAX_ATTEMPTS,
    });
    state.alarm = null;
    await outbox.run();
    expect(rows.rows[0]!.attempts).toBe(MAX_ATTEMPTS); // parked: no longer tried
    expect(state.alarm).toBeNull(); // and no alarm kept for it

    state.failProjection = false;
    outbox.add([project("1.0.1")]);
    await outbox.run();
    expect(state.projected).toEqual([["1.0.0", "1.0.1"]]); // the parked version rides along
    expect(rows.rows).toEqual([]);
  });

  it("lets a later reindex supersede a parked one, but not a different job", async () => {
    const { rows, state, outbox } = setup();
    rows.add([reindex(), published("1.0.0")]);
    rows.rows.forEach((r) => Object.assign(r, { attempts: MAX_ATTEMPTS }));
    outbox.add([reindex()]);
    await outbox.run();
    expect(state.sent).toEqual([[{ type: "reindex-package", name: "@a/b" }]]);
    expect(rows.rows.map((r) => r.effect)).toEqual([published("1.0.0")]);
  });

  it("writes the search document once for every search row, retries a failure, and a later row covers a parked one", async () => {
    const { rows, state, outbox } = setup();
    const search: Effect = { kind: "search" };
    outbox.add([project("1.0.0"), search, search]);
    await outbox.run();
    expect(state.reindexed).toBe(1);
    expect(rows.rows).toEqual([]);

    state.failSearch = true;
    outbox.add([search, published("1.0.1")]);
    await outbox.run();
    // The job went; the search write failed once, waits a minute, and keeps the alarm.
    expect(state.sent).toHaveLength(1);
    expect(rows.rows).toMatchObject([{ effect: search, attempts: 1, nextAttemptAt: state.now + retryDelayMs(1) }]);
    expect(state.alarm).toBe(state.now + 60_000);
    rows.rows.forEach((r) => Object.assign(r, { attempts: MAX_ATTEMPTS })); // parked
    state.failSearch = false;
    outbox.add([search]);
    await outbox.run();
    expect(state.reindexed).toBe(2);
    expect(rows.rows).toEqual([]);
  });

  it("delivers dependents edges in commit order, retried until they land", async () => {
    const { rows, state, outbox } = setup();
    const other = { ...edge, dependentVersion: "2.0.0" };
    rows.add([{ kind: "dependents", op: "add", edges: [edge] }]);
    rows.add([{ kind: "dependents", op: "remove", edges: [other] }]);
    state.failLink = true;
    await outbox.run();
    expect(rows.list().map((r) => r.attempts)).toEqual([1, 1]);
    state.failLink = false;
    state.now += 60_000;
    await outbox.run();
    expect(state.linked).toEqual(["add @a/b@1.0.0 → @a/lib@1.0.0", "remove @a/b@2.0.0 → @a/lib@1.0.0"]);
    expect(rows.list()).toEqual([]);
  });

  it("never lets a publish's add land after its delete's remove, even when the add is the one in backoff", async () => {
    const { rows, state, outbox } = setup();
    rows.add([{ kind: "dependents", op: "add", edges: [edge] }]);
    state.failLink = true;
    await outbox.run(); // the add fails: it waits a minute
    state.failLink = false;
    rows.add([{ kind: "dependents", op: "remove", edges: [edge] }]); // the delete, committed meanwhile
    await outbox.run();
    expect(state.linked).toEqual(["remove @a/b@1.0.0 → @a/lib@1.0.0"]);
    expect(rows.list()).toEqual([]); // the remove settled the add too
    state.now += 60_000;
    await outbox.run();
    expect(state.linked).toEqual(["remove @a/b@1.0.0 → @a/lib@1.0.0"]);
  });

  it("skips an add that a later remove of the same version supersedes, when both are due", async () => {
    const { rows, state, outbox } = setup();
    rows.add([{ kind: "dependents", op: "add", edges: [edge] }]);
    rows.add([{ kind: "dependents", op: "remove", edges: [edge] }]);
    await outbox.run();
    expect(state.linked).toEqual(["remove @a/b@1.0.0 → @a/lib@1.0.0"]);
    expect(rows.list()).toEqual([]);
  });

  it("sends jobs in batches of at most 100", async () => {
    const { rows, state, outbox } = setup();
    outbox.add(Array.from({ length: 250 }, (_, i) => published(`1.0.${i}`)));
    await outbox.run();
    expect(state.sent.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(rows.rows).toEqual([]);
  });

  it("runs one at a time, and a run started meanwhile still does the new rows", async () => {
    const { rows, state, outbox } = setup();
    let open!: () => void;
    state.projectionGate = new Promise((r) => (open = r));
    outbox.add([project("1.0.0")]);
    const first = outbox.run();
    await Promise.resolve();
    outbox.add([project("1.0.1")]);
    const second = outbox.run();
    state.projectionGate = null;
    open();
    await Promise.all([first, second]);
    expect(state.maxInFlight).toBe(1);
    expect(state.projected).toEqual([["1.0.0"], ["1.0.1"]]);
    expect(rows.rows).toEqual([]);
  });

  it("only ever moves the alarm earlier, and keeps one for rows not yet due", async () => {
    const { state, outbox } = setup();
    state.failProjection = true;
    state.alarm = state.now + 10_000;
    outbox.add([project("1.0.0")]);
    await outbox.run();
    expect(state.alarm).toBe(state.now + 10_000); // not pushed back to +60 s
    // That alarm fires before the row is due: the run finds nothing to do but re-arms.
    state.alarm = null;
    state.now += 10_000;
    await outbox.run();
    expect(state.alarm).toBe(state.now + 50_000);
  });

  it("reports a storage failure instead of throwing", async () => {
    const { rows, state, outbox } = setup();
    rows.broken = true;
    expect(await outbox.run()).toBe(false);
    expect(state.logs).toMatchObject([{ msg: "outbox run failed" }]);
  });
});
