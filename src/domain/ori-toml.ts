// Ori's manifest dialect → strict TOML (DESIGN §1). Ori writes dependency keys bare: `std.json`
// alone on a line, `@scope/name = "1.2.3"`, `[dependencies.@scope/name]`. None of those lines is
// TOML, so a lexer walks the text (strings of all four kinds, arrays and inline tables across
// lines, comments, CRLF) and rewrites exactly them: `"@scope/name" = …`,
// `[dependencies."@scope/name"]`, `std.json = "*"`. Every other line is left byte for byte to the
// TOML parser, so a valid TOML document is never changed. Only inserts are made, never a newline,
// so a parse error's position maps back to the text as written.
import { parse, TomlError } from "smol-toml";
import { RegistryError, quote } from "./errors";

/** The tables whose keys (and the second segment of whose sub-table headers) may be bare. */
export const DEPENDENCY_TABLES: ReadonlySet<string> = new Set(["dependencies", "dev-dependencies"]);

export interface TomlHeader {
  /** 0-based line of the `[…]` header. */
  line: number;
  key: string[];
  array: boolean;
}

export interface TomlPair {
  /** 0-based first and last line of the `key = value` pair (a value may span lines). */
  line: number;
  endLine: number;
  /** The table the pair is in (`[]` before the first header) and its own dotted key. */
  table: string[];
  key: string[];
  /** Whether the value is an inline table (`{ … }`). */
  inlineTable: boolean;
}

export interface StrictToml {
  /** The text as strict TOML. */
  toml: string;
  /** Every table header and every top-level `key = value` pair, in order. */
  headers: TomlHeader[];
  pairs: TomlPair[];
  /** Maps an offset in `toml` back to the text as written. */
  originalOffset(offset: number): number;
}

type Table = { [key: string]: unknown };

interface Segment {
  value: string;
  start: number;
  end: number;
  /** A bare Ori package name (`@scope/name`), which TOML would need quoted. */
  ori: boolean;
  quoted: boolean;
}

const BARE_KEY = /[A-Za-z0-9_-]/;
/** What a bare `@scope/name` is made of: printable ASCII but TOML's structural characters, quotes and backslash. */
const ORI_KEY_CHAR = /[\x21-\x7e]/;
const ORI_KEY_END = /[=.[\]#"',{}\\]/;

/** Thrown inside the scanner when it meets something it does not understand: the rest is left as written. */
class GiveUp extends Error {}

/**
 * Rewrites Ori's bare dependency keys to strict TOML. Throws a positioned `RegistryError` for a
 * bare key that is not a dependency (`invalid_manifest`) or a registry dependency written alone
 * without a version (`dependency_not_exact`). Anything else it cannot read is left for the TOML
 * parser to report.
 */
export function toStrictToml(text: string): StrictToml {
  return new Scanner(text).run();
}

/** `toStrictToml`, then a strict TOML parse; every failure is an `invalid_manifest` with line and column. */
export function parseOriToml(text: string): { root: Table; strict: StrictToml } {
  const strict = toStrictToml(text);
  try {
    return { root: parse(strict.toml, { unsafeKeyBehaviour: "throw", maxDepth: 32 }) as Table, strict };
  } catch (err) {
    const why =
      err instanceof Error ? err.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "") : "syntax error";
    if (!(err instanceof TomlError))
      throw new RegistryError("invalid_manifest", `oripk.toml is not valid TOML: ${why}`);
    const at = position(text, strict.originalOffset(offsetOf(strict.toml, err.line, err.column)));
    throw new RegistryError(
      "invalid_manifest",
      `oripk.toml is not valid TOML (line ${at.line}, column ${at.column}): ${why}`,
      { line: at.line, column: at.column },
    );
  }
}

/** 1-based line and column (UTF-16 units) of an offset. */
export function position(text: string, offset: number): { line: number; column: number } {
  return new Lines(text).position(offset);
}

/** Line starts of a text, for positions in O(log n). */
class Lines {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return Math.min(at + column - 1, text.length);
}

class Scanner {
  private pos = 0;
  private readonly inserts: { at: number; text: string }[] = [];
  private readonly headers: TomlHeader[] = [];
  private readonly pairs: TomlPair[] = [];
  private table: string[] = [];
  private inDependencies = false;
  private readonly lines: Lines;

  constructor(private readonly text: string) {
    this.lines = new Lines(text);
  }

  run(): StrictToml {
    if (this.text.startsWith("\uFEFF")) this.pos = 1;
    try {
      while (this.pos < this.text.length) this.statement();
    } catch (err) {
      if (!(err instanceof GiveUp)) throw err;
    }
    return this.result();
  }

