// The web UI's URLs: its own pages (built from names the domain rules already checked), and the
// rule for links to what users wrote (repository, homepage, funding…): only http: and https:.
// Anything else — javascript:, data:, a relative path, a malformed URL — is shown as text.

/** `@acme/http` as path segments (names are checked by the domain rules; encoded all the same). */
function namePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/").replace(/^%40/, "@");
}

/** `/packages/@acme/http` or `/packages/@acme/http/1.2.3`. */
export function packageUrl(name: string, version?: string): string {
  const base = `/packages/${namePath(name)}`;
  return version === undefined ? base : `${base}/${encodeURIComponent(version)}`;
}

/** `/@acme`. */
export function scopeUrl(scope: string): string {
  return `/@${encodeURIComponent(scope.replace(/^@/, ""))}`;
}

export function advisoryUrl(id: string): string {
  return `/advisories/${encodeURIComponent(id)}`;
}

export function searchUrl(q: string, page = 1): string {
  const params = new URLSearchParams({ q });
  if (page > 1) params.set("page", String(page));
  return `/search?${params.toString()}`;
}

/** The log's inclusion proof of a version (the API's lookup route). */
export function proofUrl(name: string, version: string): string {
  return `/v1/log/lookup/${namePath(name)}/${encodeURIComponent(version)}`;
}

/** A version's file index (JSON), and one file's bytes (text/plain, sandboxed), from the API. */
export function filesUrl(name: string, version: string, path?: string): string {
  const base = `/v1/packages/${namePath(name)}/${encodeURIComponent(version)}/files`;
  return path === undefined ? base : `${base}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** The package's whole dependents index (JSON, paged), from the API. */
export function dependentsUrl(name: string): string {
  return `/v1/packages/${namePath(name)}/dependents`;
}

/** The archive's download route. */
export function downloadUrl(name: string, version: string): string {
  return `/v1/packages/${namePath(name)}/${encodeURIComponent(version)}/download`;
}

/**
 * A user-given URL as a link target: an absolute http: or https: URL (normalised by the URL
 * parser), or null. Credentials in the URL are refused too (`https://user:pass@host` misleads).
 */
export function safeExternalUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password) return null;
  return url.href;
}

/**
 * Where a sign-in may send the reader back to: a path of this site (`/…`, never `//host` or
 * `/\host`, which browsers read as another host), else the home page.
 */
export function localPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f\\]/.test(raw) || raw.length > 1000) return "/";
  return raw;
}
