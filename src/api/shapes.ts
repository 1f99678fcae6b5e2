// The shapes several routes share, each a named schema (`id`) that the OpenAPI document lists
// under `components.schemas` and every route refers to: a version, a package's version list,
// a version's metadata, a log receipt, a token, an account, a scope member, an error (also in
// osv.dev's form). The advisory shapes are in src/advisories/wire.ts. The
// Worker types its answers with them and the client checks answers against them.
import { z } from "zod";
import { TOKEN_SCOPES } from "../domain/access";
import { ERROR_CODES } from "../domain/errors";
import { AdvisoryView } from "../advisories/wire";
import { DependencyFindingSchema } from "../processing/processor-wire";
import { SHA256_HEX } from "../util/bytes";

/** A schema listed under `components.schemas` as `id`. */
export function named<S extends z.ZodType>(id: string, description: string, schema: S): S {
  return schema.meta({ id, description });
}

export const Sha256Hex = z.string().regex(SHA256_HEX, "a lowercase sha256 hex digest").meta({
  description: "lowercase hex SHA-256",
  example: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
});
/** A log index, a tree size or a byte count. */
export const Count = z.number().int().nonnegative();
export const Timestamp = z.iso.datetime().meta({ example: "2026-11-28T12:00:00.000Z" });
export const PackageName = z.string().meta({ description: "`@scope/name`", example: "@acme/http" });
export const VersionString = z.string().meta({ description: "SemVer 2.0 without build metadata", example: "1.0.0" });
export const Username = z.string().meta({ example: "alice" });
export const TokenScope = z.enum(TOKEN_SCOPES);

const ErrorObject = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

export const ErrorBody = named(
  "Error",
  "Every error answer: a stable code (docs/errors.md) and a message for people",
  z.object({ error: ErrorObject }),
);

export const OsvErrorBody = named(
  "OsvError",
  "An error answer of the OSV-compatible routes: osv.dev's gRPC status (`code`, a google.rpc.Code; `message`) beside the registry's own `error`",
  z.object({ code: z.number().int(), message: z.string(), error: ErrorObject }),
);

export const VersionSummary = named(
  "Version",
  "One version as a version list shows it",
  z.object({
    version: VersionString,
    sha256: Sha256Hex,
    size: Count,
    publishedAt: Timestamp,
    logIndex: Count,
    yanked: z.boolean(),
    deprecated: z.string().nullable(),
    removed: z.boolean(),
    deleted: z.boolean(),
    advisories: z.array(z.string()).meta({ description: "the ids of the advisories affecting this version" }),
  }),
);

export const VersionList = named(
  "VersionList",
  "Every version of a package in SemVer precedence order, oldest first; `latest` is the highest available stable version (a pre-release only while there is no stable one)",
  z.object({ name: PackageName, latest: VersionString.nullable(), versions: z.array(VersionSummary) }),
);

export const RemovalInfo = named(
  "Removal",
  "Who removed or deleted a version, when and why",
  z.object({ reason: z.string(), at: Timestamp, by: Username }),
);

export const Dependency = named(
  "Dependency",
  "A registry dependency pinned at one exact version",
  z.object({ name: PackageName, version: VersionString, features: z.array(z.string()), defaultFeatures: z.boolean() }),
);

export const StdDependency = named(
  "StdDependency",
  "A bundled std module, pinned or the one bundled with Ori (null)",
  z.object({ name: z.string(), version: z.string().nullable() }),
);

const stepFields = {
  status: z.enum(["pending", "done", "failed"]),
  at: Timestamp,
  reason: z.string().nullable().meta({ description: "why it failed (null unless failed)" }),
};

export const PipelineStep = named(
  "PipelineStep",
  "Where one step of the pipeline after a publish is: pending until a queue job finishes it, done, or failed with the reason; `at` is when it got there",
  z.object(stepFields),
);

export const ScanStep = named(
  "ScanStep",
  "The advisory scan's state; `revision` is the advisory database's revision the findings were read at, `advisories` the ids the scan found for the version itself (the live list is the metadata's `advisories`)",
  z.object({ ...stepFields, revision: Count.nullable(), advisories: z.array(z.string()) }),
);

export const DependencyAdvisory = named(
  "DependencyAdvisory",
  "A version of the dependency closure that advisories affect: `via` is the path of versions from this one (empty for a direct pin), `dev` true when only a dev-dependency reaches it",
  DependencyFindingSchema,
);

