// The shape every CLI command has: its words (`token create`), its arguments and options, and
// a run function that returns output instead of printing, so commands are easy to test.
import type { CliContext } from "./context";
import type { CommandOutput } from "./output";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `<url>`. */
  value?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandInput {
  args: string[];
  opts: OptionValues;
}

export interface CommandSpec {
  /** The command's words, e.g. ["token", "create"]. */
  path: string[];
  /** Positional arguments as shown in help, e.g. `<package> <version>`. */
  args: string;
  summary: string;
  /** Longer help: details and examples. */
  details?: string;
  positionals: { min: number; max: number };
  options?: Record<string, OptionSpec>;
  run(ctx: CliContext, input: CommandInput): Promise<CommandOutput>;
}

/** A string option's value (the last one if repeated), or undefined. */
export function stringOpt(opts: OptionValues, name: string): string | undefined {
  const v = opts[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return typeof v === "string" ? v : undefined;
}

/** A repeatable string option's values (also accepts comma-separated lists). */
export function listOpt(opts: OptionValues, name: string): string[] {
  const v = opts[name];
  const raw = Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : [];
  return raw
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function boolOpt(opts: OptionValues, name: string): boolean {
  return opts[name] === true;
}
