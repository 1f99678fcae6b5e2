// The endpoint probes: the registry calls its own public endpoints as a client would — through
// the typed client (src/client) and the same checks `ori-registry download` makes — and says
// for each whether it worked, with the status, the latency and why not. Requests go through
// `fetcher`: the Worker's own Hono app, in process (src/index.ts says why). Probed:
//   versions, metadata, download  the canary (canary.ts): listed, its sha256, bytes that match
//                                 the sha256, the ETag and Repr-Digest;
//   checkpoint                    signed by the log's key (the one this Worker signs with), and
//                                 consistent with the last checkpoint a probe verified (never
//                                 smaller, proven with the served consistency proof: the
//                                 client's LogWitness, src/log's proof code);
//   search                        answers, and finds the canary (once it had time to be indexed);
//   advisories                    the OSV query for the canary's version answers in osv.dev's
//                                 shape (no advisory names it: `{}`).
import type { Env } from "../env";
import { api } from "../api";
import { RegistryClient } from "../client/registry-client";
import { call } from "../client/call";
import { OsvVulnerabilityList } from "../advisories/wire";
import { RegistryClientError } from "../client/errors";
import { LogWitness } from "../client/consistency";
import { openTrustedCheckpoint, verifyArchive } from "../client/verify";
import { redact } from "../monitoring/redact";
import { logSigner } from "../objects/log-key";
import { CANARY_PACKAGE, CANARY_VERSION, canaryArchive } from "./canary";
import { StatusStore, type ProbeResult } from "./status-store";
import type { RouteSpec } from "../api/contract";

/** Calls the registry: a Request in, its Response out. */
export type Fetcher = (request: Request) => Promise<Response>;

/** Search gets this long after the canary's publish to index it. */
const SEARCH_GRACE_MS = 5 * 60_000;

const route = (spec: RouteSpec) => `${spec.methods[0]} ${spec.path}`;

/** Every probe, in the order a run makes them, with the route each calls. */
export const PROBES = {
  versions: route(api.packages.versions),
  metadata: route(api.packages.metadata),
  download: route(api.packages.download),
  checkpoint: route(api.log.checkpoint),
  search: route(api.search.search),
  advisories: route(api.osv.query),
} as const;

export type ProbeName = keyof typeof PROBES;

export interface ProbeFailure {
  endpoint: ProbeName;
  error: unknown;
}

export interface ProbeRun {
  results: ProbeResult[];
  /** The errors behind failed results, for error tracking. */
  failures: ProbeFailure[];
  /** True when this run published the canary. */
  publishedCanary: boolean;
}

/**
 * Runs every probe once. Never throws for a probe's failure: each failure is a result. `now`:
 * when the run started (ms), `runId`: a tag for the request ids (`probe-<runId>-<n>`).
 */
