// osv.dev's query API, answered from this database: which records a query matches and how its
// results page. Shapes follow osv.dev (https://google.github.io/osv.dev/post-v1-query/): a query
// names a package by ecosystem and name, optionally a version; no version means every advisory
// of the package; at most OSV_PAGE_SIZE vulns per answer, then `next_page_token`.
import { RegistryError } from "../domain/errors";
import { affects } from "./match";
import { ORI_ECOSYSTEM, type OsvRecord } from "./osv";
import { decodePageToken, encodePageToken } from "./paging";
import type { OsvQueryRequest } from "./wire";

/** osv.dev pages /v1/query answers past 1,000 vulnerabilities; so do we, for each query of a batch too. */
export const OSV_PAGE_SIZE = 1000;
/** osv.dev's limit of queries in one /v1/querybatch. */
export const OSV_BATCH_LIMIT = 1000;

export interface OsvQuery {
  package: { name: string; ecosystem: string };
  version?: string;
  page_token?: string;
}

export interface OsvPage {
  records: OsvRecord[];
  nextPageToken: string | null;
}

/**
 * osv.dev's rules for one query, then ours: Ori names packages by ecosystem and name. `where`
 * prefixes each refusal (`queries[3]: ` in a batch).
 */
export function toOsvQuery(q: OsvQueryRequest, where = ""): OsvQuery {
  if (q.commit !== undefined)
    throw new RegistryError(
      "bad_request",
      `${where}commit queries are not supported: this registry evaluates SEMVER ranges; query by package and version`,
    );
  if (q.package?.purl !== undefined)
    throw new RegistryError(
      "bad_request",
      `${where}purl queries are not supported: Ori has no registered package URL type; give package.name and package.ecosystem "Ori"`,
    );
  if (q.package?.name === undefined)
    throw new RegistryError(
      "bad_request",
      `${where}a query names a package: {"package": {"name": "@scope/name", "ecosystem": "Ori"}, "version": "1.2.3"}`,
    );
  const query: OsvQuery = { package: { name: q.package.name, ecosystem: q.package.ecosystem ?? ORI_ECOSYSTEM } };
  if (q.version !== undefined) query.version = q.version;
  if (q.page_token !== undefined) query.page_token = q.page_token;
  return query;
}

/** Whether the query is about an Ori package at all (osv.dev answers others with nothing). */
export function isOriQuery(q: OsvQuery): boolean {
  return q.package.ecosystem === ORI_ECOSYSTEM;
}

/**
 * The page of matching records, by id. Withdrawn records never match; a version that does not
 * parse is never reported safe (every record with a range is returned).
 */
export function answerQuery(records: readonly OsvRecord[], q: OsvQuery, pageSize = OSV_PAGE_SIZE): OsvPage {
  const after = q.page_token === undefined ? null : decodePageToken(q.page_token, ["after"]).after;
  const matching = records
    .filter((r) => !r.withdrawn && (q.version === undefined ? true : affects(r, q.package.name, q.version)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((r) => after === null || r.id > after);
  const page = matching.slice(0, pageSize);
  const more = matching.length > pageSize;
  return { records: page, nextPageToken: more ? encodePageToken({ after: page[page.length - 1]!.id }) : null };
}
