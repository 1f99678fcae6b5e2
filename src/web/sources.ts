// What the web UI needs from work that lands beside it, as small ports: the processing
// pipeline's per-version results (issue 14: the sanitized README HTML, the file index, the
// dependents) and the monitoring's probe history (issue 15). Each page shows what its source
// has; "not yet" is an answer (null), never an error, so a page never waits on a job.
import type { Env } from "../env";
import { PROBES } from "../services/probes";
import { alertAfter } from "../services/scheduled";
import { StatusStore } from "../services/status-store";
import type { DependentsPage, EndpointView, FileEntry, StatusView } from "./views";

/** The pipeline's results for one version. */
export interface VersionInsights {
  /** The README as HTML that went through the sanitizer, or null (none yet, or no README). */
  readmeHtml(pkg: string, version: string): Promise<string | null>;
  /** Every file of the archive, or null until the version is processed. */
  files(pkg: string, version: string): Promise<FileEntry[] | null>;
  /** The versions that pin a version of this package, or null where there is no index yet. */
  dependents(pkg: string, limit: number): Promise<DependentsPage | null>;
}

/** The probes' history, as the status page shows it (null: no history to show). */
export interface StatusSource {
  status(now: number): Promise<StatusView | null>;
}

export interface WebSources {
  insights: VersionInsights;
  status: StatusSource;
}

/** Until the pipeline lands: nothing processed yet (the page shows the README's Markdown as text). */
export const NO_INSIGHTS: VersionInsights = {
  readmeHtml: () => Promise.resolve(null),
  files: () => Promise.resolve(null),
  dependents: () => Promise.resolve(null),
};

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
  return { insights: NO_INSIGHTS, status: probeStatus(env) };
}
