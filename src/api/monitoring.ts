// Monitoring beyond liveness (docs/monitoring.md): deep health, the status of the public
// endpoints as the scheduled probes saw them, and the error groups for registry admins.
import { z } from "zod";
import { RegistryError } from "../domain/errors";
import { FINGERPRINT } from "../monitoring/fingerprint";
import { access, route } from "./contract";
import { Count, named, Timestamp, Username } from "./shapes";

const DetailValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const HealthCheck = named(
  "HealthCheck",
  "One dependency: whether it answered right, how long it took, why not",
  z.object({
    name: z.string().meta({ example: "r2" }),
    ok: z.boolean(),
    critical: z
      .boolean()
      .meta({ description: "a critical check failing makes the registry down; any other, degraded" }),
    latencyMs: Count,
    reason: z.string().optional().meta({ description: "why it is not ok (only when it is not)" }),
    detail: z
      .record(z.string(), DetailValue)
      .optional()
      .meta({ description: "what it measured: ages in seconds, sizes (counts only in a public registry)" }),
  }),
);

export const DeepHealth = named(
  "DeepHealth",
  "Every dependency of the registry, checked now (or within the last few seconds), and the build that answers",
  z.object({
    status: z.enum(["ok", "degraded", "down"]),
    version: z.string().meta({ example: "0.1.0" }),
    commit: z
      .string()
      .nullable()
      .meta({ description: "the git commit the build came from, `-dirty` when it had changes" }),
    builtAt: Timestamp.nullable(),
    checkedAt: Timestamp,
    checks: z.array(HealthCheck),
  }),
);

export const WindowSummary = named(
  "WindowSummary",
  "Probe results over a window: how many, how many failed, uptime and latency percentiles (null without probes)",
  z.object({
    probes: Count,
    failures: Count,
    uptimePercent: z.number().nullable(),
    p50Ms: Count.nullable(),
    p95Ms: Count.nullable().meta({
      description: "over 7 days: the bound of the latency bucket it falls in (null past the last bucket)",
    }),
  }),
);

export const EndpointStatus = named(
  "EndpointStatus",
  "One public endpoint as the probes see it",
  z.object({
    endpoint: z.string().meta({ example: "download" }),
    route: z.string().nullable().meta({
      description: "the route the probe calls",
      example: "GET /v1/packages/{scope}/{name}/{version}/download",
    }),
    state: z
      .enum(["up", "failing", "down", "unknown"])
      .meta({ description: "failing: the last probe failed; down: the last `alertAfter` did" }),
    consecutiveFailures: Count,
    last: z
      .object({
        at: Timestamp,
        ok: z.boolean(),
        status: z.number().int().nullable(),
        latencyMs: Count,
        error: z.string().nullable(),
      })
      .nullable(),
    windows: z.object({ "1h": WindowSummary, "24h": WindowSummary, "7d": WindowSummary }),
  }),
);

export const Incident = named(
  "Incident",
  "A run of failed probes of one endpoint: from its first failure to the first success after it (null: still failing)",
  z.object({
    endpoint: z.string(),
    startedAt: Timestamp,
    endedAt: Timestamp.nullable(),
    failures: Count,
    lastError: z.string().nullable(),
  }),
);

export const StatusReport = named(
  "StatusReport",
  "How each public endpoint behaved, from the probes the registry runs on itself on a schedule",
  z.object({
    status: z
      .enum(["operational", "degraded", "unknown"])
      .meta({ description: "degraded: an endpoint's last probe failed; unknown: no probe ran yet" }),
    generatedAt: Timestamp,
    lastProbeAt: Timestamp.nullable(),
    alertAfter: Count.meta({ description: "failed runs in a row that make an endpoint down and raise an alert" }),
    endpoints: z.array(EndpointStatus),
    incidents: z.array(Incident).meta({ description: "the latest 50 of the last 7 days, newest first" }),
  }),
);

const ErrorKind = z.enum(["route", "job", "alarm", "probe", "scheduled"]);

export const ErrorGroup = named(
  "ErrorGroup",
  "Every occurrence of one kind of error: same class, code, place (route template, job, probe, alarm) and top frame",
  z.object({
    fingerprint: z.string().meta({ example: "3f2a9c1d4e5b6a70" }),
    kind: ErrorKind,
    where: z.string().meta({ example: "GET /v1/packages/{scope}/{name}/versions" }),
    errorClass: z.string(),
    code: z.string().nullable(),
    frame: z.string().nullable().meta({ description: "the top frame of the project's own code, without line numbers" }),
    firstSeen: Timestamp,
    lastSeen: Timestamp,
    count: Count,
    status: z.enum(["open", "resolved"]),
    resolvedAt: Timestamp.nullable(),
    resolvedBy: Username.nullable(),
    lastMessage: z.string().meta({ description: "redacted: no token, credential, e-mail or IP address" }),
    lastRequestId: z.string().nullable(),
  }),
);

