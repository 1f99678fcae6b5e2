// Which build is running: injected at bundle time as the constant __ORI_BUILD__ (esbuild's
// `define`: scripts/build-info.mjs computes it for `npm start`, `npm run dev` and `npm run
// deploy` — the package version, the git commit when there is one, and the build time).
// Unbundled code (a test run without the define) reports "unknown".

export interface BuildInfo {
  /** `0.1.0`, or `unknown` when the code was not built with the define. */
  version: string;
  /** The git commit (12 hex), with `-dirty` for uncommitted changes; null outside a checkout. */
  commit: string | null;
  /** When the bundle was built (ISO 8601). */
  builtAt: string | null;
}

declare const __ORI_BUILD__: BuildInfo | undefined;

export const BUILD: BuildInfo =
  typeof __ORI_BUILD__ !== "undefined" ? __ORI_BUILD__ : { version: "unknown", commit: null, builtAt: null };

/** `0.1.0+3f2a9c1d4e5b`: the release name Sentry events and logs carry. */
export function releaseName(b: BuildInfo = BUILD): string {
  return b.commit ? `${b.version}+${b.commit}` : b.version;
}
