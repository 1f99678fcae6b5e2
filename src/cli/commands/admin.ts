// Registry administration (admin tokens only): create accounts, emergency-remove a version
// (410 everywhere, with the reason), and delete a version for good (its log entry stays).
import type { CommandSpec } from "../command";
import { boolOpt, stringOpt } from "../command";
import { UsageError } from "../exit-codes";
import { packageVersionArgs } from "./spec";
import { oneLine } from "../output";

export const adminUserCreate: CommandSpec = {
  path: ["admin", "user", "create"],
  args: "<username>",
  summary: "create an account and print its first token (shown once)",
  positionals: { min: 1, max: 1 },
  options: { admin: { type: "boolean", description: "make the account a registry administrator" } },
  async run(ctx, { args, opts }) {
    const created = await ctx.client().createUser(args[0]!, { admin: boolOpt(opts, "admin") });
    return {
      data: created,
      human: [
        `Created ${created.user.isAdmin ? "administrator" : "user"} ${oneLine(created.user.username)}. Their first token (scopes ${oneLine(created.token.scopes.join(", "))}), shown only this once:`,
        "",
        `  ${oneLine(created.token.token)}`,
      ].join("\n"),
    };
  },
};

export const adminRemove: CommandSpec = {
  path: ["admin", "remove"],
  args: "<package> <version>",
  summary: "emergency removal: the version answers 410 at once, with the reason",
  positionals: { min: 1, max: 2 },
  options: {
    reason: {
      type: "string",
      value: "<text>",
      description: "why (shown to everyone who asks for the version); required",
    },
  },
  async run(ctx, { args, opts }) {
    const { pkg, version } = packageVersionArgs(args);
    const reason = stringOpt(opts, "reason");
    if (!reason?.trim()) throw new UsageError("--reason is required: it is shown with every 410 answer");
    const data = await ctx.client().remove(pkg, version!, reason);
    return { data, human: `Removed ${pkg}@${version}: ${reason}` };
  },
};

export const adminDelete: CommandSpec = {
  path: ["admin", "delete"],
  args: "<package> <version>",
  summary: "delete a version's archive for good (legal); its log entry stays",
  positionals: { min: 1, max: 2 },
  options: { yes: { type: "boolean", description: "confirm: this cannot be undone" } },
  async run(ctx, { args, opts }) {
    const { pkg, version } = packageVersionArgs(args);
    if (!boolOpt(opts, "yes"))
      throw new UsageError(`deleting ${pkg}@${version} cannot be undone; add --yes to confirm`);
    const data = await ctx.client().deleteVersion(pkg, version!);
    return { data, human: `Deleted ${pkg}@${version}. Its transparency-log entry remains.` };
  },
};