export const ErrorSample = named(
  "ErrorSample",
  "One recent occurrence of an error group (redacted)",
  z.object({
    at: Timestamp,
    requestId: z.string().nullable(),
    status: z.number().int().nullable(),
    message: z.string(),
    stack: z.array(z.string()),
  }),
);

export const ErrorGroupList = named(
  "ErrorGroupList",
  "Error groups, most recently seen first",
  z.object({ groups: z.array(ErrorGroup) }),
);
export const ErrorGroupDetail = named(
  "ErrorGroupDetail",
  "An error group with its latest samples (at most 20), newest first",
  z.object({ group: ErrorGroup, samples: z.array(ErrorSample) }),
);

/** `?status=open|resolved&limit=1..200` (default: every status, 50). */
export const ErrorListQuery = z
  .object({
    status: z.enum(["open", "resolved"], { error: "status is open or resolved" }).optional(),
    limit: z.string().optional().meta({ type: "integer", minimum: 1, maximum: 200, default: 50 }),
  })
  .transform((q) => {
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200)
      throw new RegistryError("bad_request", "limit is a whole number from 1 to 200");
    return { status: q.status ?? null, limit };
  });

/** A fingerprint is 16 lowercase hex; anything else names no group (and is never echoed). */
const FingerprintPath = z.object({ fingerprint: z.string().meta({ example: "3f2a9c1d4e5b6a70" }) }).transform((p) => {
  if (!FINGERPRINT.test(p.fingerprint)) throw new RegistryError("not_found", "no such error group");
  return p;
});

export const monitoring = {
  deepHealth: route({
    methods: ["GET"],
    path: "/v1/health/deep",
    summary:
      "Deep health: R2, KV, every Durable Object class, the queue, the log, search, the advisory database — each with ok, latency and a reason; ok/degraded (200) or down (503); cached a few seconds",
    tag: "monitoring",
    access: access.anyone(),
    responses: {
      200: { description: "ok or degraded", schema: DeepHealth },
      503: { description: "down: a critical dependency failed", schema: DeepHealth },
    },
  }),
  status: route({
    methods: ["GET"],
    path: "/v1/status",
    summary:
      "Each public endpoint's current state, uptime and p50/p95 latency over 1 h, 24 h and 7 days, and the incidents, from the registry's scheduled probes",
    tag: "monitoring",
    access: access.anyone(),
    responses: { 200: { description: "the status", schema: StatusReport } },
  }),
  errors: route({
    methods: ["GET"],
    path: "/v1/admin/errors",
    summary:
      "Error groups (every 5xx and unhandled error of routes, jobs, alarms and probes), most recently seen first; registry administrators",
    tag: "monitoring",
    access: access.registryAdmin(),
    query: ErrorListQuery,
    responses: { 200: { description: "the groups", schema: ErrorGroupList } },
    errors: ["bad_request"],
  }),
  errorGroup: route({
    methods: ["GET"],
    path: "/v1/admin/errors/{fingerprint}",
    summary: "One error group with its latest samples; registry administrators",
    tag: "monitoring",
    access: access.registryAdmin(),
    params: FingerprintPath,
    responses: { 200: { description: "the group and its samples", schema: ErrorGroupDetail } },
    errors: ["not_found"],
  }),
  resolveError: route({
    methods: ["POST"],
    path: "/v1/admin/errors/{fingerprint}/resolve",
    summary: "Mark an error group resolved (it reopens when the error happens again); registry administrators",
    tag: "monitoring",
    access: access.registryAdmin(),
    params: FingerprintPath,
    responses: { 200: { description: "the resolved group", schema: ErrorGroup } },
    errors: ["not_found"],
  }),
};

export type DeepHealth = z.output<typeof DeepHealth>;
export type StatusReport = z.output<typeof StatusReport>;
export type ErrorGroup = z.output<typeof ErrorGroup>;
export type ErrorGroupList = z.output<typeof ErrorGroupList>;
export type ErrorGroupDetail = z.output<typeof ErrorGroupDetail>;
