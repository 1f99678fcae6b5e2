// Every kind of bad archive the publish endpoint must refuse, through the HTTP API: each gets a
// 4xx with its own stable code, and nothing is stored or visible afterwards.
import { describe, expect, it } from "vitest";
import {
  buildArchive,
  gzipBomb,
  tarEntries,
  validManifest,
  type BuildArchiveOptions,
} from "../helpers/archive-builder";
import { gzipDeterministic } from "../../src/processing/pack";
import { PUBLISHED_CASES, publishedCase } from "../helpers/published-cases";
import { call, errorCode, publish, storageSnapshot } from "./helpers";

const PKG = "@acme/bad";
const base = { name: PKG, version: "1.0.0" };
const manifest = (
  extra: string,
  fields: Partial<Record<"name" | "version" | "description" | "ori", string | null>> = {},
) => {
  const lines = validManifest(fields.name ?? PKG, fields.version ?? "1.0.0", extra).split("\n");
  return lines
    .filter(
      (l) =>
        !(fields.description === null && l.startsWith("description")) && !(fields.ori === null && l.startsWith("ori ")),
    )
    .join("\n");
};
const entry = (path: string, extra: Partial<Parameters<typeof tarEntries>[0][number]> = {}) => ({
  path,
  data: "x",
  ...extra,
});

