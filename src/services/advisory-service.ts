// What the advisory routes do, in order, over the AdvisoryDatabase (authoritative, strongly
// consistent) and the per-package KV projection (the hot read paths). Routes hand in the
// reader's package limit (visibility.ts); everything here answers only what that reader may see.
import { auditLock, type AuditReport, type KnownVersion } from "../advisories/audit";
import { buildAllZip, buildModifiedCsv } from "../advisories/export";
import { looksLikeAdvisoryName } from "../advisories/ids";
import { affects } from "../advisories/match";
import type { OsvRecord } from "../advisories/osv";
import { answerQuery, isOriQuery, type OsvPage, type OsvQuery } from "../advisories/osv-query";
import { decodePageToken, encodePageToken } from "../advisories/paging";
import { advisoriesAffecting, type AdvisoryView } from "../advisories/summary";
import type { ListRequest } from "../advisories/list-request";
import type { AdvisoryHistory, AdvisoryList } from "../advisories/wire";
import type { Submission } from "../advisories/validate";
import { mayReadPackage, visibleRecord, visibleRecords, type PackageLimit } from "../advisories/visibility";
import { isRegistryError, RegistryError } from "../domain/errors";
import { parseLockfile, type LockEntry } from "../domain/lockfile";
import type { VersionList } from "../domain/package-records";
import type { Env } from "../env";
import type { AdvisoryDatabase, AdvisoryResult } from "../objects/advisory-database";
import { AdvisoryProjection } from "../storage/advisory-projection";
import { ADVISORY_DATABASE_NAME } from "../storage/keys";
import { PackageReader } from "./package-reader";
import { ReadModel } from "../storage/read-model";
import { recordsFor } from "./advisory-records";

type Ctx = { waitUntil(p: Promise<unknown>): void };

/** DECISION (limits): an audit reads each package's version list; 500 packages keep it within a Worker's subrequest budget. */
export const AUDIT_LIMITS = { entries: 5_000, packages: 500 } as const;

type Methods = "create" | "replace" | "withdraw" | "find" | "list" | "history" | "exportAll" | "scanInput" | "change";
/** The database's RPC surface with its own types (OSV's open `database_specific` objects defeat the stub's inference). */
type DatabaseApi = {
  [K in Methods]: (...args: Parameters<AdvisoryDatabase[K]>) => Promise<Awaited<ReturnType<AdvisoryDatabase[K]>>>;
};

function database(env: Env): DatabaseApi {
  return env.ADVISORY_DATABASE.getByName(ADVISORY_DATABASE_NAME) as unknown as DatabaseApi;
}

function unwrap<T>(result: AdvisoryResult<T>): T {
  if (!result.ok) throw new RegistryError(result.code, result.message);
  return result.value;
}

// --- administration ---

// Submissions arrive checked (the contract's body schema runs validate.ts's checkSubmission);
// the database checks them again before it allocates an id, whoever the caller.

export async function createAdvisory(env: Env, actor: string, submission: Submission): Promise<OsvRecord> {
  return unwrap(await database(env).create(actor, submission.content));
}

export async function replaceAdvisory(env: Env, actor: string, id: string, submission: Submission): Promise<OsvRecord> {
  return unwrap(await database(env).replace(actor, id, submission));
}

export async function withdrawAdvisory(env: Env, actor: string, id: string, reason: string): Promise<OsvRecord> {
  return unwrap(await database(env).withdraw(actor, id, reason));
}

// --- reads ---

/** A record by id or alias, as this reader may see it; `advisory_not_found` otherwise. */
export async function findAdvisory(env: Env, idOrAlias: string, limit: PackageLimit): Promise<OsvRecord> {
  const found = looksLikeAdvisoryName(idOrAlias) ? await database(env).find(idOrAlias) : null;
  const seen = found ? visibleRecord(found, limit) : null;
  if (!seen) throw new RegistryError("advisory_not_found", `no advisory ${JSON.stringify(idOrAlias.slice(0, 80))}`);
  return seen;
}

