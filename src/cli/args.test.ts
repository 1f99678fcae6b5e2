// Command-line parsing and the exit code of each kind of failure.
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./args";
import { COMMANDS } from "./commands/index";
import { EXIT, exitCodeOf, UsageError } from "./exit-codes";
import { RegistryClientError, RegistryNetworkError, VerificationError } from "../client/errors";

const parse = (line: string) => parseCommandLine(line.split(" ").filter(Boolean), COMMANDS);

function usageError(line: string): string {
  try {
    parse(line);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`"${line}" parsed`);
}

describe("parseCommandLine", () => {
  it("finds multi-word commands and leaves their arguments", () => {
    const p = parse("token create ci --scope publish --scope read --expires-days 30");
    expect(p.kind === "run" && p.command.path).toEqual(["token", "create"]);
    expect(p.kind === "run" && p.args).toEqual(["ci"]);
    expect(p.kind === "run" && p.opts.scope).toEqual(["publish", "read"]);
    const admin = parse("admin user create alice --admin");
    expect(admin.kind === "run" && [admin.command.path, admin.args, admin.opts.admin]).toEqual([
      ["admin", "user", "create"],
      ["alice"],
      true,
    ]);
  });

  it("accepts global options before the command", () => {
    const p = parse("--registry http://r.test --json info @acme/http 1.0.0");
    expect(p.kind).toBe("run");
    if (p.kind !== "run") return;
    expect(p.command.path).toEqual(["info"]);
    expect(p.args).toEqual(["@acme/http", "1.0.0"]);
    expect(p.opts.registry).toBe("http://r.test");
    expect(p.opts.json).toBe(true);
  });

  it("does not take a search query word for a subcommand", () => {
    const p = parse("search json parser");
    expect(p.kind === "run" && [p.command.path, p.args]).toEqual([["search"], ["json", "parser"]]);
  });

  it("answers help for no command, a group, a command", () => {
    expect(parse("")).toEqual({ kind: "help", command: null, group: [] });
    expect(parse("token")).toEqual({ kind: "help", command: null, group: ["token"] });
    const p = parse("publish --help");
    expect(p.kind === "help" && p.command?.path).toEqual(["publish"]);
    expect(parse("--version")).toEqual({ kind: "version" });
  });

  it("refuses unknown commands, options and wrong argument counts as usage errors", () => {
    expect(usageError("frobnicate")).toMatch(/unknown command "frobnicate"/);
    expect(usageError("token frob")).toMatch(/token create, token list, token revoke/);
    expect(usageError("info @a/b --bogus")).toMatch(/--bogus/);
    expect(usageError("yank")).toMatch(/takes 1 to 2 arguments/);
    expect(usageError("owner add @a/b")).toMatch(/takes 2 arguments/);
  });
});

describe("exit codes", () => {
  it("map each kind of failure to its own code", () => {
    expect(exitCodeOf(new UsageError("x"))).toBe(EXIT.usage);
    expect(exitCodeOf(new RegistryClientError(403, "forbidden", "no"))).toBe(EXIT.refused);
    expect(exitCodeOf(new RegistryClientError(500, "internal_error", "oops"))).toBe(EXIT.refused);
    expect(exitCodeOf(new VerificationError("x", []))).toBe(EXIT.verification);
    expect(exitCodeOf(new RegistryNetworkError("http://x", "down"))).toBe(EXIT.network);
    expect(exitCodeOf(new Error("disk full"))).toBe(EXIT.local);
    expect(Object.values(EXIT)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
