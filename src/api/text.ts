// Request-body text fields under the one text rule (src/domain/text.ts): a zod string that
// refuses control characters, C1 controls and bidi overrides with a 400 that names the character.
import { z } from "zod";
import { textProblem, type TextKind } from "../domain/text";

export function text(kind: TextKind, limits: { min?: number; max: number }) {
  return z
    .string()
    .min(limits.min ?? 0)
    .max(limits.max)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, kind);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}
