// Removes `[scripts]` tables from an oripk.toml's text before it is packed. Scripts are for the
// author's machine only (DESIGN §1); the registry rejects a manifest that still has one. The
// text is edited line by line, so comments, order and Ori's bare `std.x` lines stay as written;
// the result is then parsed and compared with the original, so a line-level misreading can never
// silently change anything but the scripts.
import { parse } from "smol-toml";
import { RegistryError } from "../domain/errors";
import { rewriteBareStdLines } from "../domain/manifest";

const HEADER = /^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$/;
const TOP_LEVEL_SCRIPTS_KEY = /^\s*(?:scripts|"scripts"|'scripts')\s*=/;

/** The manifest text without any table whose dotted path has a `scripts` segment. */
export function stripScripts(text: string): { text: string; stripped: boolean } {
  const lines = text.split("\n");
  const out: string[] = [];
  let skipping = false;
  let beforeFirstHeader = true;
  let inMultiline = false;
  let stripped = false;
  for (const line of lines) {
    // Lines inside a multi-line string are content, never headers.
    const toggles = (line.match(/"""|'''/g)?.length ?? 0) % 2 === 1;
    if (!inMultiline) {
      const header = HEADER.exec(line);
      if (header) {
        beforeFirstHeader = false;
        skipping = keySegments(header[1] ?? "").includes("scripts");
        if (skipping) stripped = true;
      } else if (beforeFirstHeader && TOP_LEVEL_SCRIPTS_KEY.test(line)) {
        // A root-level `scripts = {…}` inline table: drop the line (single-line form only; a
        // multi-line value is caught by the manifest check that follows packing).
        stripped = true;
        continue;
      }
    }
    if (toggles) inMultiline = !inMultiline;
    if (!skipping) out.push(line);
  }
  const result = out.join("\n");
  if (stripped) checkOnlyScriptsRemoved(text, result);
  return { text: result, stripped };
}

/**
 * Both texts must parse to the same document once every `scripts` key is dropped from each.
 * (Unparseable input is left for the manifest check after packing to report.)
 */
function checkOnlyScriptsRemoved(before: string, after: string): void {
  let a: unknown;
  try {
    a = withoutScripts(parse(rewriteBareStdLines(before)));
  } catch {
    return;
  }
  let b: unknown = undefined;
  try {
    b = withoutScripts(parse(rewriteBareStdLines(after)));
  } catch {
    // falls through to the refusal below: stripping broke a manifest that parsed
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new RegistryError("invalid_manifest", "oripk.toml's [scripts] could not be removed without changing other settings; move the [scripts] table to the end of the file, or remove it before packing");
  }
}

function withoutScripts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutScripts);
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  // Tables left empty are dropped too: `[tool.scripts]` alone implies a `tool` table that
  // vanishes with it.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "scripts") continue;
    const kept = withoutScripts(v);
    if (!isEmptyTable(kept)) out[k] = kept;
  }
  return out;
}

function isEmptyTable(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.keys(v).length === 0;
}

/** Splits a TOML dotted key (`a."b.c".d`) into its segments, unquoted. */
export function keySegments(key: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < key.length && (m = re.exec(key)) !== null) {
    out.push(m[1] ?? m[2] ?? m[3] ?? "");
    if (m[0].length === 0) break;
  }
  return out;
}
