// A typed client for the whole v1 API of the Ori registry. fetch-based and free of Node
// imports, so the CLI, the end-to-end tests and other Workers can all use it.
import { Transport, type TransportOptions } from "./transport";
import { packageParams, packagePath, scopePath } from "./paths";
import { uploadBody, type ProgressListener } from "./upload";
import { DEFAULT_LIMITS } from "../processing/limits";
import { VerificationError } from "./errors";
import { checkShape, consistencyShape, receiptShape } from "./response-shapes";
import { api } from "../api";
import { call, send } from "./call";
import type { Health } from "../api/health";
import { PublishResult as PublishResultShape, type PublishResult } from "../api/packages";
import { VersionMetadata as VersionMetadataShape, type VersionList } from "../api/shapes";
import type { VersionMetadata } from "../api/shapes";
import type {
  ConsistencyResponse,
  CreatedToken,
  CreatedUser,
  CreateTokenRequest,
  DownloadResult,
  LogReceipt,
  PackageOwners,
  ScopeMembers,
  TransferState,
  VersionFlags,
  SearchResponse,
  TokenInfo,
  WhoAmI,
} from "./types";

export type ClientOptions = TransportOptions;

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

  // --- packages -------------------------------------------------------------------------

  versions(pkg: string): Promise<VersionList> {
    return call(this.http, api.packages.versions, { params: packageParams(pkg), what: `the versions of ${pkg}` });
  }

  metadata(pkg: string, version: string): Promise<VersionMetadata> {
    // What download and verify read of it: checked, so that a malformed answer fails as a verification.
    const check = VersionMetadataShape.pick({ name: true, version: true, sha256: true, size: true, logIndex: true });
    return call(this.http, api.packages.metadata, { params: { ...packageParams(pkg), version }, what: `the metadata of ${pkg}@${version}`, check });
  }

  /**
   * The archive's bytes, read up to `maxBytes` (the registry's archive limit by default): a
   * registry that sends more is refused before it can fill memory or a disk.
   */
  async download(pkg: string, version: string, maxBytes: number = DEFAULT_LIMITS.maxCompressedBytes): Promise<DownloadResult> {
    const res = await send(this.http, api.packages.download, { params: { ...packageParams(pkg), version }, headers: { accept: "application/gzip" } });
    const bytes = await readCapped(res, maxBytes, `the download of ${pkg}@${version}`);
    const etag = res.headers.get("etag");
    return { bytes, etag: etag ? etag.replace(/^W\//, "").replace(/^"|"$/g, "") : null, reprDigest: res.headers.get("repr-digest") };
  }

  /** Uploads an archive as a raw application/gzip body; `onProgress` sees bytes sent. */
  publish(pkg: string, archive: Uint8Array, onProgress?: ProgressListener): Promise<PublishResult> {
    return call(this.http, api.packages.publish, {
      params: packageParams(pkg),
      body: uploadBody(archive, onProgress),
      headers: { "content-type": "application/gzip" },
      what: `the publish of ${pkg}`,
      check: PublishResultShape,
    });
  }

  yank(pkg: string, version: string): Promise<VersionFlags> {
    return this.versionAction(pkg, version, "yank", {});
  }

  unyank(pkg: string, version: string): Promise<VersionFlags> {
    return this.versionAction(pkg, version, "unyank", {});
  }

  /** An empty message clears the deprecation. */
  deprecate(pkg: string, version: string, message: string): Promise<VersionFlags> {
    return this.versionAction(pkg, version, "deprecate", { message });
  }

  /** Admin emergency removal: the version answers 410 everywhere, with the reason. */
  remove(pkg: string, version: string, reason: string): Promise<VersionFlags> {
    return this.versionAction(pkg, version, "remove", { reason });
  }

  /** Admin delete: the archive is gone for good; the log entry stays. */
  deleteVersion(pkg: string, version: string): Promise<VersionFlags> {
    return this.http.json(`${packagePath(pkg)}/${encodeURIComponent(version)}`, { method: "DELETE" });
  }

  transferOffer(pkg: string, to: string): Promise<TransferState> {
    return this.http.json(`${packagePath(pkg)}/transfer`, { method: "POST", json: { to } });
  }

  transferAccept(pkg: string): Promise<TransferState> {
    return this.http.json(`${packagePath(pkg)}/transfer`, { method: "POST", json: { accept: true } });
  }

  transferCancel(pkg: string): Promise<TransferState> {
    return this.http.json(`${packagePath(pkg)}/transfer`, { method: "POST", json: { cancel: true } });
  }

  owners(pkg: string): Promise<PackageOwners> {
    return this.http.json(`${packagePath(pkg)}/owners`);
  }

  addOwner(pkg: string, username: string): Promise<PackageOwners> {
    return this.http.json(`${packagePath(pkg)}/owners`, { method: "POST", json: { username } });
  }

  removeOwner(pkg: string, username: string): Promise<PackageOwners> {
    return this.http.json(`${packagePath(pkg)}/owners/${encodeURIComponent(username)}`, { method: "DELETE" });
  }

  search(q: string, limit?: number, offset?: number): Promise<SearchResponse> {
    return this.http.json("/v1/search", { query: { q, limit, offset } });
  }

  // --- scopes, accounts, tokens ---------------------------------------------------------

  members(scope: string): Promise<ScopeMembers> {
    return this.http.json(`${scopePath(scope)}/members`);
  }

  addMember(scope: string, username: string, role?: "owner" | "member"): Promise<ScopeMembers> {
    return this.http.json(`${scopePath(scope)}/members`, { method: "POST", json: role ? { username, role } : { username } });
  }

  removeMember(scope: string, username: string): Promise<ScopeMembers> {
    return this.http.json(`${scopePath(scope)}/members/${encodeURIComponent(username)}`, { method: "DELETE" });
  }

  me(): Promise<WhoAmI> {
    return this.http.json("/v1/me");
  }

  createToken(req: CreateTokenRequest): Promise<CreatedToken> {
    return this.http.json("/v1/tokens", { method: "POST", json: req });
  }

  async listTokens(): Promise<TokenInfo[]> {
    const body = await this.http.json<{ tokens: TokenInfo[] }>("/v1/tokens");
    return body.tokens;
  }

  revokeToken(id: string): Promise<{ revoked: unknown }> {
    return this.http.json(`/v1/tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
  }

  createUser(username: string, opts: { admin?: boolean } = {}): Promise<CreatedUser> {
    return this.http.json("/v1/admin/users", { method: "POST", json: opts.admin ? { username, admin: true } : { username } });
  }

  // --- transparency log -----------------------------------------------------------------

  /** The verifier key `name+id+base64` (to pin on first use, never to trust blindly). */
  async logKey(): Promise<string> {
    return (await this.http.text("/v1/log/key")).trim();
  }

  /** The latest signed checkpoint (a signed note). */
  logCheckpoint(): Promise<string> {
    return this.http.text("/v1/log/checkpoint");
  }

  /** Raw tile bytes at a tlog-tiles path such as `tile/0/x001/234.p/5`. */
  async logTile(path: string): Promise<Uint8Array> {
    const res = await this.http.send(`/v1/log/${path}`, { headers: { accept: "application/octet-stream" } });
    return new Uint8Array(await res.arrayBuffer());
  }

  async lookup(pkg: string, version: string): Promise<LogReceipt> {
    const [scope, name] = packagePath(pkg).split("/").slice(-2);
    const body = await this.http.json<LogReceipt>(`/v1/log/lookup/${scope}/${name}/${encodeURIComponent(version)}`);
    checkShape(`the log lookup of ${pkg}@${version}`, receiptShape, body);
    return body;
  }

  async consistency(from: number, to: number): Promise<ConsistencyResponse> {
    const body = await this.http.json<ConsistencyResponse>("/v1/log/proof/consistency", { query: { from, to } });
    return checkShape(`the consistency proof from ${from} to ${to}`, consistencyShape, body);
  }

  private versionAction(pkg: string, version: string, action: string, json: unknown): Promise<VersionFlags> {
    return this.http.json(`${packagePath(pkg)}/${encodeURIComponent(version)}/${action}`, { method: "POST", json });
  }
}

async function readCapped(res: Response, maxBytes: number, subject: string): Promise<Uint8Array> {
  const tooBig = (seen: string) => new VerificationError(subject, [{ check: "archive size", detail: `${seen}, over the ${maxBytes}-byte archive limit` }]);
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
