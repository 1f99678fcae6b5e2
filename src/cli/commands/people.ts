// Who may publish: package owners (`owner`) and scope members (`member`), listed, added and
// removed.
import type { CommandSpec } from "../command";
import { oneLine, type CommandOutput } from "../output";
import { packageArg, scopeArg } from "./spec";

export const ownerList: CommandSpec = {
  path: ["owner", "list"],
  args: "<package>",
  summary: "list the owners of a package",
  positionals: { min: 1, max: 1 },
  async run(ctx, { args }) {
    const pkg = packageArg(args[0]);
    const data = await ctx.client().owners(pkg);
    return listOutput(data, `Owners of ${pkg}`, data.owners);
  },
};

export const ownerAdd: CommandSpec = {
  path: ["owner", "add"],
  args: "<package> <username>",
  summary: "make a user an owner of a package",
  positionals: { min: 2, max: 2 },
  async run(ctx, { args }) {
    const pkg = packageArg(args[0]);
    const data = await ctx.client().addOwner(pkg, args[1]!);
    return { data, human: `${args[1]} is now an owner of ${pkg}.` };
  },
};

export const ownerRemove: CommandSpec = {
  path: ["owner", "remove"],
  args: "<package> <username>",
  summary: "remove an owner from a package",
  positionals: { min: 2, max: 2 },
  async run(ctx, { args }) {
    const pkg = packageArg(args[0]);
    const data = await ctx.client().removeOwner(pkg, args[1]!);
    return { data, human: `${args[1]} is no longer an owner of ${pkg}.` };
  },
};

export const memberList: CommandSpec = {
  path: ["member", "list"],
  args: "<@scope>",
  summary: "list the members of a scope",
  positionals: { min: 1, max: 1 },
  async run(ctx, { args }) {
    const scope = scopeArg(args[0]);
    const data = await ctx.client().members(scope);
    return listOutput(
      data,
      `Members of ${scope}`,
      data.members.map((m) => `${m.username} (${m.role})`),
    );
  },
};

export const memberAdd: CommandSpec = {
  path: ["member", "add"],
  args: "<@scope> <username>",
  summary: "add a member to a scope (members may publish under it)",
  positionals: { min: 2, max: 2 },
  options: { owner: { type: "boolean", description: "add as a scope owner (may manage members)" } },
  async run(ctx, { args, opts }) {
    const scope = scopeArg(args[0]);
    const role = opts.owner === true ? "owner" : undefined;
    const data = await ctx.client().addMember(scope, args[1]!, role);
    return { data, human: `${args[1]} is now ${role === "owner" ? "an owner" : "a member"} of ${scope}.` };
  },
};

export const memberRemove: CommandSpec = {
  path: ["member", "remove"],
  args: "<@scope> <username>",
  summary: "remove a member from a scope",
  positionals: { min: 2, max: 2 },
  async run(ctx, { args }) {
    const scope = scopeArg(args[0]);
    const data = await ctx.client().removeMember(scope, args[1]!);
    return { data, human: `${args[1]} is no longer a member of ${scope}.` };
  },
};

function listOutput(data: unknown, title: string, names: string[]): CommandOutput {
  return {
    data,
    human: [`${title}:`, ...(names.length ? names.map((n) => `  ${oneLine(n)}`) : ["  (none)"])].join("\n"),
  };
}
