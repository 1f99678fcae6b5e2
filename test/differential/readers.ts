// The independent tar readers of the differential test, each run once per batch of archives:
// Python's tarfile and Go's archive/tar (one process reading every archive), GNU tar (one shell
// looping over `tar -x`, the extracted trees walked afterwards; bsdtar alike when installed) and
// node-tar (in this process, given the whole archive at once and streamed block by block).
// Every reader reports the same shape: paths as hex of their bytes, types, sha256 of file data.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Parser, type ReadEntry } from "tar";

export interface ReadEntryView {
  path: string;
  type: string;
  sha256: string;
}

export type ReaderResult = { ok: true; entries: ReadEntryView[] } | { ok: false; error: string };

export interface Reader {
  name: string;
  /** Whether `entries` lists every header (exact order) or, after extraction, every path on disk. */
  view: "listing" | "extracted";
  read(files: readonly string[], bytes: readonly Uint8Array[]): Promise<ReaderResult[]>;
  /** Removes what the reader built. */
  dispose?(): void;
}

const HERE = import.meta.dirname;

export const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

export const pythonTarfile: Reader = {
  name: "python tarfile",
  view: "listing",
  async read(files) {
    return jsonLines(
      await run("python3", [join(HERE, "readers", "python_reader.py")], files.join("\n") + "\n"),
      files.length,
    );
  },
};

export const nodeTar: Reader = {
  name: "node-tar",
  view: "listing",
  read: (_, bytes) => Promise.all(bytes.map((b) => readWithNodeTar(b))),
};

/**
 * node-tar fed one 512-byte block at a time, as a stream delivers an archive (gunzip hands it
 * 16 KiB pieces): it decodes an extended header's data piece by piece, so this reads what
 * `tar.x({ file: "x.oripk" })` reads where the whole-buffer parse above cannot tell.
 */
export const nodeTarStreamed: Reader = {
  name: "node-tar (streamed)",
  view: "listing",
  read: (_, bytes) => Promise.all(bytes.map((b) => readWithNodeTar(b, 512))),
};

export const gnuTar: Reader = {
  name: "GNU tar",
  view: "extracted",
  // A warning is a disagreement too (GNU tar saw something the registry did not), except that
  // it ignores node-tar's SCHILY.dev/ino/nlink records, which the registry allows.
  read: (files) =>
    extractEach(
      files,
      'tar -x -f "$f" -C "$f.d" --no-same-owner --no-same-permissions -m',
      ".d",
      /^tar: Ignoring unknown extended header keyword 'SCHILY\.(?:dev|ino|nlink)'$/,
    ),
};

/**
 * libarchive's bsdtar (the `tar` of macOS and Windows), or the reason it is skipped: Debian's
 * `libarchive-tools` installs it. It extracts in a UTF-8 locale (it converts pax strings to the
 * locale's charset), and any message on stderr counts as a disagreement.
 */
export function bsdTar(): Reader | string {
  if (spawnSync("bsdtar", ["--version"], { stdio: "ignore" }).status !== 0)
    return "`bsdtar` is not on PATH (scripts/install-test-tools.sh installs it)";
  return {
    name: "bsdtar",
    view: "extracted",
    read: (files) => extractEach(files, 'LC_ALL=C.UTF-8 bsdtar -x -f "$f" -C "$f.b" -o', ".b"),
  };
}

/**
 * Extracts each archive `$f` into `$f<suffix>` with `command` (one shell for the batch: these
 * tools read one archive per run) and walks the trees. A failure or a line on stderr that
 * `ignore` does not match is a disagreement.
 */
async function extractEach(
  files: readonly string[],
  command: string,
  suffix: string,
  ignore?: RegExp,
): Promise<ReaderResult[]> {
  const script = `while IFS= read -r f; do mkdir "$f${suffix}" && ${command} 2>"$f${suffix}.err"; echo $? >"$f${suffix}.rc"; done`;
  await run("sh", ["-c", script], files.join("\n") + "\n");
  return files.map((f): ReaderResult => {
    const rc = readFileSync(`${f}${suffix}.rc`, "utf8").trim();
    const warnings = readFileSync(`${f}${suffix}.err`, "utf8")
      .split("\n")
      .filter((l) => l !== "" && !ignore?.test(l));
    if (rc !== "0" || warnings.length > 0) return { ok: false, error: `exit ${rc}: ${warnings.join(" | ")}` };
    return { ok: true, entries: walk(Buffer.from(`${f}${suffix}`), Buffer.alloc(0)) };
  });
}

