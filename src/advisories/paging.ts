// Opaque page tokens, as osv.dev's `next_page_token`: base64url of a small JSON cursor that the
// server alone interprets. A token that does not decode to the expected cursor is a 400.
import { RegistryError } from "../domain/errors";

const MAX_TOKEN = 512;

export function encodePageToken(cursor: Record<string, string>): string {
  return btoa(JSON.stringify(cursor)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes a token into a cursor with exactly these string fields; throws `bad_request`. */
export function decodePageToken<K extends string>(token: string, fields: readonly K[]): Record<K, string> {
  const bad = () =>
    new RegistryError(
      "bad_request",
      "page_token is not a token this registry handed out (pass next_page_token back unchanged)",
    );
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN || !/^[A-Za-z0-9_-]+$/.test(token))
    throw bad();
  let value: unknown;
  try {
    value = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw bad();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad();
  const keys = Object.keys(value);
  if (keys.length !== fields.length || !fields.every((f) => typeof (value as Record<string, unknown>)[f] === "string"))
    throw bad();
  return value as Record<K, string>;
}
