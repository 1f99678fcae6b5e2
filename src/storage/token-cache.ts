// The authentication read path: the principal behind each live token, by the token's SHA-256,
// in KV (`token:<hex>`). Eventually consistent (a change takes up to about a minute to reach
// every location, and reads are cached 60 s there): a cache of the AccountDirectory, which
// alone writes it, so a miss or a stale entry is settled by asking the directory.
import type { Principal } from "../domain/principal";
import { tokenKey } from "./keys";

/** A cached token: always an account's (the operator token is never cached). */
export type CachedPrincipal = Principal & { tokenId: string };

export class TokenCache {
  constructor(private readonly kv: KVNamespace) {}

  find(tokenSha256Hex: string): Promise<CachedPrincipal | null> {
    return this.kv.get<CachedPrincipal>(tokenKey(tokenSha256Hex), { type: "json", cacheTtl: 60 });
  }

  /** `expiresAt`: KV drops the key then (never sooner than a minute from now, KV's minimum). */
  async save(tokenSha256Hex: string, principal: CachedPrincipal): Promise<void> {
    const options: KVNamespacePutOptions = {};
    if (principal.expiresAt)
      options.expiration = Math.max(
        Math.floor(Date.parse(principal.expiresAt) / 1000),
        Math.floor(Date.now() / 1000) + 60,
      );
    await this.kv.put(tokenKey(tokenSha256Hex), JSON.stringify(principal), options);
  }

  async remove(tokenSha256Hex: string): Promise<void> {
    await this.kv.delete(tokenKey(tokenSha256Hex));
  }
}
