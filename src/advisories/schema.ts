// The official OSV JSON Schema (osv-schema.json, unmodified, see SOURCE.md) patched in memory for
// exactly two things the upstream schema does not know yet: Ori's id prefix and Ori's ecosystem.
// Validation uses @cfworker/json-schema (draft 2020-12, no eval, so it runs inside workerd).
import { Validator, type OutputUnit } from "@cfworker/json-schema";
import official from "./osv-schema.json";

/** `ORI-YYYY-NNNN`: a four-digit year, then at least four digits (more once a year passes 9999). */
export const ORI_ID_PATTERN = "^ORI-[0-9]{4}-[0-9]{4,}$";
export const ORI_ECOSYSTEM_PATTERN = "^Ori$";

type Schema = Record<string, unknown> & { $defs: Record<string, Record<string, unknown>> };

/**
 * The patched schema: a deep copy of the official one where `$defs.prefix` (the `id` pattern)
 * accepts only `ORI-YYYY-NNNN` and `$defs.ecosystemWithSuffix` (every `package.ecosystem`)
 * only `Ori`. Nothing else changes (schema.test.ts compares the two).
 */
export function oriOsvSchema(): Schema {
  const schema = structuredClone(official) as unknown as Schema;
  schema.$defs.prefix = {
    ...schema.$defs.prefix,
    pattern: ORI_ID_PATTERN,
    description: "Ori advisory ids, assigned by the registry",
  };
  schema.$defs.ecosystemWithSuffix = {
    ...schema.$defs.ecosystemWithSuffix,
    pattern: ORI_ECOSYSTEM_PATTERN,
    description: "The Ori ecosystem",
  };
  return schema;
}

export interface SchemaProblem {
  /** JSON path of the offending value, e.g. `affected[0].ranges[1].events[2]` (`$` for the root). */
  path: string;
  message: string;
}

let compiled: { schema: Schema; validator: Validator } | null = null;

/** Validates against the patched schema; null when valid, else the most specific problem. */
export function checkSchema(record: unknown): SchemaProblem | null {
  if (!compiled) {
    const schema = oriOsvSchema();
    compiled = { schema, validator: new Validator(schema as never, "2020-12", false) };
  }
  const result = compiled.validator.validate(record);
  if (result.valid) return null;
  return describe(pickLeaf(result.errors), compiled.schema);
}

/** Wrapper keywords only say "something below failed"; the leaf says what. */
const WRAPPERS = new Set([
  "properties",
  "items",
  "$ref",
  "allOf",
  "anyOf",
  "if",
  "then",
  "prefixItems",
  "additionalProperties",
]);

function pickLeaf(errors: OutputUnit[]): OutputUnit {
  let best = errors[0]!;
  for (const e of errors) {
    const deeper = depth(e.instanceLocation) > depth(best.instanceLocation);
    const sameButLeaf =
      depth(e.instanceLocation) === depth(best.instanceLocation) &&
      WRAPPERS.has(best.keyword) &&
      !WRAPPERS.has(e.keyword);
    if (deeper || sameButLeaf) best = e;
  }
  return best;
}

function depth(pointer: string): number {
  return pointer === "#" ? 0 : pointer.split("/").length - 1;
}

function describe(e: OutputUnit, schema: Schema): SchemaProblem {
  const path = jsonPath(e.instanceLocation);
  if (e.keyword === "false") return { path, message: `${path} is not a field of an OSV record` };
  if (e.keyword === "oneOf" && /events\[\d+\]$/.test(path)) {
    return { path, message: `${path} must have exactly one of introduced, fixed, last_affected or limit` };
  }
  if (e.keyword === "contains" && path.endsWith(".events"))
    return { path, message: `${path} must contain an introduced event` };
  if (e.keyword === "pattern" && path === "id")
    return { path, message: `id must be an Ori advisory id (ORI-YYYY-NNNN)` };
  if (e.keyword === "pattern" && path.endsWith(".ecosystem"))
    return { path, message: `${path} must be "Ori": this database holds Ori packages only` };
  const title = titleAt(schema, e.keywordLocation);
  if (title) return { path, message: `${path}: ${title} (OSV schema)` };
  return { path, message: `${path}: ${e.error.replace(/\.$/, "")} (OSV schema, ${e.keyword})` };
}

/** The `title` of the innermost schema on a keyword's path (the schema's own words for a rule). */
function titleAt(schema: Schema, keywordLocation: string): string | null {
  let node: unknown = schema;
  let title: string | null = null;
  for (const raw of keywordLocation.replace(/^#\/?/, "").split("/")) {
    if (typeof node !== "object" || node === null) break;
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const here = node as Record<string, unknown>;
    if (typeof here.title === "string") title = here.title;
    node = segment === "$ref" && typeof here.$ref === "string" ? resolveRef(schema, here.$ref) : here[segment];
  }
  return title;
}

function resolveRef(schema: Schema, ref: string): unknown {
  let node: unknown = schema;
  for (const part of ref.replace(/^#\/?/, "").split("/")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/** `#/affected/0/ranges/1` → `affected[0].ranges[1]`. */
export function jsonPath(pointer: string): string {
  const parts = pointer
    .replace(/^#\/?/, "")
    .split("/")
    .filter((p) => p !== "");
  if (parts.length === 0) return "$";
  let out = "";
  for (const raw of parts) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^[0-9]+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