  /** One line at the top level: blank, a comment, a table header or a key/value pair. */
  private statement(): void {
    this.spaces();
    if (this.atLineEnd()) return this.lineEnd();
    if (this.text[this.pos] === "[") return this.header();
    this.pair();
  }

  private header(): void {
    const line = this.lineOf(this.pos);
    const array = this.text[this.pos + 1] === "[";
    this.pos += array ? 2 : 1;
    const segments = this.key((index, before) => index === 1 && DEPENDENCY_TABLES.has(before[0]?.value ?? ""));
    this.spaces();
    if (!this.text.startsWith(array ? "]]" : "]", this.pos)) throw new GiveUp();
    this.pos += array ? 2 : 1;
    this.spaces();
    if (!this.atLineEnd()) throw new GiveUp();
    this.lineEnd();
    this.quoteOriSegments(segments);
    const key = segments.map((s) => s.value);
    this.headers.push({ line, key, array });
    this.table = key;
    this.inDependencies = !array && key.length === 1 && DEPENDENCY_TABLES.has(key[0]!);
  }

  private pair(): void {
    const line = this.lineOf(this.pos);
    const segments = this.key((index) => index === 0 && this.inDependencies);
    this.spaces();
    const key = segments.map((s) => s.value);
    if (this.text[this.pos] === "=") {
      this.pos++;
      this.spaces();
      const inlineTable = this.text[this.pos] === "{";
      this.value();
      this.spaces();
      if (!this.atLineEnd()) throw new GiveUp();
      const endLine = this.lineOf(this.pos);
      this.lineEnd();
      this.quoteOriSegments(segments);
      this.pairs.push({ line, endLine, table: this.table, key, inlineTable });
      return;
    }
    if (!this.atLineEnd()) throw new GiveUp();
    this.bareKeyAlone(segments);
    this.lineEnd();
    this.pairs.push({ line, endLine: line, table: this.table, key, inlineTable: false });
  }

  /** A key alone on its line: Ori's `std.json`, a bundled std module — nothing else. */
  private bareKeyAlone(segments: Segment[]): void {
    const first = segments[0]!;
    const last = segments[segments.length - 1]!;
    const written = this.text.slice(first.start, last.end);
    const where = this.where(first.start);
    if (this.inDependencies && first.ori) {
      throw new RegistryError(
        "dependency_not_exact",
        `oripk.toml ${where}: dependency ${quote(written)} has no version: registry dependencies pin one exact version, e.g. ${first.value} = "1.2.3"`,
        {
          dependency: first.value.slice(0, 100),
          ...this.at(first.start),
        },
      );
    }
    if (this.inDependencies && first.value === "std" && !first.quoted && segments.length >= 2) {
      this.inserts.push({ at: last.end, text: ' = "*"' });
      return;
    }
    const rule =
      "only a bundled std module may be written alone on a line (std.json), in [dependencies] or [dev-dependencies]";
    const hint = this.inDependencies
      ? `${rule}; a registry dependency is written @scope/name = "1.2.3"`
      : `${rule}; everything else is TOML: key = value`;
    throw new RegistryError(
      "invalid_manifest",
      `oripk.toml ${where}: ${quote(written)} has no value: ${hint}`,
      this.at(first.start),
    );
  }

