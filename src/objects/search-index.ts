// SearchIndex: the one Durable Object that answers package search, with SQLite FTS5. It holds a
// projection — one document per package with a listed version — written by each package's
// PackageWriter from its committed state (its outbox's `search` effect; the `reindex-package` job
// for repairs), newest revision first, so it is never the truth.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { RpcResult } from "./rpc-result";
import {
  SEARCH_LIMITS,
  bareName,
  exactNames,
  matchExpression,
  searchTerms,
  type SearchDocument,
  type SearchHit,
  type SearchPage,
} from "../domain/search";

/** bm25 weights of the FTS columns, in order: name, keywords, categories, description. */
const WEIGHTS = "10.0, 5.0, 3.0, 1.0";
/** A listed package's publish time, indexed (`packages_by_update`): the web UI's "recently published". */
const UPDATED_AT = "json_extract(document, '$.updatedAt')";
/** Every name of a scope sorts between `@acme/` and `@acme0` ("0" follows "/" in ASCII). */
const SCOPE_RANGE = "p.name > ? AND p.name < ? AND p.document IS NOT NULL";

/** The web UI's bounded reads (their query plans are checked in test/integration/web-indexes.test.ts). */
export const LIST_QUERIES = {
  recent: (filter = "") =>
    `SELECT p.document AS document FROM packages p WHERE ${UPDATED_AT} IS NOT NULL${filter} ORDER BY ${UPDATED_AT} DESC LIMIT ?`,
  scopeCount: `SELECT count(*) AS n FROM packages p WHERE ${SCOPE_RANGE}`,
  scopePage: `SELECT p.document AS document FROM packages p WHERE ${SCOPE_RANGE} ORDER BY p.name LIMIT ? OFFSET ?`,
} as const;

