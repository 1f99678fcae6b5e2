// Removes `[scripts]` tables from an oripk.toml's text before it is packed. Scripts are for the
// author's machine only (DESIGN §1); the registry rejects a manifest that still has one. The
// text is edited line by line, so comments, order and Ori's bare `std.x` lines stay as written.

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
  return { text: out.join("\n"), stripped };
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
