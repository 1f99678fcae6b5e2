// What crosses the wire between the Worker and a processor in a container (POST /process, POST
// /scan), as zod schemas: the one source of these types. The HTTP adapter checks every answer
// against them and the container entry every request, so neither side trusts the other's bytes.
import { z } from "zod";
import { AdvisoryView, OsvRecord } from "../advisories/wire";
import { ERROR_CODES } from "../domain/errors";
import { SHA256_HEX, utf8 } from "../util/bytes";
import { DEFAULT_LIMITS } from "./limits";
import { MAX_README_HTML_BYTES } from "./readme-html";

const sha256 = z.string().regex(SHA256_HEX);
const count = z.number().int().nonnegative();

export const ArchiveFileEntry = z.object({ path: z.string().max(DEFAULT_LIMITS.maxPathBytes), size: count, sha256 });

/** Bounded as the renderer bounds it (the Worker sanitizes it again before storing it). */
export const ReadmeHtmlSchema = z.object({
  html: z.string().refine((html) => utf8(html).length <= MAX_README_HTML_BYTES, "over the README HTML bound"),
  plainText: z.boolean(),
});

export const ProcessResultSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    /** Of the compressed bytes, as received. */
    sha256,
    size: count,
    /** What oripk.toml names. */
    name: z.string(),
    version: z.string(),
    decompressedSize: count,
    /** Every regular file, CHECKSUM included, sorted by path. */
    files: z.array(ArchiveFileEntry).max(DEFAULT_LIMITS.maxEntries),
    /** README.md rendered and sanitized, or null when the archive has none. */
    readme: ReadmeHtmlSchema.nullable(),
  }),
  z.object({
    ok: z.literal(false),
    sha256,
    size: count,
    /** The code publishing these bytes would have been refused with. */
    code: z.enum(ERROR_CODES),
    message: z.string(),
  }),
]);

export const ClosureEntrySchema = z.object({
  name: z.string(),
  version: z.string(),
  dev: z.boolean(),
  via: z.array(z.string()),
});

export const ScanRequestSchema = z.object({
  name: z.string(),
  version: z.string(),
  dependencies: z.array(ClosureEntrySchema),
  advisories: z.array(OsvRecord),
});

export const DependencyFindingSchema = ClosureEntrySchema.extend({ advisories: z.array(AdvisoryView) });

export const ScanFindingsSchema = z.object({
  advisories: z.array(AdvisoryView),
  dependencyAdvisories: z.array(DependencyFindingSchema),
});

export type ProcessResult = z.output<typeof ProcessResultSchema>;
