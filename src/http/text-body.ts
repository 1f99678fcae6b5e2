// Reads a text request body (a lock file) as its contract entry declares it: its bytes in one of
// the declared media types, or, where the entry allows it, a JSON body of the declared shape —
// never more than the route's limit either way.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { bodyLimit, type TextBody } from "../api/contract";
import { RegistryError } from "../domain/errors";
import { parseJson } from "./json-body";
import { readLimited } from "../util/read-limited";

export function readTextBody(c: Context<AppEnv>, body: TextBody): Promise<unknown> {
  const max = bodyLimit(body);
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (body.json && mediaType === "application/json") return parseJson(c, body.json, max);
  if (!body.mediaTypes.includes(mediaType)) {
    const accepted = [...body.mediaTypes, ...(body.json ? ["application/json"] : [])];
    throw new RegistryError("unsupported_media_type", `send ${body.description} as ${accepted.join(", ")}`);
  }
  return readLimited(
    c.req.raw,
    max,
    () => new RegistryError("bad_request", `${body.description} is larger than ${max} bytes`),
  );
}
