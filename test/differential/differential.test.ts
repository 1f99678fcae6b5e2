// The differential test of the canonical tar subset (docs/archive-rules.md): every generated
// variant the registry's reader accepts must be read by every independent reader exactly as the
// registry read it — same paths, types and bytes — or the test fails. `ORI_DIFF_RUNS` (default
// 400) and `ORI_DIFF_SEED` (default 1) make longer or other runs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRegistryError } from "../../src/domain/errors";
import { readTar, type TarEntry } from "../../src/processing/tar";
import { generate, type Variant } from "./families";
import { realToolArchives } from "./real-tools";
import {
  goArchiveTar,
  gnuTar,
  nodeTar,
  nodeTarStreamed,
  bsdTar,
  pythonTarfile,
  sha256,
  type ReadEntryView,
  type Reader,
  type ReaderResult,
} from "./readers";

const RUNS = Number(process.env.ORI_DIFF_RUNS ?? 400);
const SEED = Number(process.env.ORI_DIFF_SEED ?? 1);

interface Checked extends Variant {
  file: string;
  /** The registry's entries, or the code it refused the archive with. */
  registry: TarEntry[] | string;
}

const go = goArchiveTar();
if (typeof go === "string") console.warn(`differential: Go's archive/tar skipped: ${go}`);
const bsd = bsdTar();
if (typeof bsd === "string") console.warn(`differential: bsdtar skipped: ${bsd}`);
const READERS: Reader[] = [
  pythonTarfile,
  gnuTar,
  ...(typeof bsd === "string" ? [] : [bsd]),
  nodeTar,
  nodeTarStreamed,
  ...(typeof go === "string" ? [] : [go]),
];

