// Archives the registry published with 201 before a rule of the canonical tar subset refused
// them — the three of issue 11, then one found in review: whole packages with a correct CHECKSUM
// for what the old reader saw, and one entry that other tar readers read differently.
// Runtime-neutral (used in workerd and in Node).
import { gzipDeterministic } from "../../src/processing/pack";
import { writeTar } from "../../src/processing/tar-writer";
import { buildArchiveFiles, concat, paxRecords, tarEntries, type RawTarEntry } from "./archive-builder";

const encoder = new TextEncoder();

/** What a reader that took the data for entries would unpack: a second manifest and a symlink. */
const HIDDEN = tarEntries(
  [
    { path: "oripk.toml", data: '[project]\nname = "@evil/x"\n' },
    { path: "src/passwd", type: "2", linkname: "/etc/passwd" },
  ],
  { end: false },
);

export const PUBLISHED_CASES: {
  name: string;
  path: string;
  data: Uint8Array;
  entry: (data: Uint8Array) => RawTarEntry;
}[] = [
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
    name: 'a ustar header with version "  " and a prefix (node-tar unpacks a second root oripk.toml)',
    path: "src/x/oripk.toml",
    data: encoder.encode('[project]\nname = "@evil/x"\n'),
    entry: (data) => ({ path: "oripk.toml", prefix: "src/x", version: "  ", data }),
  },
  {
    name: 'a pax path whose "é" the header\'s first block cuts (node-tar, streamed, unpacks a second root oripk.toml)',
    path: "src/café.ori",
    data: encoder.encode('[project]\nname = "@evil/x"\n'),
    entry: (data) => ({ path: "oripk.toml", pax: cutAtFirstBlock("src/café.ori"), data }),
  },
];

/** pax records for `path` whose first 512 bytes end inside its "é" (a `comment` fills up to it). */
function cutAtFirstBlock(path: string): Record<string, string> {
  for (let n = 1; n < 512; n++) {
    const records = { comment: "c".repeat(n), path };
    if (paxRecords(records).indexOf(0xc3) === 511) return records;
  }
  throw new Error(`no comment length cuts ${path} at the block's end`);
}

/** The gzip-compressed archive of one case, for `name`@`version`. */
export async function publishedCase(i: number, name: string, version: string): Promise<Uint8Array> {
  const c = PUBLISHED_CASES[i]!;
  const files = await buildArchiveFiles({ name, version, files: { [c.path]: c.data } });
  const tar = writeTar(
    Object.entries(files)
      .filter(([p]) => p !== c.path)
      .map(([path, data]) => ({ path, data })),
  );
  return gzipDeterministic(concat([tar.subarray(0, tar.length - 1024), tarEntries([c.entry(c.data)])]));
}
