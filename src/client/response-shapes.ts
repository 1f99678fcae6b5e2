// Shapes of the answers the client bases a verification on (publish, metadata, lookup,
// consistency). A registry that answers these with something else — null, a missing field, a
// string where a number belongs — is treated like one whose proof does not verify: a
// VerificationError naming the field, never a TypeError deep inside a check.
import { z } from "zod";
import { VerificationError } from "./errors";

const index = z.number().int().nonnegative();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "a lowercase sha256 hex digest");

export const receiptShape = z.looseObject({
  index,
  entry: z.string(),
  treeSize: index,
  checkpoint: z.string(),
  proof: z.array(z.string()),
  tlogProof: z.string(),
});

export const publishShape = z.looseObject({
  name: z.string(),
  version: z.string(),
  sha256: sha256Hex,
  size: index,
  created: z.boolean(),
  publishedAt: z.string(),
  log: receiptShape,
});

export const metadataShape = z.looseObject({ name: z.string(), version: z.string(), sha256: sha256Hex, size: index, logIndex: index });

export const consistencyShape = z.looseObject({ from: index, to: index, proof: z.array(z.string()) });

/** `body` if it has the shape; otherwise a VerificationError listing each field that is wrong. */
export function checkShape<T>(what: string, shape: z.ZodType<T>, body: unknown): T {
  const parsed = shape.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new VerificationError(
    `the registry's answer to ${what}`,
    parsed.error.issues.slice(0, 5).map((i) => ({ check: `answer field ${i.path.length ? i.path.join(".") : "(the body)"}`, detail: i.message })),
  );
}
