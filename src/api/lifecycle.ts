// The version lifecycle: yank/unyank and deprecate (owners), emergency removal and delete
// (registry administrators), and the package's audit trail.
import { z } from "zod";
import { access, route } from "./contract";
import { PackagePath, VersionPath } from "./params";
import { text } from "./text";
import { AuditEvent, named, PackageName, VersionFlags } from "./shapes";

// Shown next to a version in terminals and pages: one line, no control characters (text.ts).
export const Deprecation = z.object({
  message: text("line", { max: 1000 }).meta({ description: "an empty message clears the deprecation" }),
});
export const Reason = z.object({ reason: text("line", { min: 1, max: 1000 }) });

export const AuditTrail = named(
  "AuditTrail",
  "Every change to a package, oldest first",
  z.object({ name: PackageName, events: z.array(AuditEvent) }),
);

const flags = { 200: { description: "the version's flags", schema: VersionFlags } } as const;
const errors = ["package_not_found", "version_not_found"] as const;

export const lifecycle = {
  yank: route({
    methods: ["POST"],
    path: "/v1/packages/{scope}/{name}/{version}/yank",
    summary: "Hide a version from resolution (it still downloads)",
    tag: "lifecycle",
    access: access.token("publish", "package"),
    params: VersionPath,
    responses: flags,
    errors,
  }),
  unyank: route({
    methods: ["POST"],
    path: "/v1/packages/{scope}/{name}/{version}/unyank",
    summary: "Restore a yanked version",
    tag: "lifecycle",
    access: access.token("publish", "package"),
    params: VersionPath,
    responses: flags,
    errors,
  }),
  deprecate: route({
    methods: ["POST"],
    path: "/v1/packages/{scope}/{name}/{version}/deprecate",
    summary: "Set a deprecation message (an empty message clears it)",
    tag: "lifecycle",
    access: access.token("publish", "package"),
    params: VersionPath,
    body: { kind: "json", schema: Deprecation },
    responses: flags,
    errors,
  }),
  remove: route({
    methods: ["POST"],
    path: "/v1/packages/{scope}/{name}/{version}/remove",
    summary: "Emergency removal by a registry administrator: the version answers 410 everywhere",
    tag: "lifecycle",
    access: access.token("admin", "package"),
    params: VersionPath,
    body: { kind: "json", schema: Reason },
    responses: flags,
    errors,
  }),
  delete: route({
    methods: ["DELETE"],
    path: "/v1/packages/{scope}/{name}/{version}",
    summary: "Delete by a registry administrator: the archive is gone for good; the log entry stays",
    tag: "lifecycle",
    access: access.token("admin", "package"),
    params: VersionPath,
    body: { kind: "json", schema: Reason, optional: true },
    responses: flags,
    errors,
  }),
  audit: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/audit",
    summary: "The package's audit trail (owners and registry administrators)",
    tag: "lifecycle",
    access: access.token(null, "package"),
    params: PackagePath,
    responses: { 200: { description: "the audit trail", schema: AuditTrail } },
    errors: ["package_not_found"],
  }),
};

export type AuditTrail = z.output<typeof AuditTrail>;
