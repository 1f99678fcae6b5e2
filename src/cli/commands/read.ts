// Read-only commands: `search` and `info` (one version's metadata, or a package's versions
// with the latest version's metadata).
import { compareVersions, latestOf } from "../../domain/versions";
import type { VersionList, VersionMetadata, VersionSummary } from "../../api/shapes";
import type { CommandSpec } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../exit-codes";
import { fields, formatBytes, oneLine, table } from "../output";
import { packageVersionArgs } from "./spec";
import { fixLabel, severityLabel } from "../advisory-format";
import { SEARCH_LIMITS } from "../../domain/search";

export const search: CommandSpec = {
  path: ["search"],
  args: "<query>",
  summary: "search packages by name, description and keywords",
  positionals: { min: 1, max: Infinity },
  options: {
    limit: { type: "string", value: "<n>", description: "at most this many results" },
    offset: { type: "string", value: "<n>", description: "skip this many results (the next page)" },
  },
  async run(ctx, { args, opts }) {
    const limit = stringOpt(opts, "limit");
    if (limit !== undefined && !/^[1-9]\d*$/.test(limit)) throw new UsageError("--limit takes a positive whole number");
    const offset = stringOpt(opts, "offset");
    if (offset !== undefined && !/^\d+$/.test(offset)) throw new UsageError("--offset takes a whole number");
    const q = args.join(" ");
    const from = offset ? Number(offset) : 0;
    const data = await ctx.client().search(q, limit ? Number(limit) : undefined, offset ? from : undefined);
    const hits = data.results;
    const rows = hits.map((h) => [
      h.name,
      h.version,
      `${h.deprecated ? "[deprecated] " : ""}${h.description}`.slice(0, 60),
    ]);
    const more =
      data.total > hits.length && hits.length > 0
        ? `\n(${from + 1}–${from + hits.length} of ${data.total} matches${from + hits.length < data.total && from + hits.length <= SEARCH_LIMITS.maxOffset ? `; next page: --offset ${from + hits.length}` : ""})`
        : "";
    return {
      data,
      human: hits.length
        ? `${table([["NAME", "LATEST", "DESCRIPTION"], ...rows])}${more}`
        : `No packages match "${q}".`,
    };
  },
};

export const info: CommandSpec = {
  path: ["info"],
  args: "<package> [version]",
  summary: "show a version's metadata, or a package's versions",
  positionals: { min: 1, max: 2 },
  async run(ctx, { args }) {
    const { pkg, version } = packageVersionArgs(args, { versionOptional: true });
    const client = ctx.client();
    if (version !== null) {
      const meta = await client.metadata(pkg, version);
      return { data: meta, human: describeVersion(meta) };
    }
    const list = await client.versions(pkg);
    const latest = latestVersion(list);
    const meta = latest ? await client.metadata(pkg, latest.version) : null;
    return {
      data: { ...list, latest: meta },
      human: [meta ? describeVersion(meta) : `${pkg}: no available version`, "", versionTable(list)].join("\n"),
    };
  },
};

/**
 * The latest version that is neither yanked, removed nor deleted (else the latest that is not
 * removed or deleted): the highest stable one while there is one (`latestOf`).
 */
export function latestVersion(list: VersionList): VersionSummary | null {
  const version = (v: VersionSummary) => v.version;
  return (
    latestOf(
      list.versions.filter((v) => !v.yanked && !v.removed && !v.deleted),
      version,
    ) ??
    latestOf(
      list.versions.filter((v) => !v.removed && !v.deleted),
      version,
    )
  );
}

function describeVersion(meta: VersionMetadata): string {
  // A registry older than these fields leaves them out.
  const m = {
    ...meta,
    entry: meta.entry ?? { lib: null, main: null },
    devDependencies: meta.devDependencies ?? [],
    stdDependencies: meta.stdDependencies ?? [],
    advisories: meta.advisories ?? [],
  };
  const flags = [
    m.prerelease ? "pre-release" : "",
    m.yanked ? "YANKED" : "",
    m.deprecated ? `DEPRECATED: ${m.deprecated}` : "",
  ].filter(Boolean);
  const deps = (list: VersionMetadata["dependencies"]) =>
    list.map(
      (d) =>
        `${d.name}@${d.version}${d.features.length ? ` [${d.features.join(", ")}]` : ""}${d.defaultFeatures ? "" : " (no default features)"}`,
    );
  const std = (list: VersionMetadata["stdDependencies"]) =>
    list.map((s) => (s.version ? `${s.name}@${s.version}` : s.name));
  const entry = [m.entry.lib && `lib ${m.entry.lib}`, m.entry.main && `main ${m.entry.main}`]
    .filter(Boolean)
    .join(", ");
  return fields([
    ["package", `${m.name}@${m.version}`],
    ["description", m.description],
    ["status", flags.length ? flags.join("; ") : undefined],
    ["license", m.license],
    ["authors", m.authors.length ? m.authors : undefined],
    ["repository", m.repository],
    ["funding", m.funding],
    ["keywords", m.keywords.length ? m.keywords : undefined],
    ["ori", m.edition ? `${m.ori} (edition ${m.edition})` : m.ori],
    ["entry", entry || undefined],
    ["dependencies", m.dependencies.length ? deps(m.dependencies) : "none"],
    ["dev-dependencies", m.devDependencies.length ? deps(m.devDependencies) : undefined],
    ["bundled std", m.stdDependencies.length ? std(m.stdDependencies) : undefined],
    ["sha256", m.sha256],
    ["size", formatBytes(m.size)],
    ["published", `${m.publishedAt} by ${m.publishedBy}`],
    ["log index", m.logIndex],
    // One line each, escaped as one line (a line break in a field cannot start another): id, severity, the fix.
    [
      "advisories",
      m.advisories.length
        ? m.advisories
            .map((a) => oneLine(`${a.id}  ${severityLabel(a.severity ?? [])}  ${fixLabel(a.fixedIn ?? null)}`))
            .join("\n")
        : undefined,
    ],
  ]);
}

function versionTable(list: VersionList): string {
  const rows = [...list.versions]
    .sort((a, b) => compareVersions(b.version, a.version))
    .map((v) => {
      const advisories = v.advisories?.length ?? 0;
      const flags = [
        v.yanked && "yanked",
        v.deprecated && "deprecated",
        v.removed && "removed",
        v.deleted && "deleted",
        advisories && `${advisories} ${advisories === 1 ? "advisory" : "advisories"}`,
      ]
        .filter(Boolean)
        .join(",");
      return [v.version, v.publishedAt, String(v.logIndex), flags || "-", v.sha256.slice(0, 16)];
    });
  return table([["VERSION", "PUBLISHED", "LOG", "FLAGS", "SHA256"], ...rows]);
}
