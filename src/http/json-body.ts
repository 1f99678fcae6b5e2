// Parses a JSON request body against a zod schema; anything else is a 400 that says what is wrong.
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env";
import { RegistryError } from "../domain/errors";
import { readLimited } from "./read-body";

const MAX_JSON_BYTES = 64 * 1024;

export async function parseJson<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json"))
    throw new RegistryError("unsupported_media_type", "send a JSON body with Content-Type: application/json");
  const bytes = await readLimited(
    c.req.raw,
    MAX_JSON_BYTES,
    () => new RegistryError("bad_request", `the JSON body is larger than ${MAX_JSON_BYTES} bytes`),
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
