// The web UI's sign-ins in private mode (docs/web.md): a random session secret in an HttpOnly
// cookie, and in KV (storage/session-store.ts) only its hash → the hash of the read token it was
// opened with. Each request finds its principal again from that token hash, so a revoked or
// expired token ends every session opened with it (within the token cache's ~60 s).
import type { Env } from "../env";
import { SessionStore, type WebSession } from "../storage/session-store";
import { sha256Hex } from "../util/bytes";

/** The longest a sign-in lasts (a token that expires sooner ends it sooner). */
export const SESSION_LIFETIME_MS = 7 * 24 * 3600_000;
/** A session secret's form: 32 random bytes, base64url. */
export const SESSION_SECRET = /^[A-Za-z0-9_-]{43}$/;

export class WebSessions {
  private readonly store: SessionStore;

  constructor(env: Env) {
    this.store = new SessionStore(env.METADATA);
  }

  /** Opens a session for a token (by its hash) until `expiresAt`; answers the cookie's secret. */
  async open(tokenSha256: string, expiresAt: Date): Promise<string> {
    const secret = randomSecret();
    await this.store.save(await sha256Hex(secret), {
      tokenSha256,
      createdAt: new Date().toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    return secret;
  }

  /** The live session behind a cookie's secret, or null (unknown, malformed or over). */
  async find(secret: string): Promise<WebSession | null> {
    if (!SESSION_SECRET.test(secret)) return null;
    const session = await this.store.find(await sha256Hex(secret));
    return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
  }

  async close(secret: string): Promise<void> {
    if (SESSION_SECRET.test(secret)) await this.store.remove(await sha256Hex(secret));
  }
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
