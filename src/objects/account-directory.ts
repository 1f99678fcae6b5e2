// AccountDirectory: the one Durable Object that owns accounts and API tokens. Tokens are stored
// only as SHA-256 hashes (the secret never reaches storage); every change is projected to KV
// (`token:<hash>`) for the authentication read path, and a revocation deletes that key. It
// enforces each account's token limits (live tokens, tokens created per hour) atomically; who
// may see or revoke which token is decided by the route (domain/permissions.ts), not here.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { RpcResult } from "./rpc-result";
import type { Grant, TokenScope } from "../domain/access";
import type { TokenInfo, UserInfo } from "../domain/accounts";
import { ACCOUNT_LIMITS } from "../domain/accounts";

export type { TokenInfo, UserInfo } from "../domain/accounts";
import { isExpired } from "../domain/access";
import { TokenCache, type CachedPrincipal } from "../storage/token-cache";

/** The principal behind an account's token (what the token cache holds). */
export type AccountPrincipal = CachedPrincipal;

type Result<T> = RpcResult<T, "conflict" | "not_found">;

/** A token with whose it is (token management decides on both). */
export interface OwnedToken extends TokenInfo {
  username: string;
}

/** createToken's refusals; `retryAt` (ms) says when the hourly budget has room again. */
export type CreateTokenResult = RpcResult<TokenInfo, "not_found" | "token_limit_reached" | "account_rate_limited">;

const HOUR_MS = 3_600_000;

interface TokenRow {
  id: string;
  username: string;
  name: string;
  hash: string;
  scopes: string;
  packages: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  [key: string]: SqlStorageValue;
}

