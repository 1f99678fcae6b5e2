// A version's contents (contract: src/api/contents.ts): the file index, a file's raw bytes, the
// README as sanitized HTML, and the package's dependents. Raw bytes are never rendered: text is
// text/plain with nosniff and a CSP sandbox, anything else a download.
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { api } from "../../api";
import { RegistryError } from "../../domain/errors";
import type { VersionRecord } from "../../domain/package-records";
import { parseVersion } from "../../domain/versions";
import { PackageReader } from "../../services/package-reader";
import { requireLoggedPackage } from "../../services/package-access";
import { dependentsOf, fileBytes, fileEntryOf, fileIndexOf, readmeOf } from "../../services/package-contents";
import { fromUtf8, hexToBase64 } from "../../util/bytes";
import { readerLimit } from "../advisory-access";
import { matchesIfNoneMatch } from "../conditional";
import { implement } from "../implement";

export const contentRoutes = implement(api.contents, {
  files: async (c, { params: { pkg, version } }) => {
    const record = await available(c, pkg, version);
    return {
      status: 200,
      body: {
        name: record.name,
        version: record.version,
        sha256: record.sha256,
        files: await fileIndexOf(c.env, record),
      },
    };
  },

  file: async (c, { params: { pkg, version } }) => {
    const record = await available(c, pkg, version);
    const entry = await fileEntryOf(c.env, record, restOfPath(c));
    const etag = `"${entry.sha256}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      "Cache-Control": "public, max-age=31536000, immutable",
      "Repr-Digest": `sha-256=:${hexToBase64(entry.sha256)}:`,
      "X-Content-Type-Options": "nosniff",
      // Whatever a browser makes of the bytes, they run nothing and load nothing.
      "Content-Security-Policy": "sandbox; default-src 'none'",
    };
    if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
    const bytes = await fileBytes(c.env, record, entry);
    const text = !bytes.includes(0) && fromUtf8(bytes) !== null;
    const base = entry.path.slice(entry.path.lastIndexOf("/") + 1).replace(/[^A-Za-z0-9._-]/g, "_");
    return new Response(bytes, {
      status: 200,
      headers: {
        ...headers,
        "Content-Type": text ? "text/plain; charset=utf-8" : "application/octet-stream",
        "Content-Disposition": text ? "inline" : `attachment; filename="${base}"`,
        "Content-Length": String(bytes.length),
      },
    });
  },

  readme: async (c, { params: { pkg, version } }) => {
    const record = await available(c, pkg, version);
    const readme = await readmeOf(c.env, record);
    return {
      status: 200,
      body: {
        name: record.name,
        version: record.version,
        html: readme?.html ?? null,
        plainText: readme?.plainText ?? false,
      },
    };
  },

  dependents: async (c, { params: { pkg }, query }) => {
    await requireLoggedPackage(c.env, pkg);
    if (query.version !== undefined) parseVersion(query.version);
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new RegistryError("bad_request", "limit must be an integer from 1 to 500");
    const page = await dependentsOf(
      c.env,
      pkg,
      { version: query.version ?? null, limit, pageToken: query.page_token ?? null },
      readerLimit(c),
    );
    return {
      status: 200,
      body: {
        name: pkg,
        dependents: page.dependents.map((d) => ({
          name: d.name,
          version: d.dependentVersion,
          dependsOn: d.version,
          kind: d.kind,
        })),
        ...(page.next ? { next_page_token: page.next } : {}),
      },
    };
  },
});

/** The version, unless an administrator removed or deleted it (410, as its download). */
async function available(c: Context<AppEnv>, pkg: string, version: string): Promise<VersionRecord> {
  const record = await new PackageReader(c.env, c.executionCtx).version(pkg, version);
  const gone = record.removed ?? record.deleted;
  if (gone)
    throw new RegistryError(
      "version_gone",
      `${record.name}@${record.version} was ${record.removed ? "removed" : "deleted"} by an administrator: ${gone.reason}`,
    );
  return record;
}

/**
 * The file path after `…/{version}/files/`, from the raw URL, each segment percent-decoded once
 * (a name may hold `%`, `#` or spaces: the client encodes each segment).
 */
function restOfPath(c: Context<AppEnv>): string {
  const segments = new URL(c.req.url).pathname.split("/").slice(7);
  try {
    return segments.map((s) => decodeURIComponent(s)).join("/");
  } catch {
    throw new RegistryError("bad_request", "the file path is not valid percent-encoded UTF-8");
  }
}
