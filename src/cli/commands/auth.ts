// `login`, `logout`, `whoami`: the token stored per registry in the user config (mode 0600),
// checked against GET /v1/me before it is kept, and the log key pinned at the same time.
import { RegistryClient } from "../../client/registry-client";
import { RegistryClientError } from "../../client/errors";
import type { CommandSpec } from "../command";
import { boolOpt, stringOpt } from "../command";
import { USER_AGENT, type CliContext } from "../context";
import { UsageError } from "../exit-codes";
import { fields } from "../output";

export const login: CommandSpec = {
  path: ["login"],
  args: "",
  summary: "store a token for the registry (read from --token or standard input)",
  details:
    "The token is checked with GET /v1/me, then kept in config.json (mode 0600) under the registry's URL.\n" +
    "Prefer standard input over --token, so the secret stays out of shell history:\n" +
    '  printf %s "$TOKEN" | ori-registry login --registry https://registry.example',
  positionals: { min: 0, max: 0 },
  options: {
    token: { type: "string", value: "<token>", description: "the token (default: read from standard input)" },
    "no-check": { type: "boolean", description: "store the token without asking the registry who it belongs to" },
  },
  async run(ctx, { opts }) {
    let token = stringOpt(opts, "token");
    if (token === undefined) {
      if (!ctx.io.readStdin) throw new UsageError("give the token with --token or on standard input");
      if (ctx.streams.stderrIsTTY) ctx.note("Paste the token and press Enter, then Ctrl-D:");
      token = (await ctx.io.readStdin()).trim();
    }
    if (!token) throw new UsageError("the token is empty");
    const { url } = ctx.registry();
    const client = new RegistryClient({
      baseUrl: url,
      token,
      userAgent: USER_AGENT,
      ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}),
    });
    let username: string | null = null;
    ctx.unauthorizedHint =
      "the registry did not accept the token you gave (unknown, expired or revoked); nothing was stored";
    if (!boolOpt(opts, "no-check")) username = await whoIs(ctx, client);
    // Pin the log key now, at a moment the user chose to trust this registry.
    const logKey = await ctx.trustedLogKey(client);
    ctx.config.update(url, (e) => ({ ...e, token }));
    return {
      data: { registry: url, username, configPath: ctx.config.path, logKey },
      human: `Logged in to ${url}${username ? ` as ${username}` : ""}.\nToken stored in ${ctx.config.path} (mode 0600).`,
    };
  },
};

async function whoIs(ctx: CliContext, client: RegistryClient): Promise<string | null> {
  try {
    return (await client.me()).username;
  } catch (err) {
    // A registry without accounts (no /v1/me yet) cannot check the token: keep it anyway.
    if (err instanceof RegistryClientError && err.code === "route_not_found") {
      ctx.note("note: this registry has no /v1/me endpoint; the token was not checked");
      return null;
    }
    throw err;
  }
}

export const logout: CommandSpec = {
  path: ["logout"],
  args: "",
  summary: "forget the stored token of the registry (the pinned log key is kept)",
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const { url } = ctx.registry();
    const had = ctx.config.entry(url).token !== undefined;
    ctx.config.update(url, ({ token: _dropped, ...rest }) => rest);
    return {
      data: { registry: url, removed: had },
      human: had ? `Logged out of ${url}.` : `No token was stored for ${url}.`,
    };
  },
};

export const whoami: CommandSpec = {
  path: ["whoami"],
  args: "",
  summary: "show who the current token belongs to, and its scopes",
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const r = ctx.registry();
    if (!r.token) throw new UsageError(`no token for ${r.url}: ${r.tokenHint}`);
    const me = await ctx.client().me();
    return {
      data: { registry: r.url, tokenSource: r.tokenSource, ...me },
      human: fields([
        ["user", me.username],
        ["registry", r.url],
        ["scopes", me.scopes],
        ["admin", me.isAdmin ? "yes" : undefined],
        ["packages", Array.isArray(me.packages) ? me.packages : undefined],
        ["token from", r.tokenSource],
      ]),
    };
  },
};