export class AccountDirectory extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, is_admin INTEGER NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY, username TEXT NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL, packages TEXT, created_at TEXT NOT NULL, expires_at TEXT,
        last_used_at TEXT, revoked_at TEXT
      );
      CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens (username);
    `);
  }

  async createUser(username: string, isAdmin: boolean): Promise<Result<UserInfo>> {
    if (this.userRow(username))
      return { ok: false, code: "conflict", message: `the account ${username} already exists` };
    const user = { username, isAdmin, createdAt: new Date().toISOString() };
    this.sql.exec(
      "INSERT INTO users (username, is_admin, created_at) VALUES (?, ?, ?)",
      username,
      isAdmin ? 1 : 0,
      user.createdAt,
    );
    return { ok: true, value: user };
  }

  findUser(username: string): UserInfo | null {
    return this.userRow(username);
  }

  /**
   * Stores a token by its hash. The caller generated the secret and keeps it. Refused when the
   * account already holds ACCOUNT_LIMITS.liveTokens live tokens, or created
   * ACCOUNT_LIMITS.tokensPerHour in the last hour (both counted here, so racing mints cannot
   * slip past).
   */
  async createToken(username: string, tokenHash: string, name: string, grant: Grant): Promise<CreateTokenResult> {
    const user = this.userRow(username);
    if (!user) return { ok: false, code: "not_found", message: `no account ${username}` };
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const live = this.sql
      .exec<{ n: number }>(
        "SELECT count(*) AS n FROM tokens WHERE username = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
        username,
        nowIso,
      )
      .one().n;
    if (live >= ACCOUNT_LIMITS.liveTokens) {
      return {
        ok: false,
        code: "token_limit_reached",
        message: `${username} already has ${live} live tokens, the most an account may hold; revoke one (DELETE /v1/tokens/{id}) first`,
      };
    }
    const recent = this.sql
      .exec<{ created_at: string }>(
        "SELECT created_at FROM tokens WHERE username = ? AND created_at > ? ORDER BY created_at LIMIT ?",
        username,
        new Date(now - HOUR_MS).toISOString(),
        ACCOUNT_LIMITS.tokensPerHour,
      )
      .toArray();
    if (recent.length >= ACCOUNT_LIMITS.tokensPerHour) {
      const retryAt = Date.parse(recent[0]!.created_at) + HOUR_MS;
      return {
        ok: false,
        code: "account_rate_limited",
        message: `${username} created ${recent.length} tokens in the last hour, the most an account may; retry after ${new Date(retryAt).toISOString()}`,
        retryAt,
      };
    }
    const id = crypto.randomUUID();
    this.sql.exec(
      "INSERT INTO tokens (id, username, name, hash, scopes, packages, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      id,
      username,
      name,
      tokenHash,
      JSON.stringify(grant.scopes),
      grant.packages ? JSON.stringify(grant.packages) : null,
      nowIso,
      grant.expiresAt,
    );
    const row = this.tokenById(id)!;
    await this.project(row, user.isAdmin);
    return { ok: true, value: info(row) };
  }

  /** The account's tokens that are not revoked (expired ones included), oldest first. */
  listTokens(username: string): TokenInfo[] {
    return this.sql
      .exec<TokenRow>("SELECT * FROM tokens WHERE username = ? AND revoked_at IS NULL ORDER BY created_at", username)
      .toArray()
      .map(info);
  }

  /** A token that is not revoked, with its account (null if unknown or revoked). */
  findToken(id: string): OwnedToken | null {
    const row = this.tokenById(id);
    return row && !row.revoked_at ? { ...info(row), username: row.username } : null;
  }

  /** Revokes a token. Takes effect here at once. The route decided that the caller may. */
  async revokeToken(id: string): Promise<Result<{ token: TokenInfo; hash: string }>> {
    const row = this.tokenById(id);
    if (!row || row.revoked_at) return { ok: false, code: "not_found", message: "no such active token" };
    this.sql.exec("UPDATE tokens SET revoked_at = ? WHERE id = ?", new Date().toISOString(), id);
    await this.tokens().remove(row.hash);
    return { ok: true, value: { token: info(row), hash: row.hash } };
  }

  /** The authoritative lookup behind the KV cache: null for unknown, revoked or expired. */
  async resolve(tokenHash: string): Promise<AccountPrincipal | null> {
    const row = this.sql.exec<TokenRow>("SELECT * FROM tokens WHERE hash = ?", tokenHash).toArray()[0];
    if (!row || row.revoked_at) return null;
    const user = this.userRow(row.username);
    if (!user || isExpired({ expiresAt: row.expires_at })) return null;
    await this.project(row, user.isAdmin);
    return principal(row, user.isAdmin);
  }

  touch(id: string): void {
    this.sql.exec("UPDATE tokens SET last_used_at = ? WHERE id = ?", new Date().toISOString(), id);
  }

  private async project(row: TokenRow, isAdmin: boolean): Promise<void> {
    await this.tokens().save(row.hash, principal(row, isAdmin));
  }

  private tokens(): TokenCache {
    return new TokenCache(this.env.METADATA);
  }

  private userRow(username: string): UserInfo | null {
    const row = this.sql
      .exec<{ username: string; is_admin: number; created_at: string }>(
        "SELECT * FROM users WHERE username = ?",
        username,
      )
      .toArray()[0];
    return row ? { username: row.username, isAdmin: row.is_admin === 1, createdAt: row.created_at } : null;
  }

  private tokenById(id: string): TokenRow | null {
    return this.sql.exec<TokenRow>("SELECT * FROM tokens WHERE id = ?", id).toArray()[0] ?? null;
  }
}

function info(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as TokenScope[],
    packages: row.packages ? (JSON.parse(row.packages) as string[]) : null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

function principal(row: TokenRow, isAdmin: boolean): AccountPrincipal {
  return {
    tokenId: row.id,
    username: row.username,
    isAdmin,
    scopes: JSON.parse(row.scopes) as TokenScope[],
    packages: row.packages ? (JSON.parse(row.packages) as string[]) : null,
    expiresAt: row.expires_at,
  };
}
