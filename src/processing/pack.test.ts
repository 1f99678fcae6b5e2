import { describe, it, expect } from "vitest";
import { gzipDeterministic, packArchive } from "./pack";
import { gunzip } from "./gunzip";
import { readTar } from "./tar";
import { sha256Hex } from "../util/bytes";
import { processArchive } from "./archive";
import { validManifest } from "../../test/helpers/archive-builder";

const files = {
  "oripk.toml": validManifest("@acme/packed", "1.0.0"),
  "oripk.lock": "[checksums]\n",
  "src/main.ori": "fn main() {}\n",
  "README.md": "# packed\n",
};

describe("gzipDeterministic", () => {
  it("writes no mtime and no file name", () => {
    const gz = gzipDeterministic(new TextEncoder().encode("x"));
    expect([...gz.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect([...gz.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  });

  it("gives identical bytes for identical input", () => {
    const data = new TextEncoder().encode("same bytes ".repeat(1000));
    expect(gzipDeterministic(data)).toEqual(gzipDeterministic(data.slice()));
  });
});

describe("packArchive", () => {
  it("is deterministic: same files → same bytes → same sha256", async () => {
    const a = await packArchive(files);
    const b = await packArchive(Object.fromEntries(Object.entries(files).reverse()));
    expect(b).toEqual(a);
    expect(await sha256Hex(b)).toBe(await sha256Hex(a));
    const c = await packArchive({ ...files, "src/main.ori": "fn main() { }\n" });
    expect(await sha256Hex(c)).not.toBe(await sha256Hex(a));
  });

  it("adds a CHECKSUM and produces an archive the registry accepts", async () => {
    const packed = await packArchive([
      ...Object.entries(files).map(([path, data]) => ({ path, data })),
      { path: "CHECKSUM", data: "stale" },
    ]);
    expect(readTar(gunzip(packed)).map((e) => e.path)).toEqual([
      "CHECKSUM",
      "README.md",
      "oripk.lock",
      "oripk.toml",
      "src/main.ori",
    ]);
    const processed = await processArchive(packed, { expectedName: "@acme/packed" });
    expect(processed.manifest.version).toBe("1.0.0");
  });
});
