import { describe, expect, it } from "vitest";
import { finishIntents, type AppendResult, type IntentHost } from "./publish-intents";
import type { InclusionReceipt } from "../log/receipt";

interface Intent {
  name: string;
  version: string;
  sha256: string;
}

const receipt = (index: number): InclusionReceipt => ({
  index,
  entry: "e",
  treeSize: index + 1,
  checkpoint: "c",
  proof: [],
});

/** A host over memory: the log answers from `log` (name version → sha), throws when `down`. */
function host(intents: Intent[], opts: { log?: Map<string, string>; down?: boolean; inFlight?: Set<string> } = {}) {
  const rows = [...intents];
  const log = opts.log ?? new Map<string, string>();
  const committed: string[] = [];
  const refused: string[] = [];
  const h: IntentHost<Intent> = {
    intents: () => [...rows],
    inFlight: (i) => opts.inFlight?.has(i.version) ?? false,
    append: async (i): Promise<AppendResult> => {
      if (opts.down) throw new Error("the log is unreachable");
      const key = `${i.name} ${i.version}`;
      const logged = log.get(key);
      if (logged && logged !== i.sha256) return { ok: false, code: "version_exists", message: "taken" };
      log.set(key, i.sha256);
      return { ok: true, value: receipt([...log.keys()].indexOf(key)) };
    },
    commit: async (i) => {
      rows.splice(rows.indexOf(i), 1);
      committed.push(i.version);
    },
    refuse: async (i) => {
      rows.splice(rows.indexOf(i), 1);
      refused.push(i.version);
    },
    log: () => undefined,
  };
  return { h, rows, committed, refused, log };
}

const intent = (version: string, sha256 = "a"): Intent => ({ name: "@acme/x", version, sha256 });

describe("finishIntents", () => {
  it("commits an intent the log never heard of (a crash before the append) and one it logged (after)", async () => {
    const log = new Map([["@acme/x 2.0.0", "a"]]);
    const { h, rows, committed } = host([intent("1.0.0"), intent("2.0.0")], { log });
    expect(await finishIntents(h)).toBe(true);
    expect(committed).toEqual(["1.0.0", "2.0.0"]);
    expect(rows).toEqual([]);
    expect(log.get("@acme/x 1.0.0")).toBe("a");
  });

  it("drops an intent whose version the log gave to other bytes", async () => {
    const { h, rows, committed, refused } = host([intent("1.0.0", "mine")], {
      log: new Map([["@acme/x 1.0.0", "theirs"]]),
    });
    expect(await finishIntents(h)).toBe(true);
    expect(refused).toEqual(["1.0.0"]);
    expect(committed).toEqual([]);
    expect(rows).toEqual([]);
  });

  it("leaves an intent a request is still working on, and says so", async () => {
    const { h, rows, committed } = host([intent("1.0.0"), intent("2.0.0")], { inFlight: new Set(["1.0.0"]) });
    expect(await finishIntents(h)).toBe(false);
    expect(committed).toEqual(["2.0.0"]);
    expect(rows.map((r) => r.version)).toEqual(["1.0.0"]);
  });

  it("keeps every intent for the next alarm while the log is unreachable", async () => {
    const { h, rows } = host([intent("1.0.0"), intent("2.0.0")], { down: true });
    expect(await finishIntents(h)).toBe(false);
    expect(rows).toHaveLength(2);
  });
});
