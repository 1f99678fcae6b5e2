// Parsing of the package arguments commands take: `@scope/name`, with the version either as
// the next argument or joined as `@scope/name@1.2.3`.
import { splitPackageName } from "../../client/paths";
import { isValidVersion } from "../../domain/versions";
import { UsageError } from "../exit-codes";

export function packageArg(raw: string | undefined): string {
  if (raw === undefined) throw new UsageError("a package name (@scope/name) is required");
  try {
    const { scope, name } = splitPackageName(raw);
    return `@${scope}/${name}`;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `@a/b 1.2.3` or `@a/b@1.2.3`; returns the rest of the arguments too. */
export function packageVersionArgs(
  args: string[],
  opts: { versionOptional?: boolean } = {},
): { pkg: string; version: string | null; rest: string[] } {
  const [first, ...more] = args;
  if (first === undefined) throw new UsageError("a package name (@scope/name) is required");
  const at = first.lastIndexOf("@");
  let pkgRaw = first;
  let version: string | null = null;
  let rest = more;
  if (at > 0) {
    pkgRaw = first.slice(0, at);
    version = first.slice(at + 1);
  } else if (more.length > 0 && /^\d/.test(more[0]!)) {
    version = more[0]!;
    rest = more.slice(1);
  }
  const pkg = packageArg(pkgRaw);
  if (version === null && !opts.versionOptional)
    throw new UsageError(`a version is required: ${pkg} 1.2.3 (or ${pkg}@1.2.3)`);
  if (version !== null && !isValidVersion(version))
    throw new UsageError(`"${version}" is not a version: use an exact version such as 1.2.3 or 1.0.0-beta.1`);
  return { pkg, version, rest };
}

export function scopeArg(raw: string | undefined): string {
  if (raw === undefined || !/^@?[a-z0-9]+(?:-[a-z0-9]+)*$/.test(raw))
    throw new UsageError(`"${raw ?? ""}" is not a scope: write it as @scope`);
  return raw.startsWith("@") ? raw : `@${raw}`;
}
