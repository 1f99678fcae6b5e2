// Collects the files of an Ori project that go into its archive: oripk.toml and oripk.lock
// always; then, by default, README.md, LICENSE* and everything under src/ — or, when
// `[publish] include` is given, only what it lists (as Cargo's `package.include` does) — minus
// `[publish] exclude`. Dotfiles and dot-directories are skipped; links are refused, since the
// registry rejects them. Paths come back with `/` separators, sorted.
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseOriToml } from "../domain/ori-toml";
import { LocalError } from "./exit-codes";

export interface ProjectFiles {
  /** The manifest text as written (before any [scripts] stripping). */
  manifestText: string;
  /** Every other file to pack, by archive path. */
  files: Map<string, Uint8Array>;
}

export function collectProjectFiles(dir: string): ProjectFiles {
  const manifestPath = join(dir, "oripk.toml");
  if (!existsSync(manifestPath))
    throw new LocalError(`no oripk.toml in ${dir}: run this in an Ori project (or pass --dir)`);
  const manifestText = readFileSync(manifestPath, "utf8");
  if (!existsSync(join(dir, "oripk.lock"))) {
    throw new LocalError(
      `no oripk.lock in ${dir}: the archive must carry one: a [checksums] table with a line per registry dependency (ori sync writes it; a package without dependencies needs only the line [checksums])`,
    );
  }
  const { include, exclude, includePatterns } = publishPatterns(manifestText);
  const listed = includePatterns !== null;
  const descend = (d: string) =>
    listed ? includePatterns!.some((p) => mayContain(p, d)) : d === "src" || d.startsWith("src/");
  const all = walk(dir, "", descend);
  const byDefault = (p: string) => p === "README.md" || /^LICEN[CS]E(?:[.-][^/]+)?$/.test(p) || p.startsWith("src/");
  const wanted = (p: string) => p === "oripk.lock" || (listed ? include.some((re) => re.test(p)) : byDefault(p));
  const files = new Map<string, Uint8Array>();
  for (const [path, kind] of all) {
    if (path === "oripk.toml" || path === "CHECKSUM" || !wanted(path) || exclude.some((re) => re.test(path))) continue;
    if (kind === "link")
      throw new LocalError(`${path} is a symbolic link: archives cannot contain links (copy the file, or exclude it)`);
    files.set(path, readFileSync(join(dir, path)));
  }
  if (![...files.keys()].some((p) => p.startsWith("src/"))) {
    const hint = listed ? " (or [publish] include lists none of them)" : "";
    throw new LocalError(`${join(dir, "src")} has no files${hint}: a package needs its sources under src/`);
  }
  return { manifestText, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** `[publish] include` / `exclude` as regular expressions over archive paths. */
function publishPatterns(manifestText: string): {
  include: RegExp[];
  exclude: RegExp[];
  includePatterns: string[] | null;
} {
  // A manifest error keeps the registry's code (invalid_manifest, dependency_not_exact…).
  const root = parseOriToml(manifestText).root;
  const publish = (root.publish ?? {}) as Record<string, unknown>;
  const list = (key: string): string[] => {
    const v = publish[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
      throw new LocalError(`oripk.toml: [publish] ${key} must be a list of path patterns`);
    return v as string[];
  };
  // Absent: the default file set. Present, even empty: exactly what it lists.
  const includePatterns = publish.include === undefined ? null : list("include");
  return {
    include: (includePatterns ?? []).map(globToRegExp),
    exclude: list("exclude").map(globToRegExp),
    includePatterns,
  };
}

/**
 * A path pattern relative to the project: `*` and `?` stay within one segment, `**` spans
 * segments, and a pattern naming a directory (`docs`, `docs/`) means everything under it.
 */
export function globToRegExp(pattern: string): RegExp {
  const p = pattern.replace(/^\.\//, "").replace(/\/+$/, "");
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "*" && p[i + 1] === "*") {
      re += p[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += p[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** Whether a file below directory `dir` could match the pattern (so the walk must enter it). */
export function mayContain(pattern: string, dir: string): boolean {
  const want = pattern.replace(/^\.\//, "").replace(/\/+$/, "").split("/");
  const have = dir.split("/");
  for (let i = 0; i < have.length; i++) {
    const w = want[i];
    if (w === undefined) return true; // the pattern names an ancestor directory
    if (w === "**") return true;
    if (!globToRegExp(w).test(have[i]!)) return false;
  }
  return true;
}

/** Every file and link below dir (not following links), skipping dot-entries. */
function walk(root: string, rel: string, descend: (dir: string) => boolean): [string, "file" | "link"][] {
  const out: [string, "file" | "link"][] = [];
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) out.push([path, "link"]);
    else if (entry.isDirectory()) {
      // Only descend where something can be wanted; build output and the like stay unread.
      if (descend(path)) out.push(...walk(root, path, descend));
    } else if (entry.isFile()) out.push([path, "file"]);
    else if (lstatSync(join(root, path)).isFile()) out.push([path, "file"]);
  }
  return out;
}
