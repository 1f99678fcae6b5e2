// The Worker's bindings and settings, as declared in wrangler.jsonc. One type for the whole app.
import type { PackageWriter } from "./objects/package-writer";
import type { LogSequencer } from "./objects/log-sequencer";
import type { AccountDirectory } from "./objects/account-directory";
import type { ScopeOwnership } from "./objects/scope-ownership";
import type { RateLimitCounter } from "./objects/rate-limit-counter";
import type { SearchIndex } from "./objects/search-index";
import type { AdvisoryDatabase } from "./objects/advisory-database";
import type { ProcessorContainer } from "./objects/processor-container";
import type { StatusHistory } from "./objects/status-history";
import type { ErrorTracker } from "./objects/error-tracker";
import type { JobMessage } from "./jobs/messages";

export interface Env {
  /** Archives at archives/sha256/<hex>; log tiles and checkpoint under log/. */
  BUCKET: R2Bucket;
  /** Read projection of package data (eventually consistent across locations). */
  METADATA: KVNamespace;
  PACKAGE_WRITER: DurableObjectNamespace<PackageWriter>;
  LOG_SEQUENCER: DurableObjectNamespace<LogSequencer>;
  ACCOUNT_DIRECTORY: DurableObjectNamespace<AccountDirectory>;
  SCOPE_OWNERSHIP: DurableObjectNamespace<ScopeOwnership>;
  RATE_LIMIT_COUNTER: DurableObjectNamespace<RateLimitCounter>;
  /** Package search (one instance, SEARCH_INDEX_NAME): a projection kept fresh by the queue. */
  SEARCH_INDEX: DurableObjectNamespace<SearchIndex>;
  /** The advisory database (one instance, ADVISORY_DATABASE_NAME): ids, records, aliases, history. */
  ADVISORY_DATABASE: DurableObjectNamespace<AdvisoryDatabase>;
  /** Probe results, incidents and queue heartbeats (one instance, STATUS_HISTORY_NAME). */
  STATUS_HISTORY: DurableObjectNamespace<StatusHistory>;
  /** Error groups and samples (one instance, ERROR_TRACKER_NAME). */
  ERROR_TRACKER: DurableObjectNamespace<ErrorTracker>;
  JOBS: Queue<JobMessage>;
  /**
   * The package processor's container (container/Dockerfile), production only: the
   * `container` backend reaches the processor through it. Absent everywhere else.
   */
  PROCESSOR_CONTAINER?: DurableObjectNamespace<ProcessorContainer>;

  /**
   * `npm start` only (scripts/lean-runtime.mjs): a directory on disk served by workerd's disk
   * service, keeping archives by sha256 for downloads (src/storage/archive-files.ts). Never
   * bound on Cloudflare, where the Cache API keeps them.
   */
  ARCHIVE_FILES?: Fetcher;

  /** Operator token with every scope. Secret. */
  ADMIN_TOKEN?: string;
  /** Note signer key `PRIVATE+KEY+<origin>+<id>+<base64>`; its name is the log origin. Secret. */
  LOG_SIGNING_KEY?: string;
  /** "true" makes every read require a token with the read scope. */
  PRIVATE_MODE?: string;
  RATE_LIMIT_AUTHENTICATED_PER_MINUTE?: string;
  /** All of one account's tokens together, per minute (default 3000). */
  RATE_LIMIT_ACCOUNT_PER_MINUTE?: string;
  RATE_LIMIT_ANONYMOUS_PER_MINUTE?: string;
  RATE_LIMIT_DOWNLOADS_PER_MINUTE?: string;
  /**
   * Where the archive pipeline's processing and scanning run: "inline" (default: in this isolate)
   * or "container" (the container entry over HTTP: the PROCESSOR_CONTAINER binding, or locally
   * PROCESSOR_URL). docs/processing.md.
   */
  PROCESSING_BACKEND?: string;
  /** Local only (`npm start` with PROCESSING_BACKEND=container sets it): the container entry's URL. */
  PROCESSOR_URL?: string;
  /** Optional secret: errors are also sent to this Sentry project (`https://<key>@<host>/<id>`). */
  SENTRY_DSN?: string;
  /** A probe failing this many runs in a row raises the `probe_failing` alert (default 3). */
  PROBE_ALERT_AFTER?: string;
  /** "false" turns off the one JSON log line per request (on by default). */
  REQUEST_LOGS?: string;
  /** "true" only under `npm start` (scripts/lean-runtime.mjs): the Worker answers /cdn-cgi/local/scheduled (src/local-trigger.ts). */
  LOCAL_TRIGGERS?: string;
  /** "true" only in the test configuration: lets tests inject faults into Durable Objects. */
  ALLOW_FAULT_INJECTION?: string;
}

/** Hono's environment: bindings plus per-request variables set by middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: import("./domain/principal").Principal | null;
    /** The error code of the answer, for the request's log line (set by the error handler). */
    errorCode?: string;
  };
}
