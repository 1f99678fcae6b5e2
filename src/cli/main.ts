// Entry point of the `ori-registry` executable (bundled to dist/cli.mjs by scripts/build-cli.mjs).
import { readFileSync } from "node:fs";
import { nodeStreams } from "./output";
import { runCli } from "./run";

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  streams: nodeStreams(),
  readStdin: async () => readFileSync(0, "utf8"),
});
process.exitCode = code;