export const VersionMetadata = named(
  "VersionMetadata",
  "One version's manifest fields, dependencies, checksum, log position and lifecycle",
  z.object({
    name: PackageName,
    version: VersionString,
    description: z.string(),
    license: z.string().nullable(),
    authors: z.array(z.string()),
    repository: z.string().nullable(),
    homepage: z.string().nullable(),
    documentation: z.string().nullable(),
    funding: z.string().nullable(),
    keywords: z.array(z.string()),
    categories: z.array(z.string()),
    edition: z.string().nullable(),
    ori: z.string(),
    entry: z.object({ lib: z.string().nullable(), main: z.string().nullable() }),
    dependencies: z.array(Dependency),
    devDependencies: z.array(Dependency),
    stdDependencies: z.array(StdDependency),
    devStdDependencies: z.array(StdDependency),
    features: z.record(z.string(), z.array(z.string())),
    prerelease: z.boolean(),
    sha256: Sha256Hex,
    size: Count,
    publishedAt: Timestamp,
    publishedBy: Username,
    logIndex: Count,
    yanked: z.boolean(),
    deprecated: z.string().nullable(),
    removed: RemovalInfo.nullable(),
    deleted: RemovalInfo.nullable(),
    readme: z.string().nullable(),
    advisories: z.array(AdvisoryView).meta({
      description: "the advisories affecting this version, highest score first, from the current advisory database",
    }),
    processing: PipelineStep.nullable().meta({
      description:
        "the archive's processing (file index, README HTML); null for versions published before the pipeline",
    }),
    scan: ScanStep.nullable().meta({
      description: "the advisory scan; null for versions published before the pipeline",
    }),
    dependencyAdvisories: z.array(DependencyAdvisory).meta({
      description: "from the last scan: the dependencies (transitive ones included) that advisories affect",
    }),
  }),
);

export const LogReceipt = named(
  "LogReceipt",
  "A log entry with its index and an inclusion proof against a signed checkpoint (C2SP signed note); `tlogProof` is the same proof in the C2SP tlog-proof text format",
  z.object({
    index: Count,
    entry: z.string().meta({ description: "`<name> <version> sha256:<hex>\\n`" }),
    treeSize: Count,
    checkpoint: z.string(),
    proof: z.array(z.string()).meta({ description: "inclusion proof hashes, base64, from the leaf's sibling up" }),
    tlogProof: z.string(),
  }),
);

export const VersionFlags = named(
  "VersionFlags",
  "A version's lifecycle flags after a yank, unyank, deprecation, removal or delete",
  z.object({
    name: PackageName,
    version: VersionString,
    yanked: z.boolean(),
    deprecated: z.string().nullable(),
    removed: RemovalInfo.nullable(),
    deleted: RemovalInfo.nullable(),
  }),
);

export const Token = named(
  "Token",
  "A token as listed (never its secret)",
  z.object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(TokenScope),
    packages: z.array(z.string()).nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
  }),
);

export const CreatedToken = named(
  "CreatedToken",
  "A new token with its secret, shown once",
  Token.extend({ token: z.string().meta({ description: "the secret `ori_…`" }) }),
);

export const User = named(
  "User",
  "An account",
  z.object({ username: Username, isAdmin: z.boolean(), createdAt: Timestamp }),
);

export const ScopeMember = named(
  "ScopeMember",
  "A scope's owner or member",
  z.object({ username: Username, role: z.enum(["owner", "member"]), addedAt: Timestamp }),
);

export const PendingTransfer = named(
  "PendingTransfer",
  "A transfer offered and not yet accepted",
  z.object({ from: Username, to: Username, offeredAt: Timestamp }),
);

export const AuditEvent = named(
  "AuditEvent",
  "One change to a package: who, when, what",
  z.object({
    at: Timestamp,
    actor: Username,
    action: z.string(),
    version: VersionString.nullable(),
    details: z.record(z.string(), z.unknown()),
  }),
);

export const SearchHit = named(
  "SearchHit",
  "A package found by search: its latest listed version's fields and the relevance (higher is better)",
  z.object({
    name: PackageName,
    version: VersionString,
    description: z.string(),
    keywords: z.array(z.string()),
    deprecated: z.string().nullable(),
    score: z.number(),
  }),
);

// The types of the shapes, for callers (the client, the CLI): one source, the schemas above.
export type ErrorBody = z.output<typeof ErrorBody>;
export type OsvErrorBody = z.output<typeof OsvErrorBody>;
export type VersionSummary = z.output<typeof VersionSummary>;
export type VersionList = z.output<typeof VersionList>;
export type RemovalInfo = z.output<typeof RemovalInfo>;
export type Dependency = z.output<typeof Dependency>;
export type StdDependency = z.output<typeof StdDependency>;
export type VersionMetadata = z.output<typeof VersionMetadata>;
export type LogReceipt = z.output<typeof LogReceipt>;
export type VersionFlags = z.output<typeof VersionFlags>;
export type Token = z.output<typeof Token>;
export type CreatedToken = z.output<typeof CreatedToken>;
export type User = z.output<typeof User>;
export type ScopeMember = z.output<typeof ScopeMember>;
export type PendingTransfer = z.output<typeof PendingTransfer>;
export type AuditEvent = z.output<typeof AuditEvent>;
export type SearchHit = z.output<typeof SearchHit>;
export type PipelineStep = z.output<typeof PipelineStep>;
export type ScanStep = z.output<typeof ScanStep>;
export type DependencyAdvisory = z.output<typeof DependencyAdvisory>;
