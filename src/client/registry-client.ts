// A typed client for the whole v1 API of the Ori registry: every method calls one route of the
// contract (src/api/), so its types are the contract's and a route change that breaks a caller
// fails to compile. fetch-based and free of Node imports, so the CLI, the end-to-end tests and
// other Workers can all use it.
import { Transport, type TransportOptions } from "./transport";
import { packageParams, scopePath } from "./paths";
import { uploadBody, type ProgressListener } from "./upload";
import { DEFAULT_LIMITS } from "../processing/limits";
import { VerificationError } from "./errors";
import { call, checkShape, send } from "./call";
import { api } from "../api";
import type { CreatedUser, CreateTokenRequest, RevokedToken, WhoAmI } from "../api/accounts";
import type { Health } from "../api/health";
import { DeepHealth, type ErrorGroup, type ErrorGroupDetail, type StatusReport } from "../api/monitoring";
import { ConsistencyProof } from "../api/log";
import type { PackageOwners, ScopeMembers, TransferState } from "../api/ownership";
import { PublishResult } from "../api/packages";
import type { SearchResults } from "../api/search";
import {
  LogReceipt,
  VersionMetadata,
  type CreatedToken,
  type Token,
  type VersionFlags,
  type VersionList,
} from "../api/shapes";
import { AuditReport } from "../advisories/wire";

export type ClientOptions = TransportOptions;

export interface DownloadResult {
  bytes: Uint8Array;
  /** The `ETag` header without quotes (the archive's sha256 hex), or null if absent. */
  etag: string | null;
  /** The `Repr-Digest` header as served, or null if absent. */
  reprDigest: string | null;
}

/** What download and verify read of a version's metadata: checked, so a malformed answer fails as a verification. */
const METADATA_CHECKED = VersionMetadata.pick({ name: true, version: true, sha256: true, size: true, logIndex: true });

export class RegistryClient {
  readonly http: Transport;