export async function runProbes(env: Env, fetcher: Fetcher, runId: string): Promise<ProbeRun> {
  let lastStatus: number | null = null;
  let n = 0;
  const viaApp = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    request.headers.set("x-request-id", `probe-${runId}-${n++}`);
    lastStatus = null;
    return fetcher(request).then((res) => {
      lastStatus = res.status;
      return res;
    });
  };
  // Reads go as an anonymous client would; a private registry needs a read token (the operator's).
  const readToken = env.PRIVATE_MODE === "true" ? (env.ADMIN_TOKEN ?? null) : null;
  const client = new RegistryClient({
    baseUrl: "https://registry.internal",
    token: readToken,
    fetch: viaApp as typeof fetch,
    userAgent: "ori-registry-probe",
  });
  const results: ProbeResult[] = [];
  const failures: ProbeFailure[] = [];
  const canary = await canaryArchive();

  const probe = async (endpoint: ProbeName, check: () => Promise<void>): Promise<boolean> => {
    const started = Date.now();
    try {
      await check();
      results.push({ endpoint, ok: true, status: lastStatus, latencyMs: Date.now() - started, error: null });
      return true;
    } catch (error) {
      const status = error instanceof RegistryClientError ? error.status : lastStatus;
      results.push({
        endpoint,
        ok: false,
        status,
        latencyMs: Date.now() - started,
        error: redact(error instanceof Error ? error.message : String(error), 300),
      });
      failures.push({ endpoint, error });
      return false;
    }
  };

  let publishedCanary = false;
  await probe("versions", async () => {
    let list;
    try {
      list = await client.versions(CANARY_PACKAGE);
    } catch (e) {
      if (!(e instanceof RegistryClientError && e.code === "package_not_found")) throw e;
      await publishCanary(env, viaApp, canary.bytes);
      publishedCanary = true;
      list = await client.versions(CANARY_PACKAGE);
    }
    const listed = list.versions.find((v) => v.version === CANARY_VERSION);
    if (!listed) throw new Error(`${CANARY_PACKAGE} lists no ${CANARY_VERSION}`);
    if (listed.sha256 !== canary.sha256)
      throw new Error(
        `${CANARY_PACKAGE}@${CANARY_VERSION} is listed with sha256 ${listed.sha256}, not the canary's ${canary.sha256}`,
      );
    if (listed.yanked || listed.removed || listed.deleted)
      throw new Error(
        `${CANARY_PACKAGE}@${CANARY_VERSION} is yanked, removed or deleted: the probes need it available`,
      );
  });

  await probe("metadata", async () => {
    const meta = await client.metadata(CANARY_PACKAGE, CANARY_VERSION);
    if (meta.sha256 !== canary.sha256)
      throw new Error(`the metadata says sha256 ${meta.sha256}, not the canary's ${canary.sha256}`);
  });

  await probe("download", async () => {
    const got = await client.download(CANARY_PACKAGE, CANARY_VERSION);
    verifyArchive(`the download of ${CANARY_PACKAGE}@${CANARY_VERSION}`, got.bytes, {
      sha256: canary.sha256,
      etag: got.etag,
      reprDigest: got.reprDigest,
    });
  });

  await probe("checkpoint", async () => {
    const verifierKey = logSigner(env).verifierKey;
    const note = await client.logCheckpoint();
    const checkpoint = openTrustedCheckpoint("the log's checkpoint", note, verifierKey);
    // Never smaller than, and provably an extension of, the last checkpoint a probe verified.
    const witness = new LogWitness(
      verifierKey,
      new StatusStore(env).checkpoints(verifierKey),
      async (from, to) => (await client.consistency(from, to)).proof,
    );
    await witness.observe(checkpoint, note);
  });

  await probe("search", async () => {
    const page = await client.search(CANARY_PACKAGE, 5);
    const found = page.results.some((r) => r.name === CANARY_PACKAGE);
    if (!found && !(await recentlyPublished(client))) throw new Error(`search for ${CANARY_PACKAGE} does not find it`);
  });

  await probe("advisories", async () => {
    await call(client.http, api.osv.query, {
      json: { package: { name: CANARY_PACKAGE, ecosystem: "Ori" }, version: CANARY_VERSION },
      what: `the advisories of ${CANARY_PACKAGE}@${CANARY_VERSION}`,
      check: OsvVulnerabilityList,
    });
  });

  return { results, failures, publishedCanary };
}

/** The canary, published with the operator token (the only one that may publish in its scope). */
async function publishCanary(
  env: Env,
  viaApp: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
  bytes: Uint8Array,
): Promise<void> {
  if (!env.ADMIN_TOKEN)
    throw new Error(`the canary ${CANARY_PACKAGE} is not published and there is no ADMIN_TOKEN to publish it with`);
  const operator = new RegistryClient({
    baseUrl: "https://registry.internal",
    token: env.ADMIN_TOKEN,
    fetch: viaApp as typeof fetch,
    userAgent: "ori-registry-probe",
  });
  await operator.publish(CANARY_PACKAGE, bytes);
}

/** Whether the canary was published less than SEARCH_GRACE_MS ago (search may not have it yet). */
async function recentlyPublished(client: RegistryClient): Promise<boolean> {
  const list = await client.versions(CANARY_PACKAGE);
  const at = list.versions.find((v) => v.version === CANARY_VERSION)?.publishedAt;
  return at !== undefined && Date.now() - Date.parse(at) < SEARCH_GRACE_MS;
}
