// Shapes of the answers the client bases a verification on (publish, metadata, lookup,
// consistency). A registry that answers these with something else — null, a missing field, a
// string where a number belongs — is treated like one whose proof does not verify: a
// VerificationError naming the field, never a TypeError deep inside a check.
import { z } from "zod";
export { checkShape } from "./call";

const index = z.number().int().nonnegative();

export const receiptShape = z.looseObject({
  index,
  entry: z.string(),
  treeSize: index,
  checkpoint: z.string(),
  proof: z.array(z.string()),
  tlogProof: z.string(),
});

export const consistencyShape = z.looseObject({ from: index, to: index, proof: z.array(z.string()) });
