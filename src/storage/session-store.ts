// The web UI's sign-ins (private mode): KV `session:<sha256 of the cookie's secret>` → the SHA-256
// of the read token it was opened with, and when it ends. Neither secret is stored: the cookie
// holds a random session secret (not the token, so a stolen cookie is no API token), and KV only
// hashes. Eventually consistent: a sign-out deletes the key at once in its own location and
// within ~60 s elsewhere; KV drops the key when the session ends. Only the sign-in and sign-out
// routes write here (through services/web-sessions.ts).
import { webSessionKey } from "./keys";

export interface WebSession {
  /** SHA-256 (hex) of the token signed in with: how each request finds its principal again. */
  tokenSha256: string;
  createdAt: string;
  expiresAt: string;
}

export class SessionStore {
  constructor(private readonly kv: KVNamespace) {}

  find(sessionSha256Hex: string): Promise<WebSession | null> {
    return this.kv.get<WebSession>(webSessionKey(sessionSha256Hex), "json");
  }

  async save(sessionSha256Hex: string, session: WebSession): Promise<void> {
    // KV refuses an expiration less than 60 s away; a session is never that short.
    const expiration = Math.max(Math.floor(Date.parse(session.expiresAt) / 1000), Math.floor(Date.now() / 1000) + 60);
    await this.kv.put(webSessionKey(sessionSha256Hex), JSON.stringify(session), { expiration });
  }

  async remove(sessionSha256Hex: string): Promise<void> {
    await this.kv.delete(webSessionKey(sessionSha256Hex));
  }
}
