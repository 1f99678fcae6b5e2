// `token create|list|revoke`: scoped, expiring, optionally package-limited API tokens. The
// secret is shown once, at creation; the registry keeps only its hash.
import type { TokenScope } from "../../domain/access";
import type { CommandSpec } from "../command";
import { listOpt, stringOpt } from "../command";
import { UsageError } from "../exit-codes";
import { oneLine, table } from "../output";

const SCOPES: TokenScope[] = ["read", "publish", "admin"];

export const tokenCreate: CommandSpec = {
  path: ["token", "create"],
  args: "<name>",
  summary: "create a token (shown once)",
  details: "Example: ori-registry token create ci --scope publish --scope read --package '@acme/*' --expires-days 90",
  positionals: { min: 1, max: 1 },
  options: {
    scope: { type: "string", multiple: true, value: "<read|publish|admin>", description: "a right the token carries" },
    package: {
      type: "string",
      multiple: true,
      value: "<pattern>",
      description: "limit the token to packages (@acme/* or @acme/http)",
    },
    "expires-days": { type: "string", value: "<n>", description: "days until the token expires" },
  },
  async run(ctx, { args, opts }) {
    const scopes = listOpt(opts, "scope");
    if (scopes.length === 0) throw new UsageError(`give at least one --scope (${SCOPES.join(", ")})`);
    const bad = scopes.filter((s) => !SCOPES.includes(s as TokenScope));
    if (bad.length) throw new UsageError(`unknown scope ${bad.join(", ")}: use ${SCOPES.join(", ")}`);
    const packages = listOpt(opts, "package");
    const days = stringOpt(opts, "expires-days");
    if (days !== undefined && !/^[1-9]\d*$/.test(days))
      throw new UsageError("--expires-days takes a positive whole number");
    const created = await ctx.client().createToken({
      name: args[0]!,
      scopes: scopes as TokenScope[],
      ...(packages.length ? { packages } : {}),
      ...(days ? { expires_in_days: Number(days) } : {}),
    });
    return {
      data: created,
      human: [
        `Created token "${oneLine(args[0])}"${created.id ? ` (id ${oneLine(created.id)})` : ""} with scopes ${scopes.join(", ")}.`,
        "It is shown only this once; store it now:",
        "",
        `  ${oneLine(created.token)}`,
      ].join("\n"),
    };
  },
};

export const tokenList: CommandSpec = {
  path: ["token", "list"],
  args: "",
  summary: "list your tokens (never their secrets)",
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const tokens = await ctx.client().listTokens();
    const rows = tokens.map((t) => [
      String(t.id),
      t.name,
      (t.scopes ?? []).join(","),
      Array.isArray(t.packages) && t.packages.length ? t.packages.join(",") : "*",
      t.expiresAt ? String(t.expiresAt) : "never",
      t.lastUsedAt ? String(t.lastUsedAt) : "-",
    ]);
    return {
      data: { tokens },
      human: tokens.length
        ? table([["ID", "NAME", "SCOPES", "PACKAGES", "EXPIRES", "LAST USED"], ...rows])
        : "No tokens.",
    };
  },
};

export const tokenRevoke: CommandSpec = {
  path: ["token", "revoke"],
  args: "<id>",
  summary: "revoke a token",
  positionals: { min: 1, max: 1 },
  async run(ctx, { args }) {
    const data = await ctx.client().revokeToken(args[0]!);
    return { data, human: `Revoked token ${args[0]}.` };
  },
};
