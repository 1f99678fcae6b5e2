// `pack`: the project directory → a reproducible .oripk (same sources, same bytes, same sha256),
// checked exactly as the registry will check it. `publish` packs through the same function.
import { writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { archiveFileName, packProject, type PackedArchive } from "../../client/pack";
import type { CommandSpec } from "../command";
import { stringOpt } from "../command";
import type { CliContext } from "../context";
import { collectProjectFiles } from "../project-files";
import { fields, formatBytes } from "../output";

export async function packDirectory(ctx: CliContext): Promise<PackedArchive> {
  const { manifestText, files } = collectProjectFiles(ctx.projectDir);
  const packed = await packProject(manifestText, files);
  if (packed.strippedScripts) ctx.note("note: the [scripts] table was left out of the packed oripk.toml");
  return packed;
}

export function describePacked(p: PackedArchive): string {
  return fields([
    ["package", `${p.name}@${p.version}`],
    ["sha256", p.sha256],
    ["size", `${formatBytes(p.bytes.length)} (${formatBytes(p.processed.decompressedSize)} unpacked)`],
    ["files", p.processed.files.length],
  ]);
}

export function packedJson(p: PackedArchive) {
  return {
    name: p.name,
    version: p.version,
    sha256: p.sha256,
    size: p.bytes.length,
    files: p.processed.files,
    strippedScripts: p.strippedScripts,
  };
}

export const pack: CommandSpec = {
  path: ["pack"],
  args: "",
  summary: "build a reproducible .oripk from the project directory",
  details:
    "Includes oripk.toml (without [scripts]), oripk.lock (required), README.md, LICENSE*, src/**, and what\n" +
    "[publish] include lists (minus [publish] exclude); writes CHECKSUM. Dotfiles are skipped.",
  positionals: { min: 0, max: 0 },
  options: {
    output: {
      type: "string",
      short: "o",
      value: "<file>",
      description: "where to write it (default: <scope>-<name>-<version>.oripk)",
    },
  },
  async run(ctx, { opts }) {
    const packed = await packDirectory(ctx);
    const out = stringOpt(opts, "output") ?? archiveFileName(packed.name, packed.version);
    const path = isAbsolute(out) ? out : join(ctx.io.cwd, out);
    writeFileSync(path, packed.bytes);
    return { data: { path, ...packedJson(packed) }, human: `Packed ${path}\n${describePacked(packed)}` };
  },
};
