// Builds the cast of the authorization tests: accounts, their tokens, and a published package.
import { env, runInDurableObject } from "cloudflare:test";
import { ADMIN, call } from "./helpers";
import { ACCOUNTS_NAME, tokenKey } from "../../src/storage/keys";
import type { AccountDirectory } from "../../src/objects/account-directory";
import { sha256Hex } from "../../src/util/bytes";

export function json(method: string, path: string, token: string | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function createUser(username: string, admin = false): Promise<string> {
  const res = await json("POST", "/v1/admin/users", ADMIN, { username, admin });
  if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: { token: string } }).token.token;
}

export async function mint(parent: string, body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const res = await json("POST", "/v1/tokens", parent, body);
  if (res.status !== 201) throw new Error(`mint: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; token: string };
}

/** Makes a token expired, as if its time had passed (in the directory and in the KV cache). */
export async function expire(token: string): Promise<void> {
  const hash = await sha256Hex(token);
  const past = new Date(Date.now() - 1000).toISOString();
  await runInDurableObject(env.ACCOUNT_DIRECTORY.getByName(ACCOUNTS_NAME), (obj: AccountDirectory, state) => {
    void obj;
    state.storage.sql.exec("UPDATE tokens SET expires_at = ? WHERE hash = ?", past, hash);
  });
  const cached = await env.METADATA.get<Record<string, unknown>>(tokenKey(hash), "json");
  if (cached) await env.METADATA.put(tokenKey(hash), JSON.stringify({ ...cached, expiresAt: past }));
}
