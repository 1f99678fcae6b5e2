// Accounts and tokens: the AccountDirectory Durable Object (the single writer of accounts and
// tokens; strongly consistent, and it enforces each account's token limits) and the token
// cache in KV it projects to (eventually consistent: see storage/token-cache.ts).
import type { Env } from "../env";
import type { Grant } from "../domain/access";
import type { TokenInfo, UserInfo } from "../domain/accounts";
import type { OwnedToken } from "../objects/account-directory";
import { unwrap } from "../objects/rpc-result";
import { ACCOUNTS_NAME } from "../storage/keys";
import { TokenCache, type CachedPrincipal } from "../storage/token-cache";

export class Accounts {
  private readonly cache: TokenCache;

  constructor(private readonly env: Env) {
    this.cache = new TokenCache(env.METADATA);
  }

  private directory() {
    return this.env.ACCOUNT_DIRECTORY.getByName(ACCOUNTS_NAME);
  }

  findUser(username: string): Promise<UserInfo | null> {
    return Promise.resolve(this.directory().findUser(username));
  }

  async createUser(username: string, isAdmin: boolean): Promise<UserInfo> {
    return unwrap(await this.directory().createUser(username, isAdmin));
  }

  /** Stores a token by its hash (the caller keeps the secret); refused past the account's limits. */
  async createToken(username: string, tokenSha256Hex: string, name: string, grant: Grant): Promise<TokenInfo> {
    return unwrap(await this.directory().createToken(username, tokenSha256Hex, name, grant));
  }

  listTokens(username: string): Promise<TokenInfo[]> {
    return Promise.resolve(this.directory().listTokens(username));
  }

  findToken(id: string): Promise<OwnedToken | null> {
    return Promise.resolve(this.directory().findToken(id));
  }

  /** Revokes a token: at once in the directory, and in this location's cache too. */
  async revokeToken(id: string): Promise<TokenInfo> {
    const revoked = unwrap(await this.directory().revokeToken(id));
    // The directory's delete may have happened in another location.
    await this.cache.remove(revoked.hash);
    return revoked.token;
  }

  /** The principal the token cache has for a token hash (fast; may be up to a minute stale). */
  findCachedPrincipal(tokenSha256Hex: string): Promise<CachedPrincipal | null> {
    return this.cache.find(tokenSha256Hex);
  }

  /** The authoritative lookup: null for an unknown, revoked or expired token. */
  resolvePrincipal(tokenSha256Hex: string): Promise<CachedPrincipal | null> {
    return Promise.resolve(this.directory().resolve(tokenSha256Hex));
  }

  /** Records a token's last use. */
  touch(tokenId: string): Promise<void> {
    return Promise.resolve(this.directory().touch(tokenId));
  }
}
