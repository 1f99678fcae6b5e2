// Shared helpers for the integration tests that run inside workerd.
import { env, exports } from "cloudflare:workers";
import { sha256Hex } from "../../src/util/bytes";

export const ADMIN = "ori_test_admin_token_0123456789abcdef";
export const BASE = "http://registry.test";

let client = 0;

/**
 * A request to the Worker. Each call comes from its own client address unless the test sets
 * `cf-connecting-ip`, so per-IP rate limits only bite in the tests that are about them.
 */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) {
    client++;
    headers.set("cf-connecting-ip", `2001:db8::${client.toString(16)}`); // documentation prefix
  }
  return (exports as unknown as { default: Fetcher }).default.fetch(`${BASE}${path}`, { ...init, headers });
}

export function publish(
  pkg: string,
  archive: Uint8Array,
  token: string | null = ADMIN,
  contentType = "application/gzip",
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const [scope, name] = pkg.split("/");
  return call(`/v1/packages/${scope}/${name}/publish`, { method: "POST", headers, body: archive });
}

export function publishMultipart(
  pkg: string,
  archive: Uint8Array,
  field = "archive",
  token = ADMIN,
): Promise<Response> {
  const form = new FormData();
  form.set(field, new Blob([archive], { type: "application/gzip" }), "package.oripk");
  const [scope, name] = pkg.split("/");
  return call(`/v1/packages/${scope}/${name}/publish`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? `<no error code; status ${res.status}>`;
}

/**
 * Every key in the bucket and the KV namespace: "nothing is stored" checks compare these. The
 * keys the queue's pipeline jobs write later, in the background (what processing derived from an
 * archive, dead letters), are left out: an earlier publish's jobs may land during any test.
 */
export async function storageSnapshot(): Promise<{ r2: string[]; kv: string[] }> {
  const background = /^(?:processed|dead-letters)\//;
  const r2 = (await env.BUCKET.list()).objects
    .map((o) => o.key)
    .filter((k) => !background.test(k))
    .sort();
  const kv = (await env.METADATA.list()).keys.map((k) => k.name).sort();
  return { r2, kv };
}

export function sha256HexOf(bytes: Uint8Array): Promise<string> {
  return sha256Hex(bytes);
}