/** Go's archive/tar, or undefined (with the reason) when `go` is not on PATH. */
export function goArchiveTar(): Reader | string {
  if (spawnSync("go", ["version"], { stdio: "ignore" }).status !== 0)
    return "`go` is not on PATH (scripts/install-test-tools.sh installs it)";
  const dir = mkdtempSync(join(tmpdir(), "ori-differential-go-"));
  const bin = join(dir, "reader");
  const env = {
    ...process.env,
    GO111MODULE: "off",
    GOPROXY: "off",
    GOFLAGS: "",
    CGO_ENABLED: "0",
    GOCACHE: process.env.GOCACHE ?? join(tmpdir(), "ori-differential-go-cache"),
  };
  const built = spawnSync("go", ["build", "-o", bin, "."], { cwd: join(HERE, "readers", "go"), env, encoding: "utf8" });
  if (built.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `go build failed: ${built.stderr}`;
  }
  return {
    name: "Go archive/tar",
    view: "listing",
    async read(files) {
      return jsonLines(await run(bin, [], files.join("\n") + "\n"), files.length);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function readWithNodeTar(bytes: Uint8Array, chunk?: number): Promise<ReaderResult> {
  return new Promise((resolve) => {
    const entries: ReadEntryView[] = [];
    const problems: string[] = [];
    // Not strict, so it reads what it can and says what it skipped: each warning is a disagreement.
    const parser = new Parser({
      onwarn: (code: string, message: string | Error) => problems.push(`${code}: ${String(message)}`),
    });
    const keep = (entry: ReadEntry, type: string) => {
      const view: ReadEntryView = { path: Buffer.from(entry.path, "utf8").toString("hex"), type, sha256: "" };
      entries.push(view);
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => {
        if (type === "file") view.sha256 = sha256(Buffer.concat(chunks));
      });
    };
    parser.on("entry", (entry: ReadEntry) => {
      const type =
        entry.type === "File" || entry.type === "OldFile"
          ? "file"
          : entry.type === "Directory"
            ? "directory"
            : `other:${entry.type}`;
      keep(entry, type);
    });
    parser.on("ignoredEntry", (entry: ReadEntry) => {
      if (entry.type !== "GlobalExtendedHeader" && !entry.meta)
        entries.push({
          path: Buffer.from(entry.path, "utf8").toString("hex"),
          type: `ignored:${entry.type}`,
          sha256: "",
        });
    });
    parser.on("error", (e: Error) => problems.push(`error: ${e.message}`));
    const done = () => resolve(problems.length ? { ok: false, error: problems.join("; ") } : { ok: true, entries });
    parser.on("close", done);
    parser.on("abort", done);
    const all = Buffer.from(bytes);
    if (chunk) for (let at = 0; at < all.length; at += chunk) parser.write(all.subarray(at, at + chunk));
    if (chunk) parser.end();
    else parser.end(all);
  });
}

/** Every file and directory under `root`, paths relative to it. */
function walk(root: Buffer, rel: Buffer): ReadEntryView[] {
  const out: ReadEntryView[] = [];
  const dir = rel.length ? Buffer.concat([root, Buffer.from("/"), rel]) : root;
  for (const name of readdirSync(dir, { encoding: "buffer" })) {
    const child = rel.length ? Buffer.concat([rel, Buffer.from("/"), name]) : name;
    const full = Buffer.concat([root, Buffer.from("/"), child]);
    const st = lstatSync(full);
    if (st.isDirectory()) {
      out.push({ path: child.toString("hex"), type: "directory", sha256: "" });
      out.push(...walk(root, child));
    } else if (st.isFile()) {
      out.push({ path: child.toString("hex"), type: "file", sha256: sha256(readFileSync(full)) });
    } else {
      out.push({
        path: child.toString("hex"),
        type: st.isSymbolicLink() ? "other:symlink" : "other:special",
        sha256: "",
      });
    }
  }
  return out;
}

function jsonLines(stdout: string, expected: number): ReaderResult[] {
  const lines = stdout.split("\n").filter((l) => l !== "");
  if (lines.length !== expected) throw new Error(`a reader answered ${lines.length} times for ${expected} archives`);
  return lines.map((l) => JSON.parse(l) as ReaderResult);
}

function run(cmd: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`${cmd} exited with ${code}: ${Buffer.concat(err).toString("utf8").slice(0, 2000)}`));
    });
    child.stdin.end(input);
  });
}
