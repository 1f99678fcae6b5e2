// Bundles the CLI (src/cli/main.ts and everything it imports) into one executable ES module,
// dist/cli.mjs, for Node ≥ 20. Runtime dependencies are bundled too, so the file runs alone.
// Usage: node scripts/build-cli.mjs
import { build } from "esbuild";
import { chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "dist", "cli.mjs");

await build({
  entryPoints: [join(root, "src", "cli", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  banner: {
    // Bundled CommonJS dependencies may call require(); give them one.
    js: "#!/usr/bin/env node\nimport { createRequire as __oriCreateRequire } from 'node:module';\nconst require = __oriCreateRequire(import.meta.url);",
  },
  legalComments: "none",
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile}`);
