// Removes `[scripts]` tables from an oripk.toml's text before it is packed. Scripts are for the
// author's machine only (DESIGN §1); the registry rejects a manifest that still has one. Lines
// are dropped as written, so comments, order and Ori's bare dependency keys stay; which lines
// are headers and pairs comes from the manifest's own lexer (ori-toml.ts), so a `[scripts]` in
// a string or an array is never taken for one. The result is parsed and compared with the
// original, so nothing but the scripts can ever change.
import { RegistryError } from "../domain/errors";
import { parseOriToml, type StrictToml } from "../domain/ori-toml";

/** The manifest text without any table whose dotted path has a `scripts` segment. */
export function stripScripts(text: string): { text: string; stripped: boolean } {
  let parsed: { root: Record<string, unknown>; strict: StrictToml };
  try {
    // Parsed, not only lexed: where the lexer stops reading (an unterminated string), it knows
    // no header after that point, and a [scripts] table would seem to run to the end of the file.
    parsed = parseOriToml(text);
  } catch {
    // Not a manifest this lexer reads: left for the manifest check after packing to report.
    return { text, stripped: false };
  }
  const scanned = parsed.strict;
  const lines = text.split("\n");
  const drop = new Set<number>();
  const headers = scanned.headers;
  headers.forEach((h, i) => {
    if (!h.key.includes("scripts")) return;
    const end = i + 1 < headers.length ? headers[i + 1]!.line : lines.length;
    for (let l = h.line; l < end; l++) drop.add(l);
  });
  for (const p of scanned.pairs) {
    const path = [...p.table, ...p.key];
    // `scripts` as a table: a root key, a dotted segment before the last, or an inline table.
    const at = path.indexOf("scripts");
    if (at < 0 || !(at === 0 || at < path.length - 1 || p.inlineTable)) continue;
    for (let l = p.line; l <= p.endLine; l++) drop.add(l);
  }
  if (drop.size === 0) return { text, stripped: false };
  const result = lines.filter((_, i) => !drop.has(i)).join("\n");
  checkOnlyScriptsRemoved(parsed.root, result);
  return { text: result, stripped: true };
}

/** The stripped text must parse to the original document once every `scripts` key is dropped from each. */
function checkOnlyScriptsRemoved(before: Record<string, unknown>, after: string): void {
  const a = withoutScripts(before);
  let b: unknown = undefined;
  try {
    b = withoutScripts(parseOriToml(after).root);
  } catch {
    // falls through to the refusal below: stripping broke a manifest that parsed
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new RegistryError(
      "invalid_manifest",
      "oripk.toml's [scripts] could not be removed without changing other settings; move the [scripts] table to the end of the file, or remove it before packing",
    );
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
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.keys(v).length === 0
  );
}