/** Every change of a record, oldest first (without who made it: that is in the packages' audit trails). */
export async function advisoryHistory(env: Env, idOrAlias: string, limit: PackageLimit): Promise<AdvisoryHistory> {
  const current = await findAdvisory(env, idOrAlias, limit);
  const entries = (await database(env).history(current.id)) ?? [];
  return {
    id: current.id,
    history: entries.flatMap((e) => {
      const record = visibleRecord(e.record, limit);
      return record ? [{ seq: e.seq, at: e.at, action: e.action, reason: e.reason, record }] : [];
    }),
  };
}

/** Newest first (published, then id); with a package, its advisories; with a version too, those affecting it. */
export async function listAdvisories(env: Env, req: ListRequest, limit: PackageLimit): Promise<AdvisoryList> {
  if (req.package !== null && !mayReadPackage(req.package, limit))
    throw new RegistryError("package_not_found", `package ${req.package} does not exist`);
  const after =
    req.pageToken === null
      ? null
      : (decodePageToken(req.pageToken, ["published", "id"]) as { published: string; id: string });
  const out: OsvRecord[] = [];
  let cursor = after;
  // Pages of the database, filtered for the version and the reader, until this page is full.
  for (let round = 0; round < 20 && out.length <= req.limit; round++) {
    const batch = await database(env).list({
      package: req.package,
      includeWithdrawn: req.includeWithdrawn,
      limit: 200,
      after: cursor,
    });
    for (const r of batch) {
      if (req.version !== null && !affects(r, req.package!, req.version)) continue;
      const seen = visibleRecord(r, limit);
      if (seen) out.push(seen);
    }
    if (batch.length < 200) break;
    const last = batch[batch.length - 1]!;
    cursor = { published: last.published ?? last.modified, id: last.id };
  }
  const page = out.slice(0, req.limit);
  const last = page[page.length - 1];
  return out.length > req.limit && last
    ? {
        advisories: page,
        next_page_token: encodePageToken({ published: last.published ?? last.modified, id: last.id }),
      }
    : { advisories: page };
}

// --- OSV compatibility ---

/** One osv.dev query (POST /v1/query). */
export async function queryOsv(env: Env, query: OsvQuery, limit: PackageLimit): Promise<OsvPage> {
  if (!isOriQuery(query) || !mayReadPackage(query.package.name, limit)) return answerQuery([], query);
  const records = (await recordsFor(env, [query.package.name])).get(query.package.name) ?? [];
  return answerQuery(visibleRecords(records, limit), query);
}

/** Many queries in one database read (POST /v1/querybatch); answers in the order asked. */
export async function queryOsvBatch(env: Env, queries: OsvQuery[], limit: PackageLimit): Promise<OsvPage[]> {
  const wanted = [
    ...new Set(
      queries.filter((q) => isOriQuery(q) && mayReadPackage(q.package.name, limit)).map((q) => q.package.name),
    ),
  ];
  const records = await recordsFor(env, wanted);
  return queries.map((q) =>
    answerQuery(isOriQuery(q) ? visibleRecords(records.get(q.package.name) ?? [], limit) : [], q),
  );
}

// --- audit ---

/** The audit of an `oripk.lock` text: advisories per entry, unknown entries, checksum mismatches. */
export async function auditLockfile(
  env: Env,
  lock: string | Uint8Array,
  limit: PackageLimit,
  ctx?: Ctx,
): Promise<AuditReport> {
  const entries = parseLockfile(lock);
  if (entries.length > AUDIT_LIMITS.entries)
    throw new RegistryError(
      "bad_request",
      `the lock has ${entries.length} entries; an audit takes at most ${AUDIT_LIMITS.entries}`,
    );
  const packages = [...new Set(entries.map((e) => e.name))];
  if (packages.length > AUDIT_LIMITS.packages)
    throw new RegistryError(
      "bad_request",
      `the lock names ${packages.length} packages; an audit takes at most ${AUDIT_LIMITS.packages}`,
    );
  const readable = packages.filter((p) => mayReadPackage(p, limit));
  const [lists, records] = await Promise.all([versionListsOf(env, entries, readable, ctx), recordsFor(env, readable)]);
  const known = new Map<string, ReadonlyMap<string, KnownVersion> | null>(packages.map((p) => [p, null]));
  for (const [p, list] of lists)
    known.set(
      p,
      list &&
        new Map(
          list.versions.map((v) => [
            v.version,
            { sha256: v.sha256, yanked: v.yanked, removed: v.removed, deleted: v.deleted },
          ]),
        ),
    );
  const visible = new Map([...records].map(([p, rs]) => [p, visibleRecords(rs, limit)]));
  return auditLock(entries, known, visible);
}

