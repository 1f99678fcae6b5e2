// The Ori project fixture — test/fixtures/ori-project, whose oripk.toml is DESIGN §1's manifest
// verbatim, [scripts] included — and the three packages it depends on (test/fixtures/ori-deps),
// held in memory so that tests inside workerd (no file system) pack exactly the files the CLI
// packs from disk (a unit test checks both agree). Packing is reproducible, so the committed
// lock files hold the real checksums of the dependencies' archives.
import { packProject, type PackedArchive } from "../../src/client/pack";
import type { Manifest } from "../../src/domain/manifest";

const raw = import.meta.glob<string>(["../fixtures/ori-project/**/*", "../fixtures/ori-deps/**/*"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const encoder = new TextEncoder();

export interface FixtureProject {
  /** The directory under test/fixtures. */
  dir: string;
  /** oripk.toml as written. */
  manifest: string;
  /** Every other file `ori-registry pack` takes, by archive path, sorted. */
  files: Map<string, Uint8Array>;
}

function fixture(dir: string): FixtureProject {
  const prefix = `../fixtures/${dir}/`;
  const files = new Map<string, Uint8Array>();
  let manifest: string | null = null;
  for (const path of Object.keys(raw).sort()) {
    if (!path.startsWith(prefix)) continue;
    const rel = path.slice(prefix.length);
    if (rel === "oripk.toml") manifest = raw[path]!;
    else files.set(rel, encoder.encode(raw[path]!));
  }
  if (manifest === null) throw new Error(`no oripk.toml in test/fixtures/${dir}`);
  return { dir, manifest, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** The project exactly as DESIGN §1 shows it. */
export const ORI_PROJECT = fixture("ori-project");

/** Its dependencies, in an order they can be published in (parser depends on utils). */
export const ORI_DEPENDENCIES: readonly FixtureProject[] = [
  fixture("ori-deps/utils"),
  fixture("ori-deps/parser"),
  fixture("ori-deps/test-helpers"),
];

export function packFixture(project: FixtureProject): Promise<PackedArchive> {
  return packProject(project.manifest, project.files);
}

/** What the registry reads from the project's manifest (and serves in its metadata). */
export const ORI_PROJECT_MANIFEST: Manifest = {
  name: "@myorg/my-project",
  version: "1.0.0",
  description: "A useful library",
  license: "MIT",
  authors: ["Alice <alice@example.com>"],
  repository: "https://github.com/user/repo",
  keywords: ["web", "http"],
  categories: ["networking"],
  funding: "https://github.com/sponsors/user",
  edition: "2026",
  ori: "0.5.0",
  entry: { lib: "src/lib.ori", main: "src/main.ori" },
  dependencies: [
    { name: "@orilib/parser", version: "3.0.2", features: ["unicode"], defaultFeatures: false },
    { name: "@orilib/utils", version: "2.0.1", features: [], defaultFeatures: true },
  ],
  devDependencies: [{ name: "@orilib/test-helpers", version: "1.0.0", features: [], defaultFeatures: true }],
  stdDependencies: [
    { name: "std.crypto", version: "1.0.1" },
    { name: "std.http", version: null },
    { name: "std.json", version: null },
  ],
  devStdDependencies: [],
  features: { default: ["json"], json: ["std.json"] },
};