export class SearchIndex extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // `packages` keeps every package ever indexed with the revision (its PackageWriter's audit
    // position) the row reflects, so a stale job can neither overwrite a newer document nor
    // resurrect a removed one. Only listed packages have a row in `packages_fts` (same rowid).
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS packages (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, bare TEXT NOT NULL, revision INTEGER NOT NULL, document TEXT);
      CREATE VIRTUAL TABLE IF NOT EXISTS packages_fts USING fts5(name, keywords, categories, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
      CREATE INDEX IF NOT EXISTS packages_by_update ON packages (${UPDATED_AT});
    `);
  }

  /** Lists (or updates) a package. Ignored if the index already reflects a later revision. */
  save(doc: SearchDocument, revision: number): { applied: boolean } {
    return this.ctx.storage.transactionSync(() => {
      const id = this.claimRow(doc.name, revision, doc);
      if (id === null) return { applied: false };
      this.sql.exec(
        "INSERT INTO packages_fts (rowid, name, keywords, categories, description) VALUES (?, ?, ?, ?, ?)",
        id,
        doc.name,
        doc.keywords.join(" "),
        doc.categories.join(" "),
        doc.description,
      );
      return { applied: true };
    });
  }

  /** Unlists a package (no listed version left). Ignored if the index reflects a later revision. */
  remove(pkg: string, revision: number): { applied: boolean } {
    return this.ctx.storage.transactionSync(() => ({ applied: this.claimRow(pkg, revision, null) !== null }));
  }

  /**
   * Ranked search: exact name matches first (the whole name, then the name part), then bm25
   * with name above keywords above categories above description. `packages` limits the results
   * to these patterns (`@acme/*`, `@acme/http`); null means every package.
   */
  search(
    q: string,
    limit: number,
    offset: number,
    packages: string[] | null = null,
  ): RpcResult<SearchPage, "bad_request"> {
    const match = matchExpression(searchTerms(q));
    if (match === null || packages?.length === 0) return { ok: true, value: { total: 0, results: [] } };
    const exact = exactNames(q);
    const filter = packageFilter(packages);
    const from = `FROM packages_fts JOIN packages p ON p.id = packages_fts.rowid WHERE packages_fts MATCH ?${filter.sql}`;
    try {
      const total = this.sql.exec<{ n: number }>(`SELECT count(*) AS n ${from}`, match, ...filter.args).one().n;
      const rows = this.sql
        .exec<{ document: string; rank: number }>(
          `SELECT p.document AS document, bm25(packages_fts, ${WEIGHTS}) AS rank,
             CASE WHEN p.name = ? THEN 2 WHEN p.bare = ? THEN 1 ELSE 0 END AS exact
           ${from} ORDER BY exact DESC, rank ASC, p.name ASC LIMIT ? OFFSET ?`,
          exact.full ?? "",
          exact.bare ?? "",
          match,
          ...filter.args,
          clamp(limit, 1, SEARCH_LIMITS.maxLimit),
          clamp(offset, 0, SEARCH_LIMITS.maxOffset),
        )
        .toArray();
      return {
        ok: true,
        value: { total, results: rows.map((r) => hit(JSON.parse(r.document) as SearchDocument, r.rank)) },
      };
    } catch (e) {
      // matchExpression quotes every term, so FTS5 should never see a syntax error; if it does,
      // the query is the caller's problem (400), not a server fault.
      if (/fts5|syntax error|unterminated|malformed MATCH/i.test(String(e))) {
        return {
          ok: false,
          code: "bad_request",
          message: "the search query could not be understood; search for plain words",
        };
      }
      throw e;
    }
  }

  /** How many packages the index has seen, and how many of them are listed (deep health). */
  stats(): { packages: number; listed: number } {
    return this.sql
      .exec<{ packages: number; listed: number }>(
        "SELECT count(*) AS packages, count(document) AS listed FROM packages",
      )
      .one();
  }

  /**
   * The listed packages whose listed version was published last, newest first. Read in the
   * order of the `packages_by_update` index, so it costs `limit` rows however many packages
   * there are (with `packages`, as many more as the patterns skip).
   */
  recent(limit: number, packages: string[] | null = null): SearchDocument[] {
    if (packages?.length === 0) return [];
    const filter = packageFilter(packages);
    return this.sql
      .exec<{ document: string }>(
        LIST_QUERIES.recent(filter.sql),
        ...filter.args,
        clamp(limit, 1, SEARCH_LIMITS.maxLimit),
      )
      .toArray()
      .map((r) => JSON.parse(r.document) as SearchDocument);
  }

  /**
   * One page of a scope's listed packages by name (`@acme` → `@acme/…`): a range of the name
   * index, so it costs the scope's size, never the registry's.
   */
  inScope(scope: string, limit: number, offset: number): { total: number; packages: SearchDocument[] } {
    const bounds = [`${scope}/`, `${scope}0`];
    const total = this.sql.exec<{ n: number }>(LIST_QUERIES.scopeCount, ...bounds).one().n;
    const packages = this.sql
      .exec<{ document: string }>(
        LIST_QUERIES.scopePage,
        ...bounds,
        clamp(limit, 1, SEARCH_LIMITS.maxLimit),
        clamp(offset, 0, Number.MAX_SAFE_INTEGER),
      )
      .toArray()
      .map((r) => JSON.parse(r.document) as SearchDocument);
    return { total, packages };
  }

  /**
   * Takes the package's row for `revision` (unless it holds a later one) and empties its FTS
   * row; stores `doc` (null: unlisted). Returns the rowid, or null when the update is stale.
   */
  private claimRow(name: string, revision: number, doc: SearchDocument | null): number | null {
    const row = this.sql
      .exec<{ id: number; revision: number }>("SELECT id, revision FROM packages WHERE name = ?", name)
      .toArray()[0];
    const document = doc ? JSON.stringify(doc) : null;
    if (!row) {
      return this.sql
        .exec<{ id: number }>(
          "INSERT INTO packages (name, bare, revision, document) VALUES (?, ?, ?, ?) RETURNING id",
          name,
          bareName(name),
          revision,
          document,
        )
        .one().id;
    }
    if (row.revision > revision) return null;
    this.sql.exec("DELETE FROM packages_fts WHERE rowid = ?", row.id);
    this.sql.exec("UPDATE packages SET revision = ?, document = ? WHERE id = ?", revision, document, row.id);
    return row.id;
  }
}

/**
 * SQL keeping only names a token's package patterns cover. The patterns travel as one JSON
 * parameter (a token may carry 50 of them; SQLite allows 100 bound parameters per statement).
 */
function packageFilter(packages: string[] | null): { sql: string; args: string[] } {
  if (packages === null) return { sql: "", args: [] };
  const exact = packages.filter((p) => !p.endsWith("/*"));
  const prefixes = packages.filter((p) => p.endsWith("/*")).map((p) => p.slice(0, -1));
  return {
    sql: ` AND (p.name IN (SELECT value FROM json_each(?)) OR EXISTS (SELECT 1 FROM json_each(?) j WHERE substr(p.name, 1, length(j.value)) = j.value))`,
    args: [JSON.stringify(exact), JSON.stringify(prefixes)],
  };
}

function hit(doc: SearchDocument, rank: number): SearchHit {
  // bm25 is negative, lower is better: report it flipped, so a higher score is a better match.
  return {
    name: doc.name,
    version: doc.version,
    description: doc.description,
    keywords: doc.keywords,
    deprecated: doc.deprecated,
    score: Number((-rank).toPrecision(6)),
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(n) || 0));
}