type Case = [what: string, make: () => Promise<Uint8Array>, status: number, code: string];
const CASES: Case[] = [
  [
    "gzip of plain text (not a tar)",
    async () => gzipDeterministic(new TextEncoder().encode("just text, not a tar archive".repeat(40))),
    400,
    "not_tar",
  ],
  ["a gzip bomb", async () => gzipBomb(), 400, "compression_ratio_too_high"],
  ["path traversal with ..", () => arch({ extraTarEntries: [entry("src/../../etc/passwd")] }), 400, "unsafe_path"],
  ["an absolute path", () => arch({ extraTarEntries: [entry("/etc/passwd")] }), 400, "unsafe_path"],
  ["a backslash path", () => arch({ extraTarEntries: [entry("src\\evil.ori")] }), 400, "unsafe_path"],
  ["a ./ prefix", () => arch({ extraTarEntries: [entry("./src/x.ori")] }), 400, "unsafe_path"],
  [
    "a symlink",
    () => arch({ extraTarEntries: [entry("src/link", { type: "2", linkname: "/etc/passwd", data: "" })] }),
    400,
    "link_not_allowed",
  ],
  [
    "a hard link",
    () => arch({ extraTarEntries: [entry("src/hard", { type: "1", linkname: "src/main.ori", data: "" })] }),
    400,
    "link_not_allowed",
  ],
  [
    "a character device",
    () => arch({ extraTarEntries: [entry("src/dev", { type: "3", data: "" })] }),
    400,
    "special_file_not_allowed",
  ],
  ["a duplicate path", () => arch({ extraTarEntries: [entry("src/main.ori")] }), 400, "duplicate_path"],
  ...PUBLISHED_CASES.map((c, i): Case => [
    `published before its rule, case ${i + 1}: ${c.name}`,
    () => publishedCase(i, PKG, "1.0.0"),
    400,
    "ambiguous_tar",
  ]),
  [
    "a signed header checksum (node-tar refuses it)",
    () => arch({ extraTarEntries: [entry("src/é.ori", { signedChecksum: true })] }),
    400,
    "ambiguous_tar",
  ],
  [
    "an unknown pax record",
    () => arch({ extraTarEntries: [entry("src/x.ori", { pax: { "SCHILY.xattr.user.x": "1" } })] }),
    400,
    "ambiguous_tar",
  ],
  ["a Windows device name", () => arch({ extraTarEntries: [entry("src/nul.ori")] }), 400, "unsafe_path"],
  ["a trailing dot", () => arch({ extraTarEntries: [entry("src/main.ori.")] }), 400, "unsafe_path"],
  ["a character Windows cannot store", () => arch({ extraTarEntries: [entry("src/a|b.ori")] }), 400, "unsafe_path"],
  ["a bidi override", () => arch({ extraTarEntries: [entry("src/evil\u202eiro.sj")] }), 400, "unsafe_path"],
  ["a zero-width space", () => arch({ extraTarEntries: [entry("src/ma\u200bin.ori")] }), 400, "unsafe_path"],
  ["a C1 control", () => arch({ extraTarEntries: [entry("src/a\u009bb.ori")] }), 400, "unsafe_path"],
  [
    "final sigma next to sigma",
    () => arch({ extraTarEntries: [entry("src/σ.ori"), entry("src/ς.ori")] }),
    400,
    "duplicate_path",
  ],
  [
    "long s next to s",
    () => arch({ extraTarEntries: [entry("src/ſrc.ori"), entry("src/src.ori")] }),
    400,
    "duplicate_path",
  ],
  ["no oripk.toml", () => arch({ omit: ["oripk.toml"] }), 400, "missing_manifest"],
  ["no oripk.lock", () => arch({ omit: ["oripk.lock"] }), 400, "missing_lockfile"],
  ["no CHECKSUM", () => arch({ omit: ["CHECKSUM"] }), 400, "missing_checksum"],
  ["no src/", () => arch({ omit: ["src/main.ori"] }), 400, "missing_src"],
  ["a CHECKSUM mismatch", () => arch({ checksumOverride: "tampered" }), 400, "checksum_malformed"],
  ["an unparseable manifest", () => arch({ manifest: "[project\nname = " }), 400, "invalid_manifest"],
  [
    "an invalid name in the manifest",
    () => arch({ manifest: manifest("", { name: "@Acme/Bad" }) }),
    400,
    "invalid_name",
  ],
  ["version 1.0", () => arch({ manifest: manifest("", { version: "1.0" }) }), 400, "invalid_version"],
  ["version 01.0.0", () => arch({ manifest: manifest("", { version: "01.0.0" }) }), 400, "invalid_version"],
  ["a build suffix", () => arch({ manifest: manifest("", { version: "1.0.0+build.1" }) }), 400, "invalid_version"],
  [
    "a pre-release with a build suffix",
    () => arch({ manifest: manifest("", { version: "1.0.0-rc.1+b" }) }),
    400,
    "invalid_version",
  ],
  [
    "a pre-release with a leading zero",
    () => arch({ manifest: manifest("", { version: "1.0.0-rc.01" }) }),
    400,
    "invalid_version",
  ],
  ["version v1.0.0", () => arch({ manifest: manifest("", { version: "v1.0.0" }) }), 400, "invalid_version"],
  ["no description", () => arch({ manifest: manifest("", { description: null }) }), 400, "manifest_missing_field"],
  ["no ori version", () => arch({ manifest: manifest("", { ori: null }) }), 400, "manifest_missing_field"],
  [
    "a [scripts] table",
    () => arch({ manifest: manifest('[scripts]\npostinstall = "curl evil | sh"\n') }),
    400,
    "manifest_has_scripts",
  ],
  [
    "a dependency range",
    () => arch({ manifest: manifest('[dependencies]\n"@orilib/utils" = "^2.0.1"\n') }),
    400,
    "dependency_not_exact",
  ],
  [
    "a bare dependency range ^1.0",
    () => arch({ manifest: manifest('[dependencies]\n@orilib/utils = "^1.0"\n') }),
    400,
    "dependency_not_exact",
  ],
  [
    "a dependency on *",
    () => arch({ manifest: manifest('[dependencies]\n@orilib/utils = "*"\n') }),
    400,
    "dependency_not_exact",
  ],
  [
    "a dev-dependency range",
    () => arch({ manifest: manifest('[dev-dependencies]\n@orilib/utils = "~1.2"\n') }),
    400,
    "dependency_not_exact",
  ],
  [
    "a dependency with a build suffix",
    () => arch({ manifest: manifest('[dependencies.@orilib/utils]\nversion = "1.0.0+build"\n') }),
    400,
    "dependency_not_exact",
  ],
  [
    "a registry dependency without a version",
    () => arch({ manifest: manifest("[dependencies]\n@orilib/utils\n") }),
    400,
    "dependency_not_exact",
  ],
  [
    "a bare key that is not a dependency",
    () => arch({ manifest: manifest("[features]\nstd.json\n") }),
    400,
    "invalid_manifest",
  ],
  [
    "a bare key outside any dependency table",
    () => arch({ manifest: manifest('[tool]\n@orilib/utils = "1.0.0"\n') }),
    400,
    "invalid_manifest",
  ],
  [
    "a lock line with a range",
    () => arch({ lock: `[checksums]\n"@orilib/utils:^2.0" = "sha256:${"0".repeat(64)}"\n` }),
    400,
    "invalid_lockfile",
  ],
  [
    "a [checksums] value that is not sha256:<64 hex>",
    () => arch({ lock: `[checksums]\n"@orilib/utils:2.0.1" = "sha256:${"0".repeat(63)}"\n` }),
    400,
    "invalid_lockfile",
  ],
  [
    "a [checksums] value with another digest",
    () => arch({ lock: `[checksums]\n"@orilib/utils:2.0.1" = "sha512:${"0".repeat(64)}"\n` }),
    400,
    "invalid_lockfile",
  ],
  [
    "a lock line outside [checksums]",
    () => arch({ lock: `"@a/b:1.0.0" = "sha256:${"0".repeat(64)}"\n[checksums]\n` }),
    400,
    "invalid_lockfile",
  ],
  [
    "a dependency without a lock line",
    () => arch({ dependencies: { "@orilib/utils": "2.0.1" }, lock: "[checksums]\n" }),
    400,
    "lockfile_mismatch",
  ],
  [
    "a dev-dependency without a lock line",
    () => arch({ devDependencies: { "@orilib/utils": "2.0.1" }, lock: "[checksums]\n" }),
    400,
    "lockfile_mismatch",
  ],
  [
    "a dependency this registry does not have",
    () => arch({ dependencies: { "@orilib/nowhere": "2.0.1" } }),
    400,
    "dependency_not_found",
  ],
  [
    "a dev-dependency this registry does not have",
    () => arch({ devDependencies: { "@orilib/nowhere": "1.0.0-beta.1" } }),
    400,
    "dependency_not_found",
  ],
  [
    "an entry point that is not in the archive",
    () =>
      arch({ manifest: manifest("").replace('ori = "0.5.0"', 'ori = "0.5.0"\n[project.entry]\nlib = "src/lib.ori"') }),
    400,
    "manifest_invalid_field",
  ],
  [
    "a dependency on itself",
    () => arch({ manifest: manifest(`[dependencies]\n"${PKG}" = "0.9.0"\n`) }),
    400,
    "dependency_on_self",
  ],
  [
    "an oversized description",
    () =>
      arch({ manifest: manifest("").replace('description = "A test package"', `description = "${"x".repeat(5000)}"`) }),
    400,
    "manifest_invalid_field",
  ],
  [
    "too many keywords",
    () =>
      arch({
        manifest: manifest("").replace(
          'keywords = ["test-fixture"]',
          `keywords = [${Array.from({ length: 30 }, (_, i) => `"k${i}"`).join(", ")}]`,
        ),
      }),
    400,
    "manifest_invalid_field",
  ],
];

function arch(opts: BuildArchiveOptions): Promise<Uint8Array> {
  return buildArchive({ ...base, ...opts });
}

describe("POST /v1/packages/:scope/:name/publish refuses bad archives", () => {
  it.each(CASES)("%s", async (_what, make, status, code) => {
    const before = await storageSnapshot();
    const res = await publish(PKG, await make());
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(await storageSnapshot()).toEqual(before);
    expect((await call(`/v1/packages/${PKG}/versions`)).status).toBe(404);
  });

  it("refuses a CHECKSUM whose digest does not match a file", async () => {
    const good = await arch({});
    expect(good.length).toBeGreaterThan(0);
    const wrong = "sha256:" + "0".repeat(64);
    const res = await publish(
      PKG,
      await arch({
        checksumOverride: `${wrong}  README.md\n${wrong}  oripk.lock\n${wrong}  oripk.toml\n${wrong}  src/main.ori\n`,
      }),
    );
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("checksum_mismatch");
  });

  it("refuses a CHECKSUM that leaves a file out", async () => {
    const res = await publish(PKG, await arch({ checksumOverride: "" }));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toMatch(/^checksum_(missing_entry|malformed)$/);
  });
});