  /** A dotted key; `oriAllowed` says where a bare `@scope/name` segment may stand. */
  private key(oriAllowed: (index: number, before: Segment[]) => boolean): Segment[] {
    const segments: Segment[] = [];
    for (;;) {
      this.spaces();
      const start = this.pos;
      const c = this.text[this.pos];
      let value: string;
      let ori = false;
      let quoted = false;
      if (c === '"' || c === "'") {
        value = this.singleLineString(c);
        quoted = true;
      } else if (c !== undefined && BARE_KEY.test(c)) {
        while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos]!)) this.pos++;
        value = this.text.slice(start, this.pos);
      } else if (c === "@") {
        this.pos++;
        while (
          this.pos < this.text.length &&
          ORI_KEY_CHAR.test(this.text[this.pos]!) &&
          !ORI_KEY_END.test(this.text[this.pos]!)
        )
          this.pos++;
        value = this.text.slice(start, this.pos);
        if (!oriAllowed(segments.length, segments)) {
          throw new RegistryError(
            "invalid_manifest",
            `oripk.toml ${this.where(start)}: ${quote(value)} is a bare package name, which Ori allows only as a dependency key: in [dependencies] or [dev-dependencies] (@scope/name = "1.2.3"), or as [dependencies.@scope/name]; elsewhere quote it`,
            this.at(start),
          );
        }
        ori = true;
      } else {
        throw new GiveUp();
      }
      segments.push({ value, start, end: this.pos, ori, quoted });
      this.spaces();
      if (this.text[this.pos] !== ".") return segments;
      this.pos++;
    }
  }

  /** Skips a value: strings, nested arrays and inline tables (which may span lines), comments inside them. */
  private value(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '"' || c === "'") {
        if (this.text.startsWith(c.repeat(3), this.pos)) this.multiLineString(c);
        else this.singleLineString(c);
      } else if (c === "[" || c === "{") {
        depth++;
        this.pos++;
      } else if (c === "]" || c === "}") {
        depth--;
        this.pos++;
      } else if (c === "#") {
        this.comment();
      } else if (c === "\n" || (c === "\r" && this.text[this.pos + 1] === "\n")) {
        if (depth <= 0) return;
        this.pos += c === "\r" ? 2 : 1;
      } else {
        this.pos++;
      }
      if (depth === 0 && (c === "]" || c === "}")) return;
    }
  }

  /** A basic ("…", with escapes) or literal ('…') string on one line; returns its content. */
  private singleLineString(quoteChar: string): string {
    const start = ++this.pos;
    let out = "";
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === "\n" || c === "\r") throw new GiveUp();
      if (c === quoteChar) {
        this.pos++;
        return quoteChar === "'" ? this.text.slice(start, this.pos - 1) : out;
      }
      if (c === "\\" && quoteChar === '"') {
        const [char, length] = unescape(this.text, this.pos);
        out += char;
        this.pos += length;
        continue;
      }
      out += c;
      this.pos++;
    }
    throw new GiveUp();
  }

  /** """…""" or '''…''': ends at a run of 3 to 5 quotes (up to two of them belong to the content). */
  private multiLineString(quoteChar: string): void {
    this.pos += 3;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === "\\" && quoteChar === '"') {
        this.pos += 2;
      } else if (c === quoteChar && this.text.startsWith(quoteChar.repeat(3), this.pos)) {
        while (this.text[this.pos] === quoteChar) this.pos++;
        return;
      } else {
        this.pos++;
      }
    }
    throw new GiveUp();
  }

  private comment(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== "\n" && !this.text.startsWith("\r\n", this.pos))
      this.pos++;
  }

  private spaces(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }

  private atLineEnd(): boolean {
    const c = this.text[this.pos];
    return c === undefined || c === "\n" || c === "#" || this.text.startsWith("\r\n", this.pos);
  }

  /** A comment, then the newline (or the end of the text). */
  private lineEnd(): void {
    if (this.text[this.pos] === "#") this.comment();
    if (this.text[this.pos] === "\n") this.pos++;
    else if (this.text.startsWith("\r\n", this.pos)) this.pos += 2;
    else if (this.pos < this.text.length) throw new GiveUp();
  }

  private quoteOriSegments(segments: Segment[]): void {
    for (const s of segments) {
      if (!s.ori) continue;
      this.inserts.push({ at: s.start, text: '"' }, { at: s.end, text: '"' });
    }
  }

  private lineOf(offset: number): number {
    return this.lines.position(offset).line - 1;
  }

  private at(offset: number): { line: number; column: number } {
    return this.lines.position(offset);
  }

  private where(offset: number): string {
    const { line, column } = this.at(offset);
    return `line ${line}, column ${column}`;
  }

  private result(): StrictToml {
    const inserts = [...this.inserts].sort((a, b) => a.at - b.at);
    let toml = "";
    let from = 0;
    for (const ins of inserts) {
      toml += this.text.slice(from, ins.at) + ins.text;
      from = ins.at;
    }
    toml += this.text.slice(from);
    return {
      toml,
      headers: this.headers,
      pairs: this.pairs,
      originalOffset(offset: number): number {
        let shift = 0;
        for (const ins of inserts) {
          const startInToml = ins.at + shift;
          if (offset < startInToml) break;
          if (offset < startInToml + ins.text.length) return ins.at;
          shift += ins.text.length;
        }
        return offset - shift;
      },
    };
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  e: "\u001b",
  '"': '"',
  "\\": "\\",
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A basic-string escape at `at` (a backslash): the text it stands for, and its length. */
function unescape(text: string, at: number): [string, number] {
  const c = text[at + 1] ?? "";
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c]!, 2];
  const digits = HEX_ESCAPES[c];
  const hex = digits === undefined ? "" : text.slice(at + 2, at + 2 + digits);
  const code = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
  // An invalid escape: the TOML parser will refuse it; here it only has to be skipped.
  if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return ["", 2];
  return [String.fromCodePoint(code), 2 + hex.length];
}
