// Test helpers for driving runCli in-process: captured streams, temp directories, a sample
// project on disk. Not used by production code.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCli } from "./run";

export function tempDir(prefix = "ori-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeProject(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export const SAMPLE_MANIFEST = `[project]
name = "@acme/demo"
version = "1.0.0"
description = "A demo package"
license = "MIT"
ori = "0.5.0"

[dependencies]
std.json

[scripts]
test = "ori test"
`;

export function sampleProject(dir = tempDir("ori-project-"), manifest = SAMPLE_MANIFEST): string {
  return writeProject(dir, {
    "oripk.toml": manifest,
    "oripk.lock": "[checksums]\n",
    "README.md": "# demo\n",
    "src/main.ori": "fn main() {}\n",
  });
}

export async function cli(
  argv: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; fetch?: typeof fetch; stdin?: string },
) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    cwd: opts.cwd,
    env: opts.env ?? {},
    streams: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false },
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    readStdin: async () => opts.stdin ?? "",
  });
  return { code, stdout, stderr };
}
