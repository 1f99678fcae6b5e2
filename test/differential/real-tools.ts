// Archives written by the real tools a package author might use — GNU tar in each of its
// formats, Python's tarfile in each of its formats, node-tar portable or not — from a random
// package on disk (its names in NFC). The canonical subset must accept what they write (except
// V7, which has no magic) and the readers must agree on it like on any other archive.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { create } from "tar";
import type { Variant } from "./families";
import { randomPackage } from "./package-tar";
import { Random } from "./random";

const GNU_FORMATS = ["gnu", "oldgnu", "ustar", "posix", "v7"];
const PYTHON_FORMATS = ["USTAR_FORMAT", "GNU_FORMAT", "PAX_FORMAT"];

const PYTHON_WRITER = `
import sys, tarfile
src, out, fmt = sys.argv[1], sys.argv[2], sys.argv[3]
names = sys.argv[4:]
with tarfile.open(out, "w", format=getattr(tarfile, fmt)) as t:
    for n in names:
        t.add(src + "/" + n, arcname=n)
`;

/** `packages` random packages, each written by every tool and format. */
export function realToolArchives(dir: string, seed: number, packages: number): Variant[] {
  const out: Variant[] = [];
  const r = new Random(seed ^ 0x5eed);
  for (let p = 0; p < packages; p++) {
    const tree = join(dir, `tree-${p}`);
    // Names every format can store, in NFC: a pax path in another form is refused (bsdtar would
    // extract it normalised), and these tools write pax paths for non-ASCII names.
    const files = randomPackage(r)
      .filter((f) => Buffer.byteLength(f.path) <= 99)
      .map((f) => ({ ...f, path: f.path.normalize("NFC") }));
    for (const f of files) {
      mkdirSync(dirname(join(tree, f.path)), { recursive: true });
      writeFileSync(join(tree, f.path), f.data);
    }
    const top = [...new Set(files.map((f) => f.path.split("/")[0]!))].sort();
    for (const format of GNU_FORMATS) {
      const file = join(dir, `gnu-${format}-${p}.tar`);
      const res = spawnSync("tar", [`--format=${format}`, "--sort=name", "-cf", file, "-C", tree, ...top], {
        encoding: "utf8",
      });
      if (res.status !== 0) throw new Error(`GNU tar --format=${format} failed: ${res.stderr}`);
      out.push({ family: "real-tools", note: `GNU tar --format=${format} (package ${p})`, tar: readFileSync(file) });
    }
    for (const format of PYTHON_FORMATS) {
      const file = join(dir, `python-${format}-${p}.tar`);
      const res = spawnSync("python3", ["-c", PYTHON_WRITER, tree, file, format, ...top], { encoding: "utf8" });
      if (res.status !== 0) throw new Error(`Python tarfile ${format} failed: ${res.stderr}`);
      out.push({ family: "real-tools", note: `Python tarfile ${format} (package ${p})`, tar: readFileSync(file) });
    }
    for (const portable of [true, false]) {
      const file = join(dir, `node-${portable}-${p}.tar`);
      create({ file, cwd: tree, portable, sync: true }, top);
      out.push({ family: "real-tools", note: `node-tar portable=${portable} (package ${p})`, tar: readFileSync(file) });
    }
  }
  return out;
}
