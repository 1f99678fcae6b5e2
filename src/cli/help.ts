// Help texts, generated from the command specs so they never drift from what is parsed.
import { GLOBAL_OPTIONS } from "./args";
import type { CommandSpec, OptionSpec } from "./command";
import { EXIT_CODES_HELP } from "./exit-codes";

const ENV_HELP = `Environment:
  ORI_REGISTRY_URL           the default registry (otherwise the config's, else http://127.0.0.1:8787)
  ORI_REGISTRY_TOKEN         token for the default registry (wins over \`login\`)
  ORI_REGISTRY_<NAME>_TOKEN  token for the registry named NAME in oripk.toml (e.g. ORI_REGISTRY_ACME_TOKEN)
  ORI_REGISTRY_LOG_KEY       log verifier key to trust (instead of the key pinned on first contact)
  ORI_REGISTRY_CONFIG_DIR    where config.json lives (default ~/.config/ori-registry)
  ORI_REGISTRY_CACHE_DIR     where the last verified checkpoints live (default ~/.cache/ori-registry)`;

export function mainHelp(commands: CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => usageOf(c).length));
  return [
    "ori-registry — publish, fetch and verify Ori packages",
    "",
    "Usage: ori-registry <command> [arguments] [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`),
    "",
    "Global options:",
    optionLines(GLOBAL_OPTIONS),
    "",
    EXIT_CODES_HELP,
    "",
    ENV_HELP,
    "",
    "Run `ori-registry <command> --help` for a command's options.",
  ].join("\n");
}

export function groupHelp(group: string, commands: CommandSpec[]): string {
  const members = commands.filter((c) => c.path[0] === group);
  const width = Math.max(...members.map((c) => usageOf(c).length));
  return [
    `Usage: ori-registry ${group} <subcommand>`,
    "",
    ...members.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

export function commandHelp(c: CommandSpec): string {
  const parts = [`Usage: ori-registry ${usageOf(c)} [options]`, "", c.summary];
  if (c.details) parts.push("", c.details);
  if (c.options && Object.keys(c.options).length > 0) parts.push("", "Options:", optionLines(c.options));
  parts.push("", "Global options:", optionLines(GLOBAL_OPTIONS), "", EXIT_CODES_HELP);
  return parts.join("\n");
}

function usageOf(c: CommandSpec): string {
  return [...c.path, c.args].filter(Boolean).join(" ");
}

function optionLines(options: Record<string, OptionSpec>): string {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`;
    return [flag, `${o.description}${o.multiple ? " (repeatable)" : ""}`] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`).join("\n");
}
