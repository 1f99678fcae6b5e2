// Bundles the container entry (container/server.ts and the runtime-neutral processing code it
// calls) into one file, container/dist/server.mjs: the only file the image holds. Node 20+ (the
// machine's Node and the image's Node 22 both run it). `npm run build:container`.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CONTAINER_BUNDLE = join(root, "container", "dist", "server.mjs");

export async function buildContainer() {
  await build({
    entryPoints: [join(root, "container", "server.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: CONTAINER_BUNDLE,
    legalComments: "eof",
    logLevel: "error",
  });
  return CONTAINER_BUNDLE;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`built ${await buildContainer()}`);
}
