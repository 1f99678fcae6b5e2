// Argument parsing on top of node:util parseArgs: finds the command from its leading words
// (global options may come first), then parses the rest strictly against the global and the
// command's own options. Every mistake is a UsageError (exit code 2).
import { parseArgs } from "node:util";
import type { CommandSpec, OptionSpec, OptionValues } from "./command";
import { UsageError } from "./exit-codes";

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  registry: {
    type: "string",
    short: "r",
    value: "<url|name>",
    description: "registry URL, or a name from oripk.toml's [registries.NAME] tables",
  },
  dir: {
    type: "string",
    short: "C",
    value: "<path>",
    description: "project directory (default: the current directory)",
  },
  json: { type: "boolean", description: "print machine-readable JSON on stdout" },
  "log-key": { type: "string", value: "<key>", description: "trust this log verifier key instead of the pinned one" },
  help: { type: "boolean", short: "h", description: "show help" },
};

export type Parsed =
  | { kind: "help"; command: CommandSpec | null; group: string[] }
  | { kind: "version" }
  | { kind: "run"; command: CommandSpec; args: string[]; opts: OptionValues };

export function parseCommandLine(argv: string[], commands: CommandSpec[]): Parsed {
  const { words, wordIndexes } = leadingWords(argv);
  // The longest command path that the leading words spell.
  let command: CommandSpec | null = null;
  for (const c of commands) {
    if (
      c.path.length <= words.length &&
      c.path.every((w, i) => words[i] === w) &&
      (!command || c.path.length > command.path.length)
    )
      command = c;
  }
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  if (!command) {
    if (words.length === 0 && (argv.includes("--version") || argv.includes("-V"))) return { kind: "version" };
    if (words.length === 0 || (words[0] === "help" && words.length === 1))
      return { kind: "help", command: null, group: [] };
    const group = commands.filter((c) => c.path[0] === words[0]);
    if (group.length > 0) {
      if (wantsHelp || words.length === 1) return { kind: "help", command: null, group: [words[0]!] };
      throw new UsageError(
        `unknown command "${words.slice(0, 2).join(" ")}"; try: ${group.map((c) => c.path.join(" ")).join(", ")}`,
      );
    }
    throw new UsageError(`unknown command "${words[0]}"; run \`ori-registry --help\` for the list of commands`);
  }
  if (wantsHelp) return { kind: "help", command, group: [] };

  const rest = argv.filter((_, i) => !wordIndexes.slice(0, command!.path.length).includes(i));
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...command.options };
  let values: OptionValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
        ]),
      ),
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    throw new UsageError(
      `${(err as Error).message.replace(/\. To specify a positional argument.*$/s, "")} (see \`ori-registry ${command.path.join(" ")} --help\`)`,
    );
  }
  const { min, max } = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new UsageError(
      `\`${command.path.join(" ")}\` takes ${want} argument${max === 1 ? "" : "s"} (${command.args || "none"}), got ${positionals.length}`,
    );
  }
  return { kind: "run", command, args: positionals, opts: values };
}

/** The words before the first positional that is not a command word, skipping global options. */
function leadingWords(argv: string[]): { words: string[]; wordIndexes: number[] } {
  const words: string[] = [];
  const wordIndexes: number[] = [];
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) {
    if (o.type === "string") {
      takesValue.add(`--${name}`);
      if (o.short) takesValue.add(`-${o.short}`);
    }
  }
  for (let i = 0; i < argv.length && words.length < 3; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    if (a.startsWith("-")) {
      if (takesValue.has(a)) i++;
      continue;
    }
    // Command words are lowercase identifiers; a package name or a version ends the search.
    if (!/^[a-z][a-z-]*$/.test(a)) break;
    words.push(a);
    wordIndexes.push(i);
  }
  return { words, wordIndexes };
}