describe(`tar readers agree with the registry on every archive it accepts (seed ${SEED}, ${RUNS} variants)`, () => {
  let dir: string;
  let variants: Checked[];
  /** reader name → its result for each variant (all variants are read, accepted or not). */
  const results = new Map<string, ReaderResult[]>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ori-differential-"));
    const all = [...generate(SEED, RUNS), ...realToolArchives(dir, SEED, Math.max(1, Math.round(RUNS / 200)))];
    variants = all.map((v, i) => {
      const file = join(dir, `${String(i).padStart(5, "0")}.tar`);
      writeFileSync(file, v.tar);
      let registry: TarEntry[] | string;
      try {
        registry = readTar(v.tar);
      } catch (err) {
        if (!isRegistryError(err)) throw err;
        registry = err.code;
      }
      return { ...v, file, registry };
    });
    const files = variants.map((v) => v.file);
    const bytes = variants.map((v) => v.tar);
    await Promise.all(READERS.map(async (r) => results.set(r.name, await r.read(files, bytes))));
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const r of READERS) r.dispose?.();
  });

  it("generates a healthy mix of accepted and rejected variants, the published cases among them", () => {
    const byFamily = new Map<string, { accepted: number; rejected: number; codes: Set<string> }>();
    for (const v of variants) {
      const f = byFamily.get(v.family) ?? { accepted: 0, rejected: 0, codes: new Set<string>() };
      if (typeof v.registry === "string") {
        f.rejected++;
        f.codes.add(v.registry);
      } else f.accepted++;
      byFamily.set(v.family, f);
    }
    const accepted = variants.filter((v) => typeof v.registry !== "string").length;
    const rows = [...byFamily].map(
      ([name, f]) =>
        `  ${name.padEnd(14)} ${String(f.accepted).padStart(5)} accepted ${String(f.rejected).padStart(5)} rejected  ${[...f.codes].sort().join(" ")}`,
    );
    console.info(
      `differential (seed ${SEED}): ${variants.length} variants, ${accepted} accepted, ${variants.length - accepted} rejected; readers: ${READERS.map((r) => r.name).join(", ")}\n${rows.join("\n")}`,
    );
    expect(accepted).toBeGreaterThan(variants.length * 0.25);
    expect(variants.length - accepted).toBeGreaterThan(variants.length * 0.25);
    for (const family of ["pax-size", "gnu-prefix", "ustar-version"]) {
      expect(byFamily.get(family)?.codes.has("ambiguous_tar"), `${family} has refused variants`).toBe(true);
      expect(byFamily.get(family)?.accepted, `${family} has accepted variants`).toBeGreaterThan(0);
    }
  });

  it("accepts what GNU tar, Python and node-tar write (V7 aside)", () => {
    const refused = variants.filter(
      (v) => v.family === "real-tools" && typeof v.registry === "string" && !v.note.includes("v7"),
    );
    expect(refused.map((v) => `${v.note}: ${v.registry as string}`)).toEqual([]);
  });

  it.each(READERS.map((r) => [r.name, r] as const))(
    "%s reads every accepted archive exactly as the registry does",
    (name, reader) => {
      const mismatches: string[] = [];
      variants.forEach((v, i) => {
        if (typeof v.registry === "string") return;
        const got = results.get(name)![i]!;
        const want = expected(v.registry, reader.view);
        if (!got.ok) mismatches.push(`${v.family} ${v.note}: ${name} failed: ${got.error}`);
        else if (JSON.stringify(normalise(got.entries, reader.view)) !== JSON.stringify(want)) {
          mismatches.push(
            `${v.family} ${v.note}:\n    registry ${show(want)}\n    ${name} ${show(normalise(got.entries, reader.view))}`,
          );
        }
      });
      expect(mismatches.slice(0, 10).join("\n"), `${mismatches.length} disagreements`).toBe("");
    },
  );

  it("would have caught the published cases: the readers read them differently from one another", () => {
    // The registry refuses these now; this shows they are truly ambiguous, so a registry that
    // accepted them would disagree with at least one reader whatever it read.
    for (const family of ["pax-size", "gnu-prefix", "ustar-version"]) {
      const split = variants.filter(
        (v, i) => v.family === family && typeof v.registry === "string" && readersDisagree(i),
      );
      expect(split.length, `${family}: refused variants the readers disagree on`).toBeGreaterThan(0);
    }
  });

  /** Whether the listing readers saw variant `i` differently (one failing counts as different). */
  function readersDisagree(i: number): boolean {
    const readings = READERS.filter((r) => r.view === "listing").map((r) => {
      const got = results.get(r.name)![i]!;
      return got.ok ? JSON.stringify(normalise(got.entries, "listing")) : "failed";
    });
    return new Set(readings).size > 1;
  }
});

/** The registry's entries as a reader would report them: a listing, or the tree extraction leaves. */
function expected(entries: TarEntry[], view: Reader["view"]): ReadEntryView[] {
  const out: ReadEntryView[] = entries.map((e) => ({
    path: hex(e.path),
    type: e.type,
    sha256: e.type === "file" ? sha256(e.data) : "",
  }));
  if (view === "listing") return out;
  const dirs = new Set(entries.filter((e) => e.type === "directory").map((e) => e.path));
  for (const e of entries) {
    const segments = e.path.split("/");
    for (let i = 1; i < segments.length; i++) dirs.add(segments.slice(0, i).join("/"));
  }
  const files = out.filter((e) => e.type === "file");
  return normalise([...files, ...[...dirs].map((d) => ({ path: hex(d), type: "directory", sha256: "" }))], "extracted");
}

/** Directories without their trailing `/`; an extracted tree has no order, so it is sorted. */
function normalise(entries: ReadEntryView[], view: Reader["view"]): ReadEntryView[] {
  const out = entries.map((e) =>
    e.type === "directory" && e.path.endsWith("2f") && e.path.length % 2 === 0
      ? { ...e, path: e.path.slice(0, -2) }
      : e,
  );
  return view === "listing" ? out : out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function hex(path: string): string {
  return Buffer.from(path, "utf8").toString("hex");
}

function show(entries: ReadEntryView[]): string {
  return JSON.stringify(
    entries.map(
      (e) => `${e.type[0]} ${Buffer.from(e.path, "hex").toString("utf8")}${e.sha256 ? ` ${e.sha256.slice(0, 8)}` : ""}`,
    ),
  );
}
