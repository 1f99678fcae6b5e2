// Runs one command line: parse, dispatch, print the output (text or --json), and turn every
// error into its exit code with a message that says what to do. No process globals here, so
// tests drive it directly.
import { describeMismatch, RegistryClientError, RegistryNetworkError, VerificationError } from "../client/errors";
import { parseCommandLine } from "./args";
import { COMMANDS } from "./commands/index";
import { CliContext, type CliIo } from "./context";
import { EXIT, exitCodeOf, UsageError, type ExitCode } from "./exit-codes";
import { commandHelp, groupHelp, mainHelp } from "./help";
import { forTerminal, jsonForTerminal, oneLine } from "./output";

export const CLI_VERSION = "0.1.0";

export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const json = argv.includes("--json");
  let ctx: CliContext | undefined;
  try {
    const parsed = parseCommandLine(argv, COMMANDS);
    if (parsed.kind === "version") {
      io.streams.stdout(json ? `${JSON.stringify({ version: CLI_VERSION })}\n` : `${CLI_VERSION}\n`);
      return EXIT.ok;
    }
    if (parsed.kind === "help") {
      const text = parsed.command
        ? commandHelp(parsed.command)
        : parsed.group.length
          ? groupHelp(parsed.group[0]!, COMMANDS)
          : mainHelp(COMMANDS);
      io.streams.stdout(`${text}\n`);
      return EXIT.ok;
    }
    ctx = new CliContext(io, parsed.opts);
    const out = await parsed.command.run(ctx, { args: parsed.args, opts: parsed.opts });
    if (ctx.json) io.streams.stdout(`${jsonForTerminal(out.data)}\n`);
    else if (out.human) io.streams.stdout(`${forTerminal(out.human)}\n`);
    return out.exitCode ?? EXIT.ok;
  } catch (err) {
    const code = exitCodeOf(err);
    if (json) io.streams.stdout(`${jsonForTerminal({ error: errorJson(err) })}\n`);
    const registry = ctx?.resolvedRegistry();
    const unauthorized =
      ctx?.unauthorizedHint ??
      registry?.refusedHint ??
      registry?.tokenHint ??
      "run `ori-registry login`, or set ORI_REGISTRY_TOKEN";
    io.streams.stderr(`${forTerminal(errorText(err, unauthorized))}\n`);
    return code;
  }
}

function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof RegistryClientError)
    return { kind: "refused", status: err.status, code: err.code, message: err.message, requestId: err.requestId };
  if (err instanceof VerificationError)
    return { kind: "verification", subject: err.subject, message: err.message, mismatches: err.mismatches };
  if (err instanceof RegistryNetworkError) return { kind: "network", url: err.url, message: err.message };
  if (err instanceof UsageError) return { kind: "usage", message: err.message };
  return {
    kind: "local",
    code: (err as { code?: unknown }).code ?? null,
    message: err instanceof Error ? err.message : String(err),
  };
}

function errorText(err: unknown, unauthorized: string): string {
  if (err instanceof RegistryClientError) {
    // The registry's words are untrusted: one line each, so they cannot fake a line of ours.
    let s = `error: the registry refused (${err.status} ${oneLine(err.code)}): ${oneLine(err.message)}`;
    if (err.status === 401) s += `\nhint: ${unauthorized}`;
    if (err.status === 429 && err.retryAfter !== null) s += `\nhint: rate limited; retry in ${err.retryAfter}s`;
    if (err.requestId) s += `\n(request id ${oneLine(err.requestId)})`;
    return s;
  }
  if (err instanceof VerificationError) {
    return [
      `error: VERIFICATION FAILED for ${oneLine(err.subject)}`,
      ...err.mismatches.map((m) => `  - ${oneLine(describeMismatch(m))}`),
      "Do not use what was downloaded.",
    ].join("\n");
  }
  if (err instanceof RegistryNetworkError) return `error: network: ${oneLine(err.message)}`;
  if (err instanceof UsageError) return `error: ${err.message}`;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return `error: ${typeof code === "string" ? `[${oneLine(code)}] ` : ""}${oneLine(message)}`;
}