/**
 * Version lists in KV bulk reads (100 keys a call), through the isolate's copies of the last
 * 5 s (ReadModel.recentVersionLists); a kept list without a version the lock names is read again,
 * so a version published since is never reported unknown; a KV miss asks the package's
 * PackageWriter, as every package read does.
 */
async function versionListsOf(
  env: Env,
  entries: readonly LockEntry[],
  packages: string[],
  ctx?: Ctx,
): Promise<Map<string, VersionList | null>> {
  const model = new ReadModel(env.METADATA);
  const found = await model.recentVersionLists(packages);
  const stale = [
    ...new Set(
      entries
        .filter((e) => {
          const list = found.get(e.name);
          return list && !list.versions.some((v) => v.version === e.version);
        })
        .map((e) => e.name),
    ),
  ];
  if (stale.length > 0) {
    stale.forEach((p) => ReadModel.forgetRecent(p));
    for (const [p, list] of await model.recentVersionLists(stale)) found.set(p, list);
  }
  const reader = new PackageReader(env, ctx);
  const missing = packages.filter((p) => !found.get(p));
  const filled = await Promise.all(
    missing.map((p) =>
      reader.versionList(p).catch((e: unknown) => {
        if (isRegistryError(e, "package_not_found")) return null;
        throw e;
      }),
    ),
  );
  const out = new Map<string, VersionList | null>(packages.map((p) => [p, found.get(p) ?? null]));
  missing.forEach((p, i) => out.set(p, filled[i]!));
  return out;
}

// --- what the scanner reads (strongly consistent: the database itself) ---

/** The records (not withdrawn) naming any of these packages, and the revision they are current at. */
export async function scanInput(env: Env, packages: string[]): Promise<{ revision: number; records: OsvRecord[] }> {
  const { revision, records } = await database(env).scanInput(packages);
  const byId = new Map<string, OsvRecord>();
  for (const [, texts] of records)
    for (const text of texts) {
      const record = JSON.parse(text) as OsvRecord;
      byId.set(record.id, record);
    }
  return { revision, records: [...byId.values()] };
}

/** One change of an advisory (its history `seq`) with the record before it, or null. */
export async function advisoryChange(
  env: Env,
  id: string,
  seq: number,
): Promise<{ current: OsvRecord; previous: OsvRecord | null } | null> {
  return database(env).change(id, seq);
}

// --- the export ---

export interface ExportFiles {
  revision: number;
  zip: () => Uint8Array;
  csv: () => string;
}

export async function exportAdvisories(env: Env): Promise<ExportFiles> {
  const { revision, records } = await database(env).exportAll();
  return { revision, zip: () => buildAllZip(records), csv: () => buildModifiedCsv(records) };
}

// --- where advisories show: version metadata and version lists (the KV projection) ---

export async function advisoriesOfVersion(env: Env, pkg: string, version: string): Promise<AdvisoryView[]> {
  return advisoriesAffecting(await new AdvisoryProjection(env.METADATA).find(pkg), pkg, version);
}

/** Each version of a list with the ids of the advisories affecting it. */
export async function withAdvisoryFlags<L extends VersionList>(
  env: Env,
  list: L,
): Promise<L & { versions: (L["versions"][number] & { advisories: string[] })[] }> {
  const records = await new AdvisoryProjection(env.METADATA).find(list.name);
  return {
    ...list,
    versions: list.versions.map((v) => ({
      ...v,
      advisories: advisoriesAffecting(records, list.name, v.version).map((a) => a.id),
    })),
  };
}
