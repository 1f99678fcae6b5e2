// Version lifecycle for owners: yank/unyank (hide from or restore to resolution), deprecate
// (a message clients show; empty clears it), and the two-party package transfer.
import type { CommandSpec } from "../command";
import { boolOpt, stringOpt } from "../command";
import { UsageError } from "../exit-codes";
import { packageArg, packageVersionArgs } from "./spec";

export const yank: CommandSpec = {
  path: ["yank"],
  args: "<package> <version>",
  summary: "hide a version from resolution (it still downloads, so lock files keep working)",
  positionals: { min: 1, max: 2 },
  async run(ctx, { args }) {
    const { pkg, version } = packageVersionArgs(args);
    const data = await ctx.client().yank(pkg, version!);
    return { data, human: `Yanked ${pkg}@${version}.` };
  },
};

export const unyank: CommandSpec = {
  path: ["unyank"],
  args: "<package> <version>",
  summary: "restore a yanked version to resolution",
  positionals: { min: 1, max: 2 },
  async run(ctx, { args }) {
    const { pkg, version } = packageVersionArgs(args);
    const data = await ctx.client().unyank(pkg, version!);
    return { data, human: `Restored ${pkg}@${version}.` };
  },
};

export const deprecate: CommandSpec = {
  path: ["deprecate"],
  args: "<package> <version> [message]",
  summary: "set a deprecation message on a version (--clear removes it)",
  positionals: { min: 1, max: 3 },
  options: {
    message: {
      type: "string",
      short: "m",
      value: "<text>",
      description: "the message (or give it as the last argument)",
    },
    clear: { type: "boolean", description: "remove the deprecation" },
  },
  async run(ctx, { args, opts }) {
    const { pkg, version, rest } = packageVersionArgs(args);
    const clear = boolOpt(opts, "clear");
    const message = clear ? "" : (stringOpt(opts, "message") ?? rest[0]);
    if (message === undefined || (!clear && message.trim() === ""))
      throw new UsageError("give a deprecation message (or --clear to remove one)");
    const data = await ctx.client().deprecate(pkg, version!, message);
    return {
      data,
      human: clear ? `Cleared the deprecation of ${pkg}@${version}.` : `Deprecated ${pkg}@${version}: ${message}`,
    };
  },
};

export const transferOffer: CommandSpec = {
  path: ["transfer", "offer"],
  args: "<package> <username>",
  summary: "offer a package to another user (nothing moves until they accept)",
  positionals: { min: 2, max: 2 },
  async run(ctx, { args }) {
    const pkg = packageArg(args[0]);
    const to = args[1]!;
    const data = await ctx.client().transferOffer(pkg, to);
    return { data, human: `Offered ${pkg} to ${to}; it moves when they run \`ori-registry transfer accept ${pkg}\`.` };
  },
};

export const transferAccept: CommandSpec = {
  path: ["transfer", "accept"],
  args: "<package>",
  summary: "accept a package offered to you",
  positionals: { min: 1, max: 1 },
  async run(ctx, { args }) {
    const pkg = packageArg(args[0]);
    const data = await ctx.client().transferAccept(pkg);
    return { data, human: `You now own ${pkg}.` };
  },
};

export const transferCancel: CommandSpec = {
  path: ["transfer", "cancel"],
  args: "<package>",
  summary: "cancel a pending transfer (either side may)",
  positionals: { min: 1, max: 1 },
  async run(ctx, { args }) {
    const pkg = packageArg(args[0]);
    const data = await ctx.client().transferCancel(pkg);
    return { data, human: `Cancelled the transfer of ${pkg}.` };
  },
};
