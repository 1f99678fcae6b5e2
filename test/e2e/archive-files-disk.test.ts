// End to end: the archive files of `npm start` (src/storage/archive-files.ts) against workerd's
// own disk service, bound as scripts/lean-runtime.mjs binds it — the runtime's behaviour the
// bar rests on (a file cannot be written where a directory is), which the integration tests'
// fake disk can only assume.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { bundleWorker, miniflarePath } from "../../scripts/lean-runtime.mjs";
// @ts-expect-error plain .mjs helper: wrangler.jsonc as written (JSON with comments)
import { readRawConfig } from "../../scripts/deploy-preflight.mjs";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "ori-e2e-archive-files-"));
const sha = (c: string) => c.repeat(64);
let mf: { dispatchFetch(url: string): Promise<Response>; dispose(): Promise<void> } | undefined;

beforeAll(async () => {
  const { Miniflare, convertV4MiniflareOptions } = await import(pathToFileURL(miniflarePath).href);
  const script = await bundleWorker(join(root, "test/workers/archive-files-probe.ts"));
  mf = new Miniflare(
    convertV4MiniflareOptions({
      log: undefined,
      workers: [
        {
          name: "archive-files-probe",
          compatibilityDate: readRawConfig(join(root, "wrangler.jsonc")).compatibility_date,
          modules: [{ type: "ESModule", path: join(root, "index.js"), contents: script }],
          serviceBindings: { ARCHIVE_FILES: { disk: { path: dir, writable: true } } },
        },
      ],
    }),
  );
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function run(scenario: string, hex: string): Promise<string[]> {
  const res = await mf!.dispatchFetch(`http://probe.invalid/${scenario}?sha=${hex}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as string[];
}

/** What is on disk at the archive's path: its file, its bar (a directory holding `barred`), or nothing. */
function onDisk(hex: string): string {
  const path = join(dir, "sha256", hex);
  if (!existsSync(path)) return "nothing";
  if (!statSync(path).isDirectory()) return "file";
  return `directory [${readdirSync(path).join(", ")}]`;
}

describe("archive files on workerd's disk service", () => {
  it("keeps a file, answers it only at its length, and bars it for good", async () => {
    expect(await run("keep-then-bar", sha("a"))).toEqual([
      "absent, keepable",
      "file",
      "absent, keepable", // another length than the record's: not answered, kept again over it
      "barred",
      "barred", // a later keep is refused by the runtime
      "barred", // a second bar changes nothing
    ]);
    expect(onDisk(sha("a"))).toBe("directory [barred]");
  });

  it("refuses a file written where the bar is", async () => {
    expect(await run("bar-then-raw-put", sha("b"))).toEqual(["refused", "barred"]);
    expect(onDisk(sha("b"))).toBe("directory [barred]");
  });

  it("keeps the bar when a download's keep that began before it finishes after it", async () => {
    expect(await run("keep-streaming-across-bar", sha("c"))).toEqual(["absent, keepable", "barred", "barred"]);
    expect(onDisk(sha("c"))).toBe("directory [barred]");
  });

  it("drops a kept file when barring it", async () => {
    expect(await run("bar-over-a-file", sha("d"))).toEqual(["file", "refused", "barred", "refused"]);
    expect(onDisk(sha("d"))).toBe("directory [barred]");
  });
});
