// Free text that one person writes and others read in a terminal, a page or a log line —
// descriptions, deprecation messages, removal reasons, token names, authors. One rule for the
// whole registry, used at the door (manifest and request bodies) and when text is shown:
//   - single-line text holds no control character at all;
//   - multi-line text may hold `\n` and `\t`, and nothing else below U+0020;
//   - neither holds DEL or the C1 controls (U+0080–U+009F: U+009B is an 8-bit CSI to some
//     terminals), the line and paragraph separators U+2028/U+2029, the bidi embeddings,
//     overrides and isolates (U+202A–U+202E, U+2066–U+2069, which reorder what is displayed:
//     "Trojan Source"), or a lone surrogate (not Unicode text at all).
// Marks that only hint at direction (U+200E/U+200F) and joiners (emoji sequences) are allowed.

export type TextKind = "line" | "multiline";

const ALWAYS = "\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";

/** A character single-line text may not hold (the regex has no `u` flag, so it sees surrogates). */
export const FORBIDDEN_IN_LINE = new RegExp(`[\\u0000-\\u001f${ALWAYS}]|${LONE_SURROGATE}`);
/** A character multi-line text may not hold: the same, but `\n` and `\t` are allowed. */
export const FORBIDDEN_IN_MULTILINE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${ALWAYS}]|${LONE_SURROGATE}`);
const FORBIDDEN_ANYWHERE = new RegExp(FORBIDDEN_IN_LINE.source, "g");

/** Why this text may not be stored (`contains U+001B …`), or null if it may. */
export function textProblem(value: string, kind: TextKind): string | null {
  const found = (kind === "line" ? FORBIDDEN_IN_LINE : FORBIDDEN_IN_MULTILINE).exec(value);
  if (!found) return null;
  const what =
    found[0].length === 1 && !/[\ud800-\udfff]/.test(found[0])
      ? `${codePoint(found[0])}${nameOf(found[0])}`
      : `a lone surrogate ${codePoint(found[0])}`;
  return `contains ${what}, which ${kind === "line" ? "single-line text" : "text"} may not hold${kind === "multiline" ? " (only \\n and \\t are allowed below U+0020)" : ""}`;
}

/**
 * Shows untrusted text so that it is seen, never obeyed: every character single-line text may
 * not hold becomes a visible escape (ESC is `\x1b`, U+202E is `\u202e`). With `newlines`, `\n`
 * is kept (for whole blocks of output whose values were escaped already).
 */
export function visible(text: string, opts: { newlines?: boolean } = {}): string {
  return text.replace(FORBIDDEN_ANYWHERE, (c) => {
    if (c === "\n" && opts.newlines) return c;
    const named = ESCAPES[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

const ESCAPES: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };

function codePoint(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

const NAMES: Record<number, string> = {
  0x00: "NUL",
  0x07: "BEL",
  0x08: "BS",
  0x09: "TAB",
  0x0a: "LF",
  0x0d: "CR",
  0x1b: "ESC",
  0x7f: "DEL",
  0x9b: "CSI",
  0x9d: "OSC",
  0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
};

function nameOf(c: string): string {
  const name = NAMES[c.charCodeAt(0)];
  return name ? ` (${name})` : "";
}
