// A version's contents, as the pipeline after its publish derived them (docs/processing.md): the
// file index, each file's raw bytes, the README as sanitized HTML — what `ori diff` and the web
// UI's code view read — and the package's dependents (the versions of other packages that pin
// one of its versions), from its reverse-dependency index.
import { z } from "zod";
import { access, route } from "./contract";
import { PackagePath, VersionPath, packageOf } from "./params";
import { ArchiveFileEntry } from "../processing/processor-wire";
import { parseVersion } from "../domain/versions";
import { named, PackageName, Sha256Hex, VersionString } from "./shapes";

const scope = z.string().meta({ description: "`@acme` or `acme`", example: "@acme" });
const name = z.string().meta({ example: "http" });
const version = z.string().meta({ description: "SemVer 2.0", example: "1.0.0" });

/** `{path}`: the file's path in the archive, each segment percent-encoded (the handler reads it from the raw URL). */
const FilePath = z
  .object({
    scope,
    name,
    version,
    path: z
      .string()
      .meta({ description: "the file's path in the archive, e.g. `src/lib.ori`", example: "src/lib.ori" }),
  })
  .transform((p) => {
    parseVersion(p.version);
    return { pkg: packageOf(p), version: p.version };
  });

export const FileIndex = named(
  "FileIndex",
  "Every regular file of a version's archive (CHECKSUM included), sorted by path, with its size and sha256",
  z.object({
    name: PackageName,
    version: VersionString,
    sha256: Sha256Hex.meta({ description: "the archive's sha256" }),
    files: z.array(ArchiveFileEntry.meta({ id: "ArchiveFile", description: "one file of an archive" })),
  }),
);

export const ReadmePage = named(
  "ReadmePage",
  "A version's README.md rendered once, at processing, to HTML sanitized with GitHub's allowlist (no scripts, event handlers, styles; links http(s), mailto or relative; images only by http(s) URL); null when the archive has no README. `plainText`: the HTML would have been too large, and this is the README as escaped text in a <pre>",
  z.object({
    name: PackageName,
    version: VersionString,
    html: z.string().nullable(),
    plainText: z.boolean(),
  }),
);

export const DependentList = named(
  "DependentList",
  "The versions of other packages that pin one of this package's versions, in (pinned version, name, version) order, paged with `next_page_token`",
  z.object({
    name: PackageName,
    dependents: z.array(
      z.object({
        name: PackageName.meta({ description: "the package that pins it" }),
        version: VersionString.meta({ description: "its version that pins it" }),
        dependsOn: VersionString.meta({ description: "the version of this package it pins" }),
        kind: z.enum(["runtime", "dev"]),
      }),
    ),
    next_page_token: z.string().optional(),
  }),
);

const DependentsQuery = z.object({
  version: z.string().optional().meta({ description: "only the dependents of this version", example: "1.0.0" }),
  limit: z.string().optional().meta({ type: "integer", minimum: 1, maximum: 500, default: 100 }),
  page_token: z.string().optional().meta({ description: "a previous answer's `next_page_token`" }),
});

export const contents = {
  files: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/{version}/files",
    summary: "The version's file index: every file's path, size and sha256",
    tag: "packages",
    access: access.read("package"),
    params: VersionPath,
    responses: { 200: { description: "the file index", schema: FileIndex, etag: true } },
    errors: ["package_not_found", "version_not_found", "version_gone", "version_not_processed"],
  }),
  file: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/{version}/files/{path}",
    rest: "path",
    summary:
      "One file's raw bytes: text as text/plain; charset=utf-8, anything else as application/octet-stream; never rendered (nosniff, a CSP sandbox)",
    tag: "packages",
    access: access.read("package", "bulk"),
    params: FilePath,
    responses: {
      200: { description: "the file's bytes", contentType: "text/plain; charset=utf-8" },
      304: {
        description: "If-None-Match named the file's ETag (its sha256)",
        contentType: "text/plain; charset=utf-8",
      },
    },
    errors: ["package_not_found", "version_not_found", "version_gone", "version_not_processed", "file_not_found"],
  }),
  readme: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/{version}/readme",
    summary: "The version's README as sanitized HTML (rendered once, at processing), for the web UI",
    tag: "packages",
    access: access.read("package"),
    params: VersionPath,
    responses: { 200: { description: "the README", schema: ReadmePage, etag: true } },
    errors: ["package_not_found", "version_not_found", "version_gone", "version_not_processed"],
  }),
  dependents: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/dependents",
    summary: "The versions of other packages that pin this package's versions (the reverse-dependency index)",
    tag: "packages",
    access: access.read("package"),
    params: PackagePath,
    query: DependentsQuery,
    responses: { 200: { description: "a page of dependents", schema: DependentList } },
    errors: ["package_not_found", "invalid_version", "bad_request"],
  }),
};

export type FileIndex = z.output<typeof FileIndex>;
export type ReadmePage = z.output<typeof ReadmePage>;
export type DependentList = z.output<typeof DependentList>;
