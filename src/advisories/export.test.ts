// The export as other tools read it: Python's zipfile opens our all.zip and every member is a
// record that validates; the CSV has osv.dev's line format and order.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sampleSubmission } from "./fixtures";
import { buildAllZip, buildModifiedCsv, osvTimestamp, rfc3339Nano } from "./export";
import type { OsvRecord } from "./osv";
import { checkSchema } from "./schema";
import { buildRecord, splitSubmission } from "./validate";

function record(id: string, modified: string, extra: Record<string, unknown> = {}): OsvRecord {
  return buildRecord(splitSubmission(sampleSubmission(extra), "create").content, {
    id,
    published: "2026-01-01T00:00:00Z",
    modified,
  });
}

const records = [
  record("ORI-2026-0002", "2026-03-01T00:00:00Z"),
  record("ORI-2026-0001", "2026-02-01T10:00:00.5Z", { summary: "Ünïcode summary ✓" }),
  { ...record("ORI-2026-0003", "2026-03-01T00:00:00Z"), withdrawn: "2026-03-01T00:00:00Z" },
];

describe("buildAllZip", () => {
  it("is read back by Python's zipfile: one <ID>.json per record, each a valid OSV record", () => {
    const dir = mkdtempSync(join(tmpdir(), "ori-export-"));
    try {
      const path = join(dir, "all.zip");
      writeFileSync(path, buildAllZip(records));
      const py = spawnSync(
        "python3",
        [
          "-c",
          "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: json.loads(z.read(n).decode('utf-8')) for n in z.namelist()}))",
          path,
        ],
        { encoding: "utf8" },
      );
      expect(py.status, py.stderr).toBe(0);
      const files = JSON.parse(py.stdout) as Record<string, OsvRecord>;
      expect(Object.keys(files)).toEqual(["ORI-2026-0001.json", "ORI-2026-0002.json", "ORI-2026-0003.json"]);
      for (const [name, r] of Object.entries(files)) {
        expect(r.id).toBe(name.replace(/\.json$/, ""));
        expect(checkSchema(r)).toBeNull();
      }
      expect(files["ORI-2026-0001.json"]!.summary).toBe("Ünïcode summary ✓");
      expect(files["ORI-2026-0003.json"]!.withdrawn).toBe("2026-03-01T00:00:00Z");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is deterministic", () => {
    expect(buildAllZip(records)).toEqual(buildAllZip([...records].reverse()));
  });
});

describe("buildModifiedCsv", () => {
  it("writes <modified>,<ID> lines, newest first, ties by id, no header", () => {
    expect(buildModifiedCsv(records)).toBe(
      "2026-03-01T00:00:00Z,ORI-2026-0002\n2026-03-01T00:00:00Z,ORI-2026-0003\n2026-02-01T10:00:00.5Z,ORI-2026-0001\n",
    );
    expect(buildModifiedCsv([])).toBe("");
  });

  it("formats timestamps as RFC3339Nano", () => {
    expect(rfc3339Nano("2026-11-28T12:00:00.000Z")).toBe("2026-11-28T12:00:00Z");
    expect(rfc3339Nano("2026-11-28T12:00:00.120Z")).toBe("2026-11-28T12:00:00.12Z");
    expect(rfc3339Nano("2026-11-28T12:00:00Z")).toBe("2026-11-28T12:00:00Z");
    expect(osvTimestamp(new Date("2026-11-28T12:00:00.000Z"))).toBe("2026-11-28T12:00:00Z");
    expect(osvTimestamp(new Date("2026-11-28T12:00:00.042Z"))).toBe("2026-11-28T12:00:00.042Z");
  });
});
