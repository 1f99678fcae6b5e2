import { codeOfAsync as codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { processArchive } from "./archive";
import { gzipDeterministic } from "./pack";
import { sha256Hex } from "../util/bytes";
import {
  buildArchive,
  buildArchiveFiles,
  buildTar,
  gzipBomb,
  validManifest,
  type BuildArchiveOptions,
} from "../../test/helpers/archive-builder";

const build = (opts: BuildArchiveOptions = {}) => buildArchive(opts);
const codeFor = async (opts: BuildArchiveOptions, processOpts: Parameters<typeof processArchive>[1] = {}) =>
  codeOf(processArchive(await build(opts), processOpts));

describe("processArchive", () => {
  it("accepts a valid archive and describes it", async () => {
    const bytes = await build({
      name: "@acme/hello",
      version: "1.2.3",
      files: { LICENSE: "MIT\n", "src/lib/util.ori": "x" },
    });
    const result = await processArchive(bytes, { expectedName: "@acme/hello" });
    expect(result.sha256).toBe(await sha256Hex(bytes));
    expect(result.size).toBe(bytes.length);
    expect(result.manifest).toMatchObject({ name: "@acme/hello", version: "1.2.3", description: "A test package" });
    expect(result.lock).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual([
      "CHECKSUM",
      "LICENSE",
      "README.md",
      "oripk.lock",
      "oripk.toml",
      "src/lib/util.ori",
      "src/main.ori",
    ]);
    expect(result.files.find((f) => f.path === "LICENSE")).toEqual({
      path: "LICENSE",
      size: 4,
      sha256: await sha256Hex("MIT\n"),
    });
    expect(result.readme).toBe("# @acme/hello\n\nA test package.\n");
    expect(result.decompressedSize).toBeGreaterThan(result.size);
  });

  it("returns dependencies with their lock entries", async () => {
    const result = await processArchive(
      await build({ dependencies: { "@orilib/utils": "2.0.1", "@orilib/parser": "3.0.2" } }),
    );
    expect(result.manifest.dependencies.map((d) => `${d.name}@${d.version}`)).toEqual([
      "@orilib/parser@3.0.2",
      "@orilib/utils@2.0.1",
    ]);
    expect(result.lock.map((e) => e.name)).toEqual(["@orilib/parser", "@orilib/utils"]);
  });

  it("accepts Ori's bare dependency keys", async () => {
    const digest = "0".repeat(64);
    const manifest = validManifest(
      "@acme/hello",
      "1.0.0",
      '[dependencies]\nstd.json\n@orilib/utils = "2.0.1"\n[dev-dependencies]\n@orilib/test-helpers = "1.0.0-beta.1"\n',
    );
    const lock = `[checksums]\n"@orilib/test-helpers:1.0.0-beta.1" = "sha256:${digest}"\n"@orilib/utils:2.0.1" = "sha256:${digest}"\n`;
    const result = await processArchive(await build({ manifest, lock }));
    expect(result.manifest.stdDependencies).toEqual([{ name: "std.json", version: null }]);
    expect(result.manifest.devDependencies.map((d) => d.version)).toEqual(["1.0.0-beta.1"]);
  });

  it("writes its lock in the [checksums] form, which it reads back", async () => {
    const files = await buildArchiveFiles({ dependencies: { "@orilib/utils": "2.0.1" } });
    expect(files["oripk.lock"]).toMatch(/^\[checksums\]\n"@orilib\/utils:2\.0\.1" = "sha256:[0-9a-f]{64}"\n$/);
  });

  it("accepts explicit directory entries and LICENSE variants", async () => {
    const extra = [
      { path: "src/", type: "5" },
      { path: "src/lib/", type: "5" },
    ];
    const bytes = await build({
      files: { "src/lib/a.ori": "a", "LICENSE.md": "m", "LICENCE-APACHE": "a" },
      extraTarEntries: extra,
    });
    expect((await processArchive(bytes)).files).toHaveLength(8);
  });

  describe("size and compression", () => {
    it("rejects an archive over the compressed limit as archive_too_large", async () => {
      const bytes = await build();
      expect(await codeOf(processArchive(bytes, { limits: { maxCompressedBytes: bytes.length - 1 } }))).toBe(
        "archive_too_large",
      );
      expect(await codeOf(processArchive(new Uint8Array(10 * 1024 * 1024 + 1)))).toBe("archive_too_large");
    });

    it("stops a 200 MiB gzip bomb", async () => {
      expect(await codeOf(processArchive(gzipBomb()))).toBe("compression_ratio_too_high");
    }, 30_000);

    it("stops at the decompressed limit", async () => {
      expect(
        await codeOf(
          processArchive(gzipBomb({ decompressedBytes: 4 * 1024 * 1024 }), {
            limits: { maxCompressionRatio: 1e6, maxDecompressedBytes: 2 * 1024 * 1024 },
          }),
        ),
      ).toBe("decompressed_too_large");
    });

    it("rejects a truncated archive (cut in half)", async () => {
      const bytes = await build({ files: { "src/big.ori": "let x = 1\n".repeat(5000) } });
      expect(await codeOf(processArchive(bytes.subarray(0, bytes.length >> 1)))).toBe("truncated_gzip");
    });

    it("rejects data that is not gzip", async () => {
      expect(await codeOf(processArchive(await buildTar()))).toBe("not_gzip");
      expect(await codeOf(processArchive(new TextEncoder().encode("hello")))).toBe("not_gzip");
    });

    it("rejects gzip of something that is not tar", async () => {
      expect(
        await codeOf(processArchive(gzipDeterministic(new TextEncoder().encode("just some text\n".repeat(100))))),
      ).toBe("not_tar");
    });
  });

  describe("tar safety", () => {
    it.each([
      ["a symlink", { path: "src/link", type: "2", linkname: "/etc/passwd" }, "link_not_allowed"],
      ["a hard link", { path: "src/link", type: "1", linkname: "oripk.toml" }, "link_not_allowed"],
      ["a device", { path: "src/dev", type: "3" }, "special_file_not_allowed"],
      ["a FIFO", { path: "src/fifo", type: "6" }, "special_file_not_allowed"],
      ["a traversal path", { path: "../evil.ori" }, "unsafe_path"],
      ["an absolute path", { path: "/etc/evil" }, "unsafe_path"],
      ["a backslash path", { path: "src\\evil.ori" }, "unsafe_path"],
      ["a ./ path", { path: "./src/evil.ori" }, "unsafe_path"],
      ["a pax path override", { path: "src/fine.ori", pax: { path: "src/../../evil" } }, "unsafe_path"],
      ["a duplicate of oripk.toml", { path: "oripk.toml", data: "[project]\n" }, "duplicate_path"],
      ["a duplicate in different case", { path: "SRC/main.ori", data: "x" }, "duplicate_path"],
    ] as const)("rejects %s", async (_, entry, code) => {
      expect(await codeFor({ extraTarEntries: [entry] })).toBe(code);
    });

    it("enforces entry and file limits", async () => {
      expect(await codeFor({}, { limits: { maxEntries: 4 } })).toBe("too_many_entries");
      expect(await codeFor({ files: { "src/big.ori": "x".repeat(2000) } }, { limits: { maxFileBytes: 1000 } })).toBe(
        "file_too_large",
      );
    });
  });

  describe("layout", () => {
    it.each([
      ["oripk.toml", "missing_manifest"],
      ["oripk.lock", "missing_lockfile"],
      ["CHECKSUM", "missing_checksum"],
      ["src/main.ori", "missing_src"],
    ])("requires %s", async (path, code) => {
      expect(await codeFor({ omit: [path] })).toBe(code);
    });

    it("does not count a src directory without files", async () => {
      expect(await codeFor({ omit: ["src/main.ori"], extraTarEntries: [{ path: "src/", type: "5" }] })).toBe(
        "missing_src",
      );
    });

    it("README.md is optional", async () => {
      expect((await processArchive(await build({ omit: ["README.md"] }))).readme).toBeUndefined();
    });

    it.each([["Makefile"], ["docs/guide.md"], ["oripk.toml.bak"], ["readme.txt"], ["src"]])(
      "rejects a top-level %s as unexpected_file",
      async (path) => {
        const opts: BuildArchiveOptions =
          path === "src" ? { omit: ["src/main.ori"], files: { src: "x" } } : { files: { [path]: "x" } };
        expect(await codeFor(opts)).toBe("unexpected_file");
      },
    );

    it("rejects a required file that is too large", async () => {
      expect(
        await codeFor({ rawManifestExtra: `# ${"x".repeat(1000)}\n` }, { limits: { maxManifestBytes: 500 } }),
      ).toBe("file_too_large");
      expect(await codeFor({ dependencies: { "@orilib/utils": "2.0.1" } }, { limits: { maxLockfileBytes: 50 } })).toBe(
        "file_too_large",
      );
      expect(await codeFor({}, { limits: { maxChecksumFileBytes: 100 } })).toBe("file_too_large");
    });

    it("cuts an over-long README at a character boundary", async () => {
      const readme = "é".repeat(40 * 1024);
      const result = await processArchive(await build({ files: { "README.md": readme } }));
      expect(new TextEncoder().encode(result.readme).length).toBeLessThanOrEqual(64 * 1024);
      expect(result.readme).toBe("é".repeat(32 * 1024));
    });
  });

  describe("CHECKSUM", () => {
    it("rejects a tampered file as checksum_mismatch", async () => {
      const good = await buildArchive();
      const files = await buildArchiveFiles();
      const tampered = await buildArchive({
        files: { "src/main.ori": "evil()\n" },
        checksumOverride: files["CHECKSUM"] as string,
      });
      expect(await codeOf(processArchive(good))).toBeUndefined();
      expect(await codeOf(processArchive(tampered))).toBe("checksum_mismatch");
    });

    it("rejects a file missing from CHECKSUM and a line for an absent file", async () => {
      const files = await buildArchiveFiles();
      const checksum = files["CHECKSUM"] as string;
      expect(await codeFor({ files: { "src/extra.ori": "x" }, checksumOverride: checksum })).toBe(
        "checksum_missing_entry",
      );
      expect(await codeFor({ omit: ["README.md"], checksumOverride: checksum })).toBe("checksum_extra_entry");
    });

    it("rejects malformed and unsorted CHECKSUM files", async () => {
      expect(await codeFor({ checksumOverride: "not a checksum\n" })).toBe("checksum_malformed");
      const files = await buildArchiveFiles();
      const reversed = (files["CHECKSUM"] as string).trimEnd().split("\n").reverse().join("\n") + "\n";
      expect(await codeFor({ checksumOverride: reversed })).toBe("checksum_unsorted");
    });
  });

  describe("manifest and lock", () => {
    it("rejects a name different from the one published to", async () => {
      expect(await codeFor({ name: "@acme/other" }, { expectedName: "@acme/hello" })).toBe("name_mismatch");
    });

    it("surfaces manifest errors with their codes", async () => {
      expect(await codeFor({ rawManifestExtra: '[scripts]\nbuild = "make"\n' })).toBe("manifest_has_scripts");
      expect(await codeFor({ dependencies: { "@orilib/utils": "^2.0.0" }, lock: "" })).toBe("dependency_not_exact");
      expect(await codeFor({ version: "1.0" })).toBe("invalid_version");
      expect(await codeFor({ manifest: "not toml at all" })).toBe("invalid_manifest");
    });

    it("rejects an invalid lock file", async () => {
      expect(await codeFor({ lock: '[checksums]\n"@a/b:1.0.0" = "md5:abc"\n' })).toBe("invalid_lockfile");
      expect(await codeFor({ lock: `[checksums]\n"@a/b:^1.0" = "sha256:${"0".repeat(64)}"\n` })).toBe(
        "invalid_lockfile",
      );
    });

    it("requires a lock line at each runtime and dev dependency's exact version", async () => {
      const digest = "0".repeat(64);
      expect(await codeFor({ dependencies: { "@orilib/utils": "2.0.1" }, lock: "" })).toBe("lockfile_mismatch");
      expect(
        await codeFor({
          dependencies: { "@orilib/utils": "2.0.1" },
          lock: `[checksums]\n"@orilib/utils:2.0.0" = "sha256:${digest}"\n`,
        }),
      ).toBe("lockfile_mismatch");
      expect(await codeFor({ devDependencies: { "@orilib/test-helpers": "1.0.0" }, lock: "[checksums]\n" })).toBe(
        "lockfile_mismatch",
      );
      // Extra (transitive) entries are fine, and std modules need none.
      const lock = `[checksums]\n"@orilib/utils:2.0.1" = "sha256:${digest}"\n"@orilib/core:1.0.0" = "sha256:${digest}"\n`;
      expect(await codeFor({ dependencies: { "@orilib/utils": "2.0.1" }, lock })).toBeUndefined();
      expect(
        await codeFor({
          manifest: validManifest("@acme/hello", "1.0.0", '[dependencies]\nstd.json\nstd.crypto = "1.0.1"\n'),
          lock: "[checksums]\n",
        }),
      ).toBeUndefined();
    });

    it("still reads a lock without the [checksums] table", async () => {
      const digest = "0".repeat(64);
      expect(
        await codeFor({
          dependencies: { "@orilib/utils": "2.0.1" },
          lock: `"@orilib/utils:2.0.1" = "sha256:${digest}"\n`,
        }),
      ).toBeUndefined();
    });

    it("says to run ori sync, never ori lock", async () => {
      const err = await processArchive(
        await build({ dependencies: { "@orilib/utils": "2.0.1" }, lock: "[checksums]\n" }),
      ).catch((e: Error) => e);
      expect(String(err)).toMatch(/run `ori sync`.*"@orilib\/utils:2\.0\.1" = "sha256:/);
      expect(String(err)).not.toMatch(/ori lock/);
    });

    it("requires the [project.entry] files", async () => {
      const entry = '[project.entry]\nlib = "src/lib.ori"\nmain = "src/main.ori"\n';
      const manifest = validManifest("@acme/hello", "1.0.0").replace('ori = "0.5.0"', `ori = "0.5.0"\n${entry}`);
      expect(await codeFor({ manifest, files: { "src/lib.ori": "x" } })).toBeUndefined();
      expect(await codeFor({ manifest })).toBe("manifest_invalid_field");
    });
  });
});
