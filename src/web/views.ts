// What the pages show from the pipeline's and monitoring's results: plain data, no imports, so
// the pages and components (and their unit tests, in Node) depend on no binding or service.

export interface FileEntry {
  path: string;
  size: number;
  sha256: string;
}

/** A version that pins one of this package's versions (the pipeline's reverse-dependency index). */
export interface Dependent {
  name: string;
  version: string;
  /** This package's version it pins. */
  pins: string;
  /** Only as a dev-dependency. */
  dev: boolean;
}

export interface DependentsPage {
  dependents: Dependent[];
  /** There are more than these (the API pages through them all). */
  more: boolean;
}

export interface LatencyPoint {
  /** The hour's start (ms). */
  at: number;
  probes: number;
  failures: number;
  p50Ms: number | null;
}

export interface EndpointView {
  endpoint: string;
  route: string | null;
  state: "up" | "failing" | "down" | "unknown";
  consecutiveFailures: number;
  last: { at: number; ok: boolean; status: number | null; latencyMs: number; error: string | null } | null;
  uptime24h: number | null;
  p50Ms24h: number | null;
  p95Ms24h: number | null;
  /** One point per hour, oldest first (the chart). */
  hourly: LatencyPoint[];
}

export interface StatusView {
  status: "operational" | "degraded" | "unknown";
  generatedAt: number;
  lastProbeAt: number | null;
  endpoints: EndpointView[];
  incidents: {
    endpoint: string;
    startedAt: number;
    endedAt: number | null;
    failures: number;
    lastError: string | null;
  }[];
}
