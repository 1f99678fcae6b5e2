// Reads a publish request's archive: a multipart form with the field `archive`, or a raw
// application/gzip (or application/octet-stream) body. Never buffers more than the limit.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { RegistryError } from "../domain/errors";
import { DEFAULT_LIMITS } from "../processing/limits";
import { readLimited } from "../util/read-limited";

/** Room for multipart boundaries and part headers around the archive itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function readArchiveUpload(c: Context<AppEnv>): Promise<Uint8Array> {
  const max = DEFAULT_LIMITS.maxCompressedBytes;
  // The media type is case-insensitive, but a multipart boundary is not (RFC 2046 §5.1.1: every
  // browser's has capitals): only the media type is lower-cased, the header passes on as sent.
  const header = c.req.header("content-type") ?? "";
  const mediaType = (header.split(";")[0] ?? "").trim().toLowerCase();
  const isMultipart = mediaType === "multipart/form-data";
  const isRaw =
    mediaType === "application/gzip" || mediaType === "application/octet-stream" || mediaType === "application/x-gzip";
  if (!isMultipart && !isRaw) {
    throw new RegistryError(
      "unsupported_media_type",
      "send the archive as multipart/form-data (field `archive`) or as an application/gzip body",
    );
  }
  const body = await readLimited(c.req.raw, isMultipart ? max + MULTIPART_OVERHEAD : max, () => tooLarge(max));
  if (!isMultipart) return body;

  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": header } }).formData();
  } catch {
    throw new RegistryError("bad_request", "the multipart body could not be parsed");
  }
  const part = form.get("archive");
  if (part === null) throw new RegistryError("bad_request", "the multipart form has no `archive` field");
  if (typeof part === "string") throw new RegistryError("bad_request", "the `archive` field must be a file, not text");
  const bytes = new Uint8Array(await part.arrayBuffer());
  if (bytes.length > max) throw tooLarge(max);
  return bytes;
}

function tooLarge(max: number): RegistryError {
  return new RegistryError("archive_too_large", `archives are limited to ${max / (1024 * 1024)} MiB compressed`);
}
