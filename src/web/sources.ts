// What the web UI reads from the parts that work after a publish, as small ports: the processing
// pipeline's results (docs/processing.md: the sanitized README HTML, the file index, the
// dependents index) and the monitoring's probe history (docs/monitoring.md). Each page shows
// what its source has; "not processed yet" is an answer (null), never an error, so a page never
// waits on a job.
import type { Env } from "../env";
import type { PackageLimit } from "../advisories/visibility";
import { RegistryError } from "../domain/errors";
import type { VersionRecord } from "../domain/package-records";
import { dependentsOf, fileIndexOf, readmeOf } from "../services/package-contents";
import { PROBES } from "../services/probes";
import { alertAfter } from "../services/scheduled";
import { StatusStore } from "../services/status-store";
import type { DependentsPage, EndpointView, FileEntry, StatusView } from "./views";

/** The pipeline's results for a version, and its package's dependents. */
export interface VersionInsights {
  /** The README as the sanitizer's HTML; null until processed, if processing failed, or with no README. */
  readmeHtml(record: VersionRecord): Promise<string | null>;
  /** Every file of the archive; null until the version is processed (or if it could not be). */
  files(record: VersionRecord): Promise<FileEntry[] | null>;
  /** The first `limit` versions that pin a version of `pkg`, of those the reader may see. */
  dependents(pkg: string, limit: number, reader: PackageLimit): Promise<DependentsPage>;
}

/** The probes' history, as the status page shows it (null: no history to show). */
export interface StatusSource {
  status(now: number): Promise<StatusView | null>;
}

export interface WebSources {
  insights: VersionInsights;
  status: StatusSource;
}

/** The pipeline's stores, through the services the API's contents routes use. */
export function pipelineInsights(env: Env): VersionInsights {
  return {
    readmeHtml: (record) => unlessUnprocessed(readmeOf(env, record).then((r) => r?.html ?? null)),
    files: (record) => unlessUnprocessed(fileIndexOf(env, record)),
    async dependents(pkg, limit, reader) {
      const page = await dependentsOf(env, pkg, { version: null, limit, pageToken: null }, reader);
      return {
        dependents: page.dependents.map((d) => ({
          name: d.name,
          version: d.dependentVersion,
          pins: d.version,
          dev: d.kind === "dev",
        })),
        more: page.next !== null,
      };
    },
  };
}

/** A version not processed yet (or that could not be) has no README HTML or files to show: null. */
async function unlessUnprocessed<T>(result: Promise<T>): Promise<T | null> {
  try {
    return await result;
  } catch (err) {
    if (err instanceof RegistryError && err.code === "version_not_processed") return null;
    throw err;
  }
}

/** The StatusHistory the scheduled probes write (docs/monitoring.md), as the status page shows it. */
export function probeStatus(env: Env): StatusSource {
  return {
    async status(now) {
      const store = new StatusStore(env);
      const [data, hourly] = await Promise.all([store.status(now, alertAfter(env)), store.hourlyLatency(now)]);
      const byName = new Map(data.endpoints.map((e) => [e.endpoint, e]));
      // Every probe the registry runs, in its order, probed yet or not; then any older endpoint.
      const names = [...Object.keys(PROBES), ...data.endpoints.map((e) => e.endpoint).filter((e) => !(e in PROBES))];
      const endpoints = names.map((name): EndpointView => {
        const e = byName.get(name);
        const day = e?.windows["24h"];
        return {
          endpoint: name,
          route: PROBES[name as keyof typeof PROBES] ?? null,
          state: e?.state ?? "unknown",
          consecutiveFailures: e?.consecutiveFailures ?? 0,
          last: e?.last ?? null,
          uptime24h: day?.uptimePercent ?? null,
          p50Ms24h: day?.p50Ms ?? null,
          p95Ms24h: day?.p95Ms ?? null,
          hourly: hourly.filter((h) => h.endpoint === name),
        };
      });
      const status =
        data.lastProbeAt === null
          ? "unknown"
          : endpoints.some((e) => e.state === "failing" || e.state === "down")
            ? "degraded"
            : "operational";
      return { status, generatedAt: now, lastProbeAt: data.lastProbeAt, endpoints, incidents: data.incidents };
    },
  };
}

/** The sources the pages read, for this Worker's bindings. */
export function webSources(env: Env): WebSources {
  return { insights: pipelineInsights(env), status: probeStatus(env) };
}
