// The three archives of issue 11 that the registry published with 201 before the canonical tar
// subset: whole packages with a correct CHECKSUM for what the old reader saw, and one entry that
// other tar readers read differently. Runtime-neutral (used in workerd and in Node).
import { gzipDeterministic } from "../../src/processing/pack";
import { writeTar } from "../../src/processing/tar-writer";
import { buildArchiveFiles, concat, tarEntries, type RawTarEntry } from "./archive-builder";

const encoder = new TextEncoder();

/** What a reader that took the data for entries would unpack: a second manifest and a symlink. */
const HIDDEN = tarEntries([{ path: "oripk.toml", data: '[project]\nname = "@evil/x"\n' }, { path: "src/passwd", type: "2", linkname: "/etc/passwd" }], { end: false });

export const PUBLISHED_CASES: { name: string; path: string; data: Uint8Array; entry: (data: Uint8Array) => RawTarEntry }[] = [
  {
    name: "a pax size record with an empty value (others read 0 and unpack the data as entries)",
    path: "src/a.ori",
    data: HIDDEN,
    entry: (data) => ({ path: "src/a.ori", pax: { size: "" }, data }),
  },
  {
    name: "a GNU header with a prefix (Python and Go unpack ../../../../tmp/x/src/pwn.ori)",
    path: "src/pwn.ori",
    data: encoder.encode("fn pwn() {}\n"),
    entry: (data) => ({ path: "src/pwn.ori", magic: "gnu", prefix: "../../../../tmp/x", data }),
  },
  {
    name: "a ustar header with version \"  \" and a prefix (node-tar unpacks a second root oripk.toml)",
    path: "src/x/oripk.toml",
    data: encoder.encode('[project]\nname = "@evil/x"\n'),
    entry: (data) => ({ path: "oripk.toml", prefix: "src/x", version: "  ", data }),
  },
];

/** The gzip-compressed archive of one case, for `name`@`version`. */
export async function publishedCase(i: number, name: string, version: string): Promise<Uint8Array> {
  const c = PUBLISHED_CASES[i]!;
  const files = await buildArchiveFiles({ name, version, files: { [c.path]: c.data } });
  const tar = writeTar(Object.entries(files).filter(([p]) => p !== c.path).map(([path, data]) => ({ path, data })));
  return gzipDeterministic(concat([tar.subarray(0, tar.length - 1024), tarEntries([c.entry(c.data)])]));
}
