// What build this is, for the Worker's __ORI_BUILD__ constant (src/monitoring/build-info.ts):
// the package version, the git commit (with -dirty when the tree has changes) and the build
// time. One source for `npm start` (esbuild define), `npm run dev` and `npm run deploy`
// (wrangler --define).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

function git(root, args) {
  try {
    return execFileSync("git", args, { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

export function buildInfo(root, now = new Date()) {
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const head = git(root, ["rev-parse", "--short=12", "HEAD"]);
  const dirty = head !== null && git(root, ["status", "--porcelain", "--untracked-files=no"]) !== "";
  return { version, commit: head === null ? null : `${head}${dirty ? "-dirty" : ""}`, builtAt: now.toISOString() };
}

/** The esbuild / wrangler define: `{ __ORI_BUILD__: "<JSON>" }`. */
export function buildDefine(root, now) {
  return { __ORI_BUILD__: JSON.stringify(buildInfo(root, now)) };
}

/** The same as wrangler command-line options: `--define __ORI_BUILD__:<JSON>`. */
export function buildDefineArgs(root, now) {
  return Object.entries(buildDefine(root, now)).flatMap(([k, v]) => ["--define", `${k}:${v}`]);
}