  constructor(opts: ClientOptions) {
    this.http = new Transport(opts);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  health(): Promise<Health> {
    return call(this.http, api.health.health);
  }

  // --- monitoring (docs/monitoring.md) ----------------------------------------------------

  /** Deep health; a registry that is down answers 503 with the same report, returned here. */
  async deepHealth(): Promise<DeepHealth> {
    const res = await send(this.http, api.monitoring.deepHealth, {}, { answerStatuses: [503] });
    return checkShape("GET /v1/health/deep", DeepHealth, await this.http.readJson(res, "deep health"));
  }

  /** The public endpoints as the registry's scheduled probes saw them. */
  status(): Promise<StatusReport> {
    return call(this.http, api.monitoring.status);
  }

  /** Error groups, most recently seen first (registry administrators). */
  async errorGroups(opts: { status?: "open" | "resolved"; limit?: number } = {}): Promise<ErrorGroup[]> {
    return (
      await call(this.http, api.monitoring.errors, { query: { status: opts.status, limit: opts.limit?.toString() } })
    ).groups;
  }

  errorGroup(fingerprint: string): Promise<ErrorGroupDetail> {
    return call(this.http, api.monitoring.errorGroup, { params: { fingerprint } });
  }

  resolveError(fingerprint: string): Promise<ErrorGroup> {
    return call(this.http, api.monitoring.resolveError, { params: { fingerprint } });
  }

  // --- packages -------------------------------------------------------------------------

  versions(pkg: string): Promise<VersionList> {
    return call(this.http, api.packages.versions, { params: packageParams(pkg), what: `the versions of ${pkg}` });
  }

  metadata(pkg: string, version: string): Promise<VersionMetadata> {
    return call(this.http, api.packages.metadata, {
      params: { ...packageParams(pkg), version },
      what: `the metadata of ${pkg}@${version}`,
      check: METADATA_CHECKED,
    });
  }

  /**
   * The archive's bytes, read up to `maxBytes` (the registry's archive limit by default): a
   * registry that sends more is refused before it can fill memory or a disk.
   */
  async download(
    pkg: string,
    version: string,
    maxBytes: number = DEFAULT_LIMITS.maxCompressedBytes,
  ): Promise<DownloadResult> {
    const res = await send(this.http, api.packages.download, {
      params: { ...packageParams(pkg), version },
      headers: { accept: "application/gzip" },
    });
    const bytes = await readCapped(res, maxBytes, `the download of ${pkg}@${version}`);
    const etag = res.headers.get("etag");
    return {
      bytes,
      etag: etag ? etag.replace(/^W\//, "").replace(/^"|"$/g, "") : null,
      reprDigest: res.headers.get("repr-digest"),
    };
  }

  /** Uploads an archive as a raw application/gzip body; `onProgress` sees bytes sent. */
  publish(pkg: string, archive: Uint8Array, onProgress?: ProgressListener): Promise<PublishResult> {
    return call(this.http, api.packages.publish, {
      params: packageParams(pkg),
      body: uploadBody(archive, onProgress),
      headers: { "content-type": "application/gzip" },
      what: `the publish of ${pkg}`,
      check: PublishResult,
    });
  }

  // --- the version lifecycle ------------------------------------------------------------

  yank(pkg: string, version: string): Promise<VersionFlags> {
    return call(this.http, api.lifecycle.yank, { params: { ...packageParams(pkg), version } });
  }

  unyank(pkg: string, version: string): Promise<VersionFlags> {
    return call(this.http, api.lifecycle.unyank, { params: { ...packageParams(pkg), version } });
  }

  /** An empty message clears the deprecation. */
  deprecate(pkg: string, version: string, message: string): Promise<VersionFlags> {
    return call(this.http, api.lifecycle.deprecate, { params: { ...packageParams(pkg), version }, json: { message } });
  }

  /** Admin emergency removal: the version answers 410 everywhere, with the reason. */
  remove(pkg: string, version: string, reason: string): Promise<VersionFlags> {
    return call(this.http, api.lifecycle.remove, { params: { ...packageParams(pkg), version }, json: { reason } });
  }

  /** Admin delete: the archive is gone for good; the log entry stays. */
  deleteVersion(pkg: string, version: string): Promise<VersionFlags> {
    return call(this.http, api.lifecycle.delete, { params: { ...packageParams(pkg), version } });
  }

  // --- ownership ------------------------------------------------------------------------

  transferOffer(pkg: string, to: string): Promise<TransferState> {
    return call(this.http, api.ownership.transfer, { params: packageParams(pkg), json: { to } });
  }

  transferAccept(pkg: string): Promise<TransferState> {
    return call(this.http, api.ownership.transfer, { params: packageParams(pkg), json: { accept: true } });
  }

  transferCancel(pkg: string): Promise<TransferState> {
    return call(this.http, api.ownership.transfer, { params: packageParams(pkg), json: { cancel: true } });
  }

  owners(pkg: string): Promise<PackageOwners> {
    return call(this.http, api.ownership.owners, { params: packageParams(pkg) });
  }

  addOwner(pkg: string, username: string): Promise<PackageOwners> {
    return call(this.http, api.ownership.addOwner, { params: packageParams(pkg), json: { username } });
  }

  removeOwner(pkg: string, username: string): Promise<PackageOwners> {
    return call(this.http, api.ownership.removeOwner, { params: { ...packageParams(pkg), username } });
  }

  members(scope: string): Promise<ScopeMembers> {
    return call(this.http, api.ownership.members, { params: scopeParams(scope) });
  }

  addMember(scope: string, username: string, role?: "owner" | "member"): Promise<ScopeMembers> {
    return call(this.http, api.ownership.addMember, {
      params: scopeParams(scope),
      json: role ? { username, role } : { username },
    });
  }

  removeMember(scope: string, username: string): Promise<ScopeMembers> {
    return call(this.http, api.ownership.removeMember, { params: { ...scopeParams(scope), username } });
  }

  search(q: string, limit?: number, offset?: number): Promise<SearchResults> {
    return call(this.http, api.search.search, { query: { q, limit: limit?.toString(), offset: offset?.toString() } });
  }

  // --- accounts, tokens -----------------------------------------------------------------

  me(): Promise<WhoAmI> {
    return call(this.http, api.accounts.me);
  }

  createToken(req: CreateTokenRequest): Promise<CreatedToken> {
    return call(this.http, api.accounts.createToken, { json: req });
  }

  async listTokens(): Promise<Token[]> {
    return (await call(this.http, api.accounts.listTokens)).tokens;
  }

  revokeToken(id: string): Promise<RevokedToken> {
    return call(this.http, api.accounts.revokeToken, { params: { id } });
  }

  createUser(username: string, opts: { admin?: boolean } = {}): Promise<CreatedUser> {
    return call(this.http, api.accounts.createUser, { json: opts.admin ? { username, admin: true } : { username } });
  }

  // --- advisories -----------------------------------------------------------------------

  /** Audits an oripk.lock's text: the advisories affecting each entry, unknown entries, checksum mismatches. */
  audit(lockText: string): Promise<AuditReport> {
    return call(this.http, api.advisories.audit, {
      body: lockText,
      headers: { "content-type": "text/plain; charset=utf-8" },
      what: "the audit of the lock file",
      check: AuditReport,
    });
  }

  // --- transparency log -----------------------------------------------------------------

  /** The verifier key `name+id+base64` (to pin on first use, never to trust blindly). */
  async logKey(): Promise<string> {
    return (await (await send(this.http, api.log.key, {}, { headers: { accept: "text/plain" } })).text()).trim();
  }

  /** The latest signed checkpoint (a signed note). */
  async logCheckpoint(): Promise<string> {
    return (await send(this.http, api.log.checkpoint, {}, { headers: { accept: "text/plain" } })).text();
  }

  /** Raw tile bytes at a tlog-tiles path such as `tile/0/x001/234.p/5` or `tile/entries/1`. */
  async logTile(path: string): Promise<Uint8Array> {
    const entries = path.startsWith("tile/entries/");
    const rest = path.slice(entries ? "tile/entries/".length : "tile/".length);
    const route = entries ? api.log.entries : api.log.tile;
    const res = await send(
      this.http,
      route,
      { params: { path: rest } },
      { headers: { accept: "application/octet-stream" } },
    );
    return new Uint8Array(await res.arrayBuffer());
  }

  lookup(pkg: string, version: string): Promise<LogReceipt> {
    return call(this.http, api.log.lookup, {
      params: { ...packageParams(pkg), version },
      what: `the log lookup of ${pkg}@${version}`,
      check: LogReceipt,
    });
  }

  consistency(from: number, to: number): Promise<ConsistencyProof> {
    return call(this.http, api.log.consistency, {
      query: { from: String(from), to: String(to) },
      what: `the consistency proof from ${from} to ${to}`,
      check: ConsistencyProof,
    });
  }
}

/** The `{scope}` path parameter, written `@scope` (checked for shape before any request). */
function scopeParams(scope: string): { scope: string } {
  return { scope: scopePath(scope).slice("/v1/scopes/".length) };
}

async function readCapped(res: Response, maxBytes: number, subject: string): Promise<Uint8Array> {
  const tooBig = (seen: string) =>
    new VerificationError(subject, [
      { check: "archive size", detail: `${seen}, over the ${maxBytes}-byte archive limit` },
    ]);
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooBig(`Content-Length is ${declared}`);
  }
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooBig(`more than ${maxBytes} bytes arrived`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
