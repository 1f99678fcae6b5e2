// Pure rules of package search: the request limits, what one package's search document is
// (built from its versions), and how user text becomes a safe SQLite FTS5 MATCH expression.
import { RegistryError, quote } from "./errors";
import type { VersionRecord } from "./package-records";
import { latestOf } from "./versions";

export const SEARCH_LIMITS = {
  /** Characters of `q`, after trimming. */
  minQuery: 1,
  maxQuery: 100,
  defaultLimit: 20,
  maxLimit: 100,
  maxOffset: 1000,
  /** Words of a query past this many are ignored. */
  maxTerms: 16,
} as const;

export interface SearchRequest {
  q: string;
  limit: number;
  offset: number;
}

/** Validates `?q=&limit=&offset=`; refuses with `bad_request` and says what to send instead. */
export function parseSearchRequest(raw: {
  q?: string | undefined;
  limit?: string | undefined;
  offset?: string | undefined;
}): SearchRequest {
  const { minQuery, maxQuery, defaultLimit, maxLimit, maxOffset } = SEARCH_LIMITS;
  const q = (raw.q ?? "").trim();
  if (q.length < minQuery || q.length > maxQuery) {
    throw new RegistryError(
      "bad_request",
      `give a search query of ${minQuery}–${maxQuery} characters as ?q=… (got ${q.length})`,
    );
  }
  return {
    q,
    limit: integerParam("limit", raw.limit, defaultLimit, 1, maxLimit),
    offset: integerParam("offset", raw.offset, 0, 0, maxOffset),
  };
}

function integerParam(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max))
    throw new RegistryError(
      "bad_request",
      `${name} must be a whole number from ${min} to ${max} (got ${quote(raw, 20)})`,
    );
  return n;
}

/** What the search index holds for one package: its latest listed version's fields. */
export interface SearchDocument {
  name: string;
  version: string;
  description: string;
  keywords: string[];
  categories: string[];
  /** The latest version's deprecation message, or null. */
  deprecated: string | null;
  /** When the latest version was published. */
  updatedAt: string;
}

/** A hit, as the API answers it (src/api/shapes.ts); `score` is bm25 flipped (higher is better). */
export type { SearchHit } from "../api/shapes";
import type { SearchHit } from "../api/shapes";

export interface SearchPage {
  total: number;
  results: SearchHit[];
}

/**
 * The document of the latest version that is neither yanked, removed nor deleted (the highest
 * stable one while there is one: `latestOf`); null when there is none (the package then leaves
 * the index). Deprecated versions stay listed.
 */
export function searchDocument(versions: readonly VersionRecord[]): SearchDocument | null {
  const latest = latestOf(
    versions.filter((v) => !v.yanked && !v.removed && !v.deleted),
    (v) => v.version,
  );
  if (!latest) return null;
  const m = latest.manifest;
  return {
    name: latest.name,
    version: latest.version,
    description: m.description,
    keywords: m.keywords,
    categories: m.categories,
    deprecated: latest.deprecated,
    updatedAt: latest.publishedAt,
  };
}

/**
 * The words of a query as FTS5's unicode61 tokenizer sees them (runs of letters, digits and
 * private-use characters, case-folded): `@acme/json-parser` → acme, json, parser. Every FTS5
 * operator character (`"`, `*`, `^`, `:`, `(`, `-`, `+`, …) is a separator, so none survives.
 */
export function searchTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []).slice(0, SEARCH_LIMITS.maxTerms);
}

/**
 * An FTS5 MATCH expression that is always valid: every term a quoted string (so words such as
 * AND, OR, NEAR are plain words), all required, the last a prefix (`jso` finds `json`).
 * Null when the query has no words.
 */
export function matchExpression(terms: readonly string[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t.replaceAll('"', '""')}"${i === terms.length - 1 ? "*" : ""}`).join(" ");
}

/**
 * The names a query names exactly, ranked above everything else: the whole `@scope/name`
 * (written with or without `@`), or just the name part (`json` for `@acme/json`).
 */
export function exactNames(q: string): { full: string | null; bare: string | null } {
  const t = q.trim().toLowerCase();
  if (t.includes("/")) return { full: t.startsWith("@") ? t : `@${t}`, bare: null };
  return { full: null, bare: t.startsWith("@") ? null : t };
}

/** The name part of `@scope/name`. */
export function bareName(pkg: string): string {
  return pkg.slice(pkg.indexOf("/") + 1);
}
