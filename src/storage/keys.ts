// Every R2 object key and KV key the registry uses, built in one place.
// docs/storage.md lists each prefix with an example value; keep the two in step.

/** R2: an archive, addressed by the sha256 of its compressed bytes. Immutable. */
export const archiveKey = (sha256Hex: string): string => `archives/sha256/${sha256Hex}`;

/** R2: an archive an administrator removed in an emergency, kept out of the download path. */
export const quarantineKey = (sha256Hex: string): string => `quarantine/sha256/${sha256Hex}`;

/** R2: the transparency log's objects, laid out as tlog-tiles under `log/`. */
export const logObjectKey = (path: string): string => `log/${path}`;
export const LOG_CHECKPOINT_KEY = logObjectKey("checkpoint");

/**
 * R2: an empty marker per package (`@acme/http`) and scope (`@acme`) the log has an entry of,
 * written by the LogSequencer before the checkpoint that covers the entry (so before any publish
 * of it answers): reads of names ask here, never the sequencer (TransparencyLog.knows).
 */
export const logNameKey = (name: string): string => `names/${name}`;

/**
 * R2: an empty marker the LogSequencer writes once the name markers cover every entry it has
 * (a log older than the markers gets them by its alarm): until it exists, a marker's absence
 * proves nothing and reads of names ask the sequencer (TransparencyLog.knows).
 */
export const LOG_NAMES_COMPLETE_KEY = "names-complete";

/** KV: the version list of a package (`@scope/name`). */
export const versionListKey = (pkg: string): string => `pkg:${pkg}:versions`;

/** KV: the metadata document of one version. */
export const versionMetadataKey = (pkg: string, version: string): string => `pkg:${pkg}:v:${version}`;

/** DO names: one PackageWriter per package, one LogSequencer for the whole log. */
export const packageWriterName = (pkg: string): string => `package:${pkg}`;
export const LOG_SEQUENCER_NAME = "log";

/** KV: the principal behind a token, by the token's SHA-256 (hex). Deleted on revocation. */
export const tokenKey = (tokenSha256Hex: string): string => `token:${tokenSha256Hex}`;

/** DO names: the account directory, one ScopeOwnership per scope, one counter per limit key. */
export const ACCOUNTS_NAME = "accounts";
export const scopeOwnershipName = (scope: string): string => `scope:${scope}`;
export const rateLimitName = (key: string): string => `ratelimit:${key}`;

/** DO name: the one SearchIndex (package search, FTS5). */
export const SEARCH_INDEX_NAME = "search";

/** KV: the advisories that name a package (not withdrawn), projected by the AdvisoryDatabase. */
export const packageAdvisoriesKey = (pkg: string): string => `advisories:${pkg}`;

/** DO name: the one AdvisoryDatabase (ids, records, aliases, history). */
export const ADVISORY_DATABASE_NAME = "advisories";

/** R2: what processing derived from an archive (by its sha256): the file index, the README as HTML. */
export const fileIndexKey = (sha256Hex: string): string => `processed/sha256/${sha256Hex}/files.json`;
export const readmeHtmlKey = (sha256Hex: string): string => `processed/sha256/${sha256Hex}/readme.html`;

/** R2: a queue message that failed every retry, newest first (`<inverted ms>` sorts so). */
export const DEAD_LETTER_PREFIX = "dead-letters/";
export const deadLetterKey = (invertedMs: string, messageId: string): string =>
  `${DEAD_LETTER_PREFIX}${invertedMs}-${messageId}.json`;

/** DO names: the one StatusHistory (probe results) and the one ErrorTracker (error groups). */
export const STATUS_HISTORY_NAME = "status";
export const ERROR_TRACKER_NAME = "errors";

/** R2: the object deep health writes and reads back (its body is the time it was written). */
export const HEALTH_CHECK_KEY = "health/deep-check";
/** KV: the key deep health reads (never written: a miss shows the namespace answers). */
export const HEALTH_CHECK_KV_KEY = "health:deep-check";
/**
 * DO name of the one instance deep health asks of each per-key class (PackageWriter,
 * ScopeOwnership, RateLimitCounter): outside every name those use, and asked only reads, so it
 * writes nothing (at most an empty database, one per class, not one per name).
 */
export const HEALTH_OBJECT_NAME = "health:deep-check";

/**
 * Cache API (caches.default, one cache per Cloudflare location): the keys, as URLs of a host
 * nobody serves, so no request can name them. Archives by sha256 and full tiles are immutable;
 * a version's metadata and a package's version list are kept briefly (src/storage/edge-cache.ts).
 */
const EDGE = "https://edge-cache.ori-registry.invalid";
export const edgeArchiveKey = (sha256Hex: string): string => `${EDGE}/archives/sha256/${sha256Hex}`;
export const edgeTileKey = (path: string): string => `${EDGE}/log/${path}`;
export const edgeVersionListKey = (pkg: string): string => `${EDGE}/packages/${pkg}/versions`;
/** (A version is SemVer: its characters need no escaping in a URL path.) */
export const edgeMetadataKey = (pkg: string, version: string): string => `${EDGE}/packages/${pkg}/${version}/metadata`;

/**
 * `npm start` only: an archive's file in the directory the lean runtime serves with workerd's
 * disk service (ARCHIVE_FILES, src/storage/archive-files.ts), as a URL of that binding.
 */
export const archiveFileUrl = (sha256Hex: string): string => `http://archive-files.invalid/sha256/${sha256Hex}`;
/**
 * Its bar: written before the bytes leave R2, inside the file's own path — which makes that path a
 * directory, so one read of it tells the file from the bar, and no file can be written over it.
 */
export const archiveBarUrl = (sha256Hex: string): string => `${archiveFileUrl(sha256Hex)}/barred`;

/** KV: a web sign-in (private mode), by the SHA-256 (hex) of its cookie's secret. Expires with it. */
export const webSessionKey = (sessionSha256Hex: string): string => `session:${sessionSha256Hex}`;
