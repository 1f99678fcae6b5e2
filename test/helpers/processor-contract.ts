// The contract of the Processor port (src/processing/processor.ts), one suite run against every
// adapter: the inline one (src/processing/processor.test.ts, in Node), the container entry over
// HTTP on 127.0.0.1 (test/e2e/container.test.ts, a real child process), and the HTTP adapter
// inside workerd through a service binding (test/integration/processor-binding.test.ts). Each
// answer is compared with what the publish checks and the pure scanner say for the same input,
// so an adapter cannot pass by agreeing with itself.
import { describe, expect, it } from "vitest";
import { sampleSubmission, semverEntry } from "../../src/advisories/fixtures";
import type { OsvRecord } from "../../src/advisories/osv";
import type { Processor } from "../../src/processing/processor";
import { processArchive } from "../../src/processing/archive";
import { scanVersion, type ScanRequest } from "../../src/scanning/scan";
import { sha256Hex } from "../../src/util/bytes";
import { buildArchive, gzipBomb } from "./archive-builder";

function advisory(id: string, affected: Record<string, unknown>[], extra: Record<string, unknown> = {}): OsvRecord {
  const { aliases: _a, ...content } = sampleSubmission({ affected, ...extra });
  return {
    schema_version: "1.7.5",
    id,
    published: "2026-11-28T12:00:00Z",
    modified: "2026-11-28T12:00:00Z",
    ...content,
  } as OsvRecord;
}

export function processorContract(name: string, make: () => Processor | Promise<Processor>): void {
  describe(`Processor contract: ${name}`, () => {
    it("processes an archive: its checksum, every file with its size and sha256, the README as safe HTML", async () => {
      const processor = await make();
      const archive = await buildArchive({
        name: "@contract/ok",
        version: "1.2.0",
        files: {
          "README.md": "# Hello\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold**\n",
          "src/lib.ori": "fn lib() {}\n",
        },
      });
      const result = await processor.process(archive);
      const expected = await processArchive(archive);
      expect(result).toEqual({
        ok: true,
        sha256: await sha256Hex(archive),
        size: archive.length,
        name: "@contract/ok",
        version: "1.2.0",
        decompressedSize: expected.decompressedSize,
        files: expected.files,
        readme: { html: expect.any(String), plainText: false },
      });
      if (!result.ok) throw new Error("unreachable");
      expect(result.files.map((f) => f.path)).toEqual([
        "CHECKSUM",
        "README.md",
        "oripk.lock",
        "oripk.toml",
        "src/lib.ori",
        "src/main.ori",
      ]);
      expect(result.readme!.html).toContain("<h1>Hello</h1>");
      expect(result.readme!.html).toContain("<strong>bold</strong>");
      expect(result.readme!.html).not.toContain("<script");
      expect(result.readme!.html).not.toContain("javascript:");
    });

    it("answers readme: null for an archive without README.md", async () => {
      const processor = await make();
      const result = await processor.process(await buildArchive({ name: "@contract/bare", omit: ["README.md"] }));
      expect(result).toMatchObject({ ok: true, readme: null });
    });

    const refusals: [string, () => Promise<Uint8Array>, string][] = [
      ["bytes that are not gzip", async () => new TextEncoder().encode("plain text, not an archive"), "not_gzip"],
      [
        "a CHECKSUM that leaves out a file",
        () => buildArchive({ name: "@contract/bad", checksumOverride: `sha256:${"0".repeat(64)}  src/main.ori\n` }),
        "checksum_missing_entry",
      ],
      ["no oripk.toml", () => buildArchive({ name: "@contract/bad", omit: ["oripk.toml"] }), "missing_manifest"],
      [
        "a symlink",
        () =>
          buildArchive({
            name: "@contract/bad",
            extraTarEntries: [{ path: "src/link.ori", type: "2", linkname: "/etc/passwd" }],
          }),
        "link_not_allowed",
      ],
      ["a gzip bomb", async () => gzipBomb(), "compression_ratio_too_high"],
      ["an archive over 10 MiB", async () => new Uint8Array(10 * 1024 * 1024 + 1), "archive_too_large"],
    ];

    it.each(refusals)("refuses %s with the code a publish gets", async (_what, bytes, code) => {
      const processor = await make();
      const archive = await bytes();
      const publishSays = await processArchive(archive).then(
        () => "accepted",
        (e: { code: string }) => e.code,
      );
      expect(publishSays).toBe(code);
      const result = await processor.process(archive);
      expect(result).toMatchObject({ ok: false, code, sha256: await sha256Hex(archive), size: archive.length });
      if (result.ok) throw new Error("unreachable");
      expect(result.message.length).toBeGreaterThan(10);
    });

    it("scans a version: its own advisories and its dependencies', as the pure scanner does", async () => {
      const processor = await make();
      const request: ScanRequest = {
        name: "@contract/a",
        version: "1.0.0",
        dependencies: [
          { name: "@contract/b", version: "1.0.0", dev: false, via: [] },
          { name: "@contract/c", version: "2.0.0", dev: false, via: ["@contract/b@1.0.0"] },
          { name: "@contract/d", version: "1.0.0", dev: true, via: [] },
        ],
        advisories: [
          advisory("ORI-2026-0101", [semverEntry("@contract/c", [{ introduced: "2.0.0" }, { fixed: "2.0.5" }])]),
          advisory("ORI-2026-0102", [semverEntry("@contract/a", [{ introduced: "0" }])]),
          advisory("ORI-2026-0103", [semverEntry("@contract/d", [{ introduced: "0" }])], {
            withdrawn: "2026-11-29T00:00:00Z",
          }),
        ],
      };
      const findings = await processor.scan(request);
      expect(findings).toEqual(scanVersion(request));
      expect(findings.advisories.map((a) => a.id)).toEqual(["ORI-2026-0102"]);
      expect(findings.dependencyAdvisories.map((d) => [d.name, d.version, d.advisories.map((a) => a.fixedIn)])).toEqual(
        [["@contract/c", "2.0.0", ["2.0.5"]]],
      );
    });

    it("scans a version nothing affects to empty findings", async () => {
      const processor = await make();
      const findings = await processor.scan({
        name: "@contract/e",
        version: "1.0.0",
        dependencies: [],
        advisories: [],
      });
      expect(findings).toEqual({ advisories: [], dependencyAdvisories: [] });
    });
  });
}
