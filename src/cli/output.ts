// Terminal output helpers: what a command returns (data for --json, text for people), simple
// aligned tables, sizes, and the upload progress bar (stderr only, so stdout stays parseable).
// Text from a registry or a project is untrusted: it goes through visible() (domain/text.ts),
// per value (oneLine, table, fields: no value can fake a line) and again on the whole block
// as it is written (forTerminal: no escape sequence reaches the terminal, whatever a command
// forgot). JSON output escapes what JSON.stringify leaves raw (C1, bidi, U+2028).
import { visible } from "../domain/text";

/** What a command produces: `data` is printed for --json, `human` otherwise. */
export interface CommandOutput {
  data: unknown;
  human: string;
  /** A command that succeeded but found something (audit: a vulnerability) exits with this. */
  exitCode?: import("./exit-codes").ExitCode;
}

export interface Streams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars redraw in place only then). */
  stderrIsTTY: boolean;
}

export function nodeStreams(): Streams {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
}

/** Untrusted text as one line: controls, C1, bidi overrides and line breaks shown as escapes. */
export function oneLine(value: unknown): string {
  return visible(String(value));
}

/** A whole block of human output, as it is written: line breaks kept, every other control escaped. */
export function forTerminal(block: string): string {
  return visible(block, { newlines: true });
}

const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** --json output: the same JSON value, with every character a terminal might obey as a \u escape. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Left-aligned columns separated by two spaces; the header row is the first row. */
export function table(rawRows: string[][]): string {
  const rows = rawRows.map((row) => row.map(oneLine));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * `key: value` lines with the keys aligned; null/undefined values are left out. A multi-line
 * value continues on indented lines, so it cannot pass for a `key: value` line of its own.
 */
export function fields(pairs: [string, unknown][]): string {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== "");
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  const indent = "\n" + " ".repeat(width + 2);
  const value = (v: unknown) =>
    Array.isArray(v) ? v.map(oneLine).join(", ") : String(v).split("\n").map(oneLine).join(indent);
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${value(v)}`).join("\n");
}

/** A progress reporter for uploads: a redrawn bar on a TTY, start and end lines otherwise. */
export function progressBar(
  streams: Streams,
  label: string,
): { update: (sent: number, total: number) => void; done: () => void } {
  let lastDrawn = -1;
  let started = false;
  return {
    update(sent, t) {
      if (!streams.stderrIsTTY) {
        if (!started) streams.stderr(`${label} ${formatBytes(t)}…\n`);
        started = true;
        return;
      }
      const pct = t === 0 ? 100 : Math.floor((sent / t) * 100);
      if (pct === lastDrawn) return;
      lastDrawn = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      streams.stderr(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(pct).padStart(3)}% of ${formatBytes(t)}`,
      );
    },
    done() {
      // End the redrawn line; the non-TTY form printed whole lines already.
      if (streams.stderrIsTTY && lastDrawn >= 0) streams.stderr("\n");
    },
  };
}
