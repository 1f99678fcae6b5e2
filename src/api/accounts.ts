// Accounts and tokens: who am I, account creation by registry administrators, minting, listing
// and revoking tokens.
import { z } from "zod";
import { access, route } from "./contract";
import { text } from "./text";
import { CreatedToken, named, Timestamp, Token, TokenScope, User, Username } from "./shapes";

export const CreateUserRequest = z.object({ username: z.string().max(39), admin: z.boolean().optional() });
export const CreateTokenRequest = z.object({
  name: text("line", { min: 1, max: 100 }),
  scopes: z.array(TokenScope).min(1),
  packages: z
    .array(z.string().max(100).meta({ example: "@acme/*" }))
    .min(1)
    .max(50)
    .optional(),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});

export const WhoAmI = named(
  "WhoAmI",
  "Who a token belongs to and what it may do",
  z.object({
    username: Username,
    isAdmin: z.boolean(),
    scopes: z.array(TokenScope),
    packages: z
      .array(z.string())
      .nullable()
      .meta({ description: "package patterns the token is limited to, or null for all" }),
    expiresAt: Timestamp.nullable(),
    tokenId: z.string().nullable().meta({ description: "null for the operator token" }),
  }),
);
export const CreatedUser = named(
  "CreatedUser",
  "A new account and its first token",
  z.object({ user: User, token: CreatedToken }),
);
export const TokenList = named(
  "TokenList",
  "The account's tokens that the calling token could have minted",
  z.object({ tokens: z.array(Token) }),
);
export const RevokedToken = named("RevokedToken", "The token just revoked", z.object({ revoked: Token }));

/** Token ids are UUIDs; anything else names no token (and is never echoed back). */
const TokenPath = z.object({ id: z.string().meta({ example: "5f0c3c1e-8f7a-4c55-9d1a-7b3e2f4a6c01" }) });

export const accounts = {
  me: route({
    methods: ["GET"],
    path: "/v1/me",
    summary: "Who the token belongs to, with its scopes",
    tag: "accounts",
    access: access.token(null),
    responses: { 200: { description: "the token's principal", schema: WhoAmI } },
  }),
  createUser: route({
    methods: ["POST"],
    path: "/v1/admin/users",
    summary: "Create an account (answers its first token); registry administrators, with a token that has every scope",
    tag: "accounts",
    access: access.registryAdmin(),
    body: { kind: "json", schema: CreateUserRequest },
    responses: { 201: { description: "the account and its first token", schema: CreatedUser } },
    errors: ["conflict"],
  }),
  createToken: route({
    methods: ["POST"],
    path: "/v1/tokens",
    summary:
      "Mint a token with no more rights than the caller's (at most 50 live and 100 created per hour per account)",
    tag: "accounts",
    access: access.token(null),
    body: { kind: "json", schema: CreateTokenRequest },
    responses: { 201: { description: "the token, with its secret shown once", schema: CreatedToken } },
    errors: ["token_limit_reached", "account_rate_limited"],
  }),
  listTokens: route({
    methods: ["GET"],
    path: "/v1/tokens",
    summary: "The account's tokens this token could have minted (never their secrets)",
    tag: "accounts",
    access: access.token(null),
    responses: { 200: { description: "the tokens", schema: TokenList } },
  }),
  revokeToken: route({
    methods: ["DELETE"],
    path: "/v1/tokens/{id}",
    summary: "Revoke a token (of the same account that this token could have minted; registry administrators: any)",
    tag: "accounts",
    access: access.token(null),
    params: TokenPath,
    responses: { 200: { description: "the revoked token", schema: RevokedToken } },
    errors: ["not_found"],
  }),
};

export type WhoAmI = z.output<typeof WhoAmI>;
export type CreatedUser = z.output<typeof CreatedUser>;
export type TokenList = z.output<typeof TokenList>;
export type RevokedToken = z.output<typeof RevokedToken>;
export type CreateTokenRequest = z.input<typeof CreateTokenRequest>;
