// Deep health, the probes' status page and the error groups (docs/monitoring.md). The work is
// in services: deep-health.ts, status-store.ts (the StatusHistory), error-groups.ts (the ErrorTracker).
import { api } from "../../api";
import type { StatusReport } from "../../api/monitoring";
import { RegistryError } from "../../domain/errors";
import type { ErrorGroupRecord } from "../../objects/error-tracker";
import { summarize } from "../../monitoring/status-stats";
import { deepHealth } from "../../services/deep-health";
import { ErrorGroups } from "../../services/error-groups";
import { PROBES } from "../../services/probes";
import { alertAfter } from "../../services/scheduled";
import { StatusStore } from "../../services/status-store";
import { requireAdmin } from "../middleware/auth";
import { implement } from "../implement";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export const monitoringRoutes = implement(api.monitoring, {
  deepHealth: async (c) => {
    const { report } = await deepHealth(c.env);
    c.header("Cache-Control", "no-store");
    return { status: report.status === "down" ? 503 : 200, body: report };
  },

  status: async (c) => {
    const now = Date.now();
    const n = alertAfter(c.env);
    const data = await new StatusStore(c.env).status(now, n);
    const byName = new Map(data.endpoints.map((e) => [e.endpoint, e]));
    const empty = summarize([]);
    const names = [...Object.keys(PROBES), ...data.endpoints.map((e) => e.endpoint).filter((e) => !(e in PROBES))];
    const endpoints: StatusReport["endpoints"] = names.map((name) => {
      const e = byName.get(name);
      const route = PROBES[name as keyof typeof PROBES] ?? null;
      if (!e)
        return {
          endpoint: name,
          route,
          state: "unknown",
          consecutiveFailures: 0,
          last: null,
          windows: { "1h": empty, "24h": empty, "7d": empty },
        };
      return {
        endpoint: name,
        route,
        state: e.state,
        consecutiveFailures: e.consecutiveFailures,
        last: e.last && { ...e.last, at: iso(e.last.at) },
        windows: e.windows,
      };
    });
    const overall: StatusReport["status"] =
      data.lastProbeAt === null
        ? "unknown"
        : endpoints.some((e) => e.state === "failing" || e.state === "down")
          ? "degraded"
          : "operational";
    c.header("Cache-Control", "no-store");
    return {
      status: 200,
      body: {
        status: overall,
        generatedAt: iso(now),
        lastProbeAt: isoOrNull(data.lastProbeAt),
        alertAfter: n,
        endpoints,
        incidents: data.incidents.map((i) => ({ ...i, startedAt: iso(i.startedAt), endedAt: isoOrNull(i.endedAt) })),
      },
    };
  },

  errors: async (c, { query: { status, limit } }) => ({
    status: 200,
    body: { groups: (await new ErrorGroups(c.env).list(status, limit)).map(wireGroup) },
  }),

  errorGroup: async (c, { params: { fingerprint } }) => {
    const found = await new ErrorGroups(c.env).find(fingerprint);
    if (!found) throw new RegistryError("not_found", "no such error group");
    return {
      status: 200,
      body: { group: wireGroup(found.group), samples: found.samples.map((s) => ({ ...s, at: iso(s.at) })) },
    };
  },

  resolveError: async (c, { params: { fingerprint } }) => {
    const resolved = await new ErrorGroups(c.env).resolve(fingerprint, requireAdmin(c).username);
    if (!resolved) throw new RegistryError("not_found", "no such error group");
    return { status: 200, body: wireGroup(resolved) };
  },
});

function wireGroup(g: ErrorGroupRecord) {
  return { ...g, firstSeen: iso(g.firstSeen), lastSeen: iso(g.lastSeen), resolvedAt: isoOrNull(g.resolvedAt) };
}
