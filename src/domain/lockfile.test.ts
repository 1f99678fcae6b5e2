import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { formatLockfile, parseLockfile } from "./lockfile";

const A = "a".repeat(64);
const B = "0123456789abcdef".repeat(4);


describe("parseLockfile", () => {
  it("parses entries and sorts them by name, then version", () => {
    const text = `# generated\n"@orilib/parser:3.0.2" = "sha256:${A}"\n"@orilib/parser:3.0.10" = "sha256:${B}"\n"@acme/a:1.0.0" = "sha256:${B}"\n`;
    expect(parseLockfile(text)).toEqual([
      { name: "@acme/a", version: "1.0.0", sha256: B },
      { name: "@orilib/parser", version: "3.0.2", sha256: A },
      { name: "@orilib/parser", version: "3.0.10", sha256: B },
    ]);
  });

  it("accepts an empty lock file and UTF-8 bytes", () => {
    expect(parseLockfile("")).toEqual([]);
    expect(parseLockfile(new TextEncoder().encode(`"@a/b:1.0.0" = "sha256:${A}"`))).toHaveLength(1);
  });

  it.each([
    ["no version", `"@a/b" = "sha256:${A}"`],
    ["a range", `"@a/b:^1.0.0" = "sha256:${A}"`],
    ["a bad name", `"@A/b:1.0.0" = "sha256:${A}"`],
    ["a reserved name", `"@std/b:1.0.0" = "sha256:${A}"`],
    ["uppercase hex", `"@a/b:1.0.0" = "sha256:${A.toUpperCase()}"`],
    ["short hex", `"@a/b:1.0.0" = "sha256:${A.slice(1)}"`],
    ["another algorithm", `"@a/b:1.0.0" = "sha512:${A}"`],
    ["a bare digest", `"@a/b:1.0.0" = "${A}"`],
    ["a number", `"@a/b:1.0.0" = 1`],
    ["a table", `["@a/b:1.0.0"]\nsha256 = "${A}"`],
    ["bad TOML", `"@a/b:1.0.0" = `],
    ["invalid UTF-8", new Uint8Array([0xc3, 0x28])],
  ])("rejects %s as invalid_lockfile", (_, input) => {
    expect(codeOf(() => parseLockfile(input))).toBe("invalid_lockfile");
  });
});

describe("formatLockfile", () => {
  it("writes sorted, deterministic lines that parse back", () => {
    const entries = [
      { name: "@z/z", version: "1.0.0", sha256: A },
      { name: "@a/a", version: "1.10.0", sha256: B },
      { name: "@a/a", version: "1.9.0", sha256: A },
    ];
    const text = formatLockfile(entries);
    expect(text).toBe(`"@a/a:1.9.0" = "sha256:${A}"\n"@a/a:1.10.0" = "sha256:${B}"\n"@z/z:1.0.0" = "sha256:${A}"\n`);
    expect(formatLockfile([...entries].reverse())).toBe(text);
    expect(formatLockfile(parseLockfile(text))).toBe(text);
  });

  it("refuses invalid or repeated entries", () => {
    expect(codeOf(() => formatLockfile([{ name: "@a/a", version: "1.0", sha256: A }]))).toBe("invalid_lockfile");
    expect(codeOf(() => formatLockfile([{ name: "@a/a", version: "1.0.0", sha256: A }, { name: "@a/a", version: "1.0.0", sha256: B }]))).toBe("invalid_lockfile");
  });
});
