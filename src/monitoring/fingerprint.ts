// An error's fingerprint: what makes two occurrences "the same error" for grouping — its class,
// its code, where it happened (a route template, a job's or probe's name, an alarm) and the top
// frame of the stack that is this project's own code, without line numbers (so a deploy that
// moves code does not split a group). Pure; sha256 from Web Crypto.
import { sha256Hex } from "../util/bytes";

export interface FingerprintParts {
  errorClass: string;
  code: string | null;
  /** `GET /v1/packages/{scope}/{name}/versions`, `job reindex-package`, `probe download`… */
  where: string;
  frame: string | null;
}

interface Frame {
  fn: string;
  file: string;
}

/** Frames of a V8 stack (`at fn (file:line:col)` or `at file:line:col`), at most `max`. */
export function stackFrames(stack: string | undefined, max = 50): Frame[] {
  if (!stack) return [];
  const frames: Frame[] = [];
  for (const line of stack.split("\n")) {
    const m = /^\s*at (?:async )?(?:(.+?) \((.+?)\)|(.+?))\s*$/.exec(line);
    if (!m) continue;
    const fn = (m[1] ?? "<anonymous>").replace(/ \[as [^\]]+\]$/, "");
    const file = (m[2] ?? m[3] ?? "").replace(/:\d+(?::\d+)?$/, "");
    frames.push({ fn, file });
    if (frames.length >= max) break;
  }
  return frames;
}

/** Not this project's code: the runtime's own frames and libraries. */
function foreign(f: Frame): boolean {
  return (
    f.file === "" ||
    f.file === "native" ||
    f.file.startsWith("node:") ||
    f.file.includes("node_modules") ||
    f.file.startsWith("<") ||
    f.file.startsWith("internal/")
  );
}

/** `src/services/publish.ts` for a path inside the project, else the file's base name (a bundle). */
function shortFile(file: string): string {
  const at = file.lastIndexOf("/src/");
  if (at >= 0) return file.slice(at + 1);
  return file.slice(file.lastIndexOf("/") + 1);
}

/**
 * The top in-project frame, `fn (src/file.ts)`: the first frame from a source file under `src/`
 * when the stack names source files (tests, source maps), else the first frame that is not the
 * runtime's or a library's (a bundled Worker names one file for all its code).
 */
export function topFrame(stack: string | undefined): string | null {
  const frames = stackFrames(stack).filter((f) => !foreign(f));
  const own = frames.find((f) => f.file.includes("/src/") || f.file.startsWith("src/")) ?? frames[0];
  return own ? `${own.fn} (${shortFile(own.file)})` : null;
}

/** The first `max` frames as `fn (file:line)` lines, for a sample (never the message: it may quote input). */
export function shortStack(stack: string | undefined, max = 8): string[] {
  if (!stack) return [];
  return stack
    .split("\n")
    .filter((l) => /^\s*at /.test(l))
    .slice(0, max)
    .map((l) => l.trim().replace(/(?:file:\/\/)?\/[^\s()]*?\/((?:src|node_modules)\/[^\s()]+)/, "$1"));
}

/** 16 hex characters (64 bits) of the SHA-256 of the parts: stable, short enough for a URL. */
export async function fingerprintOf(p: FingerprintParts): Promise<string> {
  return (await sha256Hex([p.errorClass, p.code ?? "", p.where, p.frame ?? ""].join("\n"))).slice(0, 16);
}

export const FINGERPRINT = /^[0-9a-f]{16}$/;
