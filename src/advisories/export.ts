// The offline export, in osv.dev's layout (its exporter writes `<ECOSYSTEM>/all.zip` with one
// `<ID>.json` per record, sorted by id, and `<ECOSYSTEM>/modified_id.csv` with one
// `<modified>,<ID>` line per record, newest first): osv-scanner's offline mode and mirrors read
// the registry's export as they read osv.dev's. Withdrawn records are included, marked.
import { strToU8, zipSync, type Zippable } from "fflate";
import type { OsvRecord } from "./osv";

/** The zip of every record, `<ID>.json` each, sorted by id; deterministic for the same records. */
export function buildAllZip(records: readonly OsvRecord[]): Uint8Array {
  const files: Zippable = {};
  for (const r of [...records].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    files[`${r.id}.json`] = [strToU8(JSON.stringify(r, null, 2)), { mtime: new Date(r.modified) }];
  }
  return zipSync(files, { level: 6 });
}

/**
 * `modified_id.csv`: `<RFC 3339 modified>,<ID>` per line, newest first, then by id; no header
 * (osv.dev's file has none). Timestamps are written as Go's RFC3339Nano writes them (no trailing
 * fractional zeros), as osv.dev's exporter does.
 */
export function buildModifiedCsv(records: readonly Pick<OsvRecord, "id" | "modified">[]): string {
  return [...records]
    .sort((a, b) => Date.parse(b.modified) - Date.parse(a.modified) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => `${rfc3339Nano(r.modified)},${r.id}\n`)
    .join("");
}

/** `2026-11-28T12:00:00.120Z` → `2026-11-28T12:00:00.12Z`; `…00.000Z` → `…00Z`. */
export function rfc3339Nano(timestamp: string): string {
  return timestamp.replace(/\.([0-9]*?)0+Z$/, (_m, digits: string) => (digits === "" ? "Z" : `.${digits}Z`));
}

/**
 * The registry's timestamps, as OSV records (and protobuf JSON) write them: whole seconds
 * without a fraction, else milliseconds.
 */
export function osvTimestamp(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
