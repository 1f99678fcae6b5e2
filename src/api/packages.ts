// Packages: publish a version, read a package's versions and a version's metadata, download
// an archive.
import { z } from "zod";
import { access, route } from "./contract";
import { PackagePath, VersionPath } from "./params";
import {
  named,
  LogReceipt,
  PackageName,
  Sha256Hex,
  Count,
  Timestamp,
  VersionList,
  VersionMetadata,
  VersionString,
} from "./shapes";

export const PublishResult = named(
  "PublishResult",
  "A published version with its log receipt",
  z.object({
    name: PackageName,
    version: VersionString,
    sha256: Sha256Hex,
    size: Count,
    created: z.boolean(),
    publishedAt: Timestamp,
    log: LogReceipt,
  }),
);

export const packages = {
  publish: route({
    methods: ["POST"],
    path: "/v1/packages/{scope}/{name}/publish",
    summary: "Publish a version: raw application/gzip body, or multipart/form-data with the field `archive`",
    tag: "packages",
    access: access.token("publish", "package"),
    params: PackagePath,
    body: { kind: "archive", description: "the .oripk archive (compressed)" },
    responses: {
      201: { description: "published", schema: PublishResult },
      200: { description: "the same bytes were already published", schema: PublishResult },
    },
    errors: [
      "dependency_not_exact",
      "invalid_lockfile",
      "lockfile_mismatch",
      "dependency_not_found",
      "version_exists",
      "version_gone",
      "archive_too_large",
      "unsupported_media_type",
    ],
  }),
  versions: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/versions",
    summary: "Every version in SemVer precedence order with checksums and lifecycle flags, and `latest`",
    tag: "packages",
    access: access.read("package"),
    params: PackagePath,
    responses: { 200: { description: "the version list", schema: VersionList, etag: true } },
    errors: ["package_not_found"],
  }),
  metadata: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/{version}/metadata",
    summary:
      "A version's manifest fields, dependencies and devDependencies, std modules, features, sha256, size and log index",
    tag: "packages",
    access: access.read("package"),
    params: VersionPath,
    responses: { 200: { description: "the version's metadata", schema: VersionMetadata, etag: true } },
    errors: ["package_not_found", "version_not_found", "version_gone"],
  }),
  download: route({
    methods: ["GET", "HEAD"],
    path: "/v1/packages/{scope}/{name}/{version}/download",
    summary: "The archive: immutable caching, ETag, Repr-Digest, 304 on If-None-Match; 410 when removed",
    tag: "packages",
    access: access.read("package", "bulk"),
    params: VersionPath,
    responses: {
      200: { description: "the archive's bytes (HEAD: its headers)", contentType: "application/gzip" },
      304: { description: "If-None-Match named the archive's ETag", contentType: "application/gzip" },
    },
    errors: ["package_not_found", "version_not_found", "version_gone"],
  }),
};

export type PublishResult = z.output<typeof PublishResult>;
