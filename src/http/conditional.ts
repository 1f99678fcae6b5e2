// ETags and conditional requests (RFC 9110 §13) for JSON documents and archives.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { sha256Hex } from "../util/bytes";

/** True when If-None-Match names the given strong ETag (or `*`); weak comparison, as §13.1.2 asks. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

/** A JSON answer with a content-derived ETag; 304 when the caller already has it. */
export async function jsonWithEtag(c: Context<AppEnv>, body: unknown): Promise<Response> {
  const text = JSON.stringify(body);
  return jsonTextWithEtag(c, text, await etagOf(text));
}

/** The ETag of a JSON text: the first half of its sha256. */
export async function etagOf(text: string): Promise<string> {
  return `"${(await sha256Hex(text)).slice(0, 32)}"`;
}

export function jsonTextWithEtag(c: Context<AppEnv>, text: string, etag: string): Response {
  c.header("ETag", etag);
  c.header("Cache-Control", "public, max-age=0, must-revalidate");
  if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  c.header("Content-Type", "application/json; charset=utf-8");
  return c.body(text, 200);
}
