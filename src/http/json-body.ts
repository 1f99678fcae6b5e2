// Parses a JSON request body against a zod schema; anything else is a 400 that says what is wrong.
// The size limit is the route's (the contract's body declaration, default 64 KiB).
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env";
import { DEFAULT_BODY_BYTES } from "../api/contract";
import { RegistryError } from "../domain/errors";
import { readLimited } from "../util/read-limited";

export async function parseJson<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
  maxBytes = DEFAULT_BODY_BYTES,
): Promise<z.infer<T>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json"))
    throw new RegistryError("unsupported_media_type", "send a JSON body with Content-Type: application/json");
  const bytes = await readLimited(
    c.req.raw,
    maxBytes,
    () => new RegistryError("bad_request", `the JSON body is larger than ${maxBytes} bytes`),
  );
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RegistryError("bad_request", "the body is not valid JSON");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new RegistryError("bad_request", `invalid request body: ${zodProblem(parsed.error)}`);
  return parsed.data;
}

/** The first problem zod found, as `field.path: message`. */
export function zodProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "schema mismatch";
}
