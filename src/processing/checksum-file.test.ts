import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { formatChecksumFile, parseChecksumFile, verifyChecksums } from "./checksum-file";
import { sha256Hex } from "../util/bytes";
import { RegistryError } from "../domain/errors";

const A = "a".repeat(64);
const B = "b".repeat(64);

describe("parseChecksumFile", () => {
  it("parses sorted lines, paths with spaces included", () => {
    expect(parseChecksumFile(`sha256:${A}  README.md\nsha256:${B}  src/my file.ori\n`)).toEqual([
      { sha256: A, path: "README.md" },
      { sha256: B, path: "src/my file.ori" },
    ]);
  });

  it.each([
    ["one space", `sha256:${A} README.md\n`],
    ["uppercase hex", `sha256:${A.toUpperCase()}  README.md\n`],
    ["short hex", `sha256:${A.slice(1)}  README.md\n`],
    ["no prefix", `${A}  README.md\n`],
    ["sha512", `sha512:${A}  README.md\n`],
    ["no path", `sha256:${A}  \n`],
    ["CRLF", `sha256:${A}  README.md\r\n`],
    ["a blank line", `sha256:${A}  README.md\n\n`],
    ["no final newline", `sha256:${A}  README.md`],
    ["empty", ""],
    ["a BOM", `\ufeffsha256:${A}  README.md\n`],
  ])("rejects %s as checksum_malformed", (_, text) => {
    expect(codeOf(() => parseChecksumFile(text))).toBe("checksum_malformed");
  });

  it("rejects invalid UTF-8", () => {
    expect(codeOf(() => parseChecksumFile(new Uint8Array([0xff, 0x0a])))).toBe("checksum_malformed");
  });

  it("rejects unsorted and repeated lines as checksum_unsorted", () => {
    expect(codeOf(() => parseChecksumFile(`sha256:${A}  src/b\nsha256:${A}  src/a\n`))).toBe("checksum_unsorted");
    expect(codeOf(() => parseChecksumFile(`sha256:${A}  src/a\nsha256:${B}  src/a\n`))).toBe("checksum_unsorted");
  });
});

describe("formatChecksumFile", () => {
  it("sorts by path and round-trips", () => {
    const text = formatChecksumFile([
      { path: "src/b.ori", sha256: B },
      { path: "README.md", sha256: A },
    ]);
    expect(text).toBe(`sha256:${A}  README.md\nsha256:${B}  src/b.ori\n`);
    expect(formatChecksumFile(parseChecksumFile(text))).toBe(text);
  });
});

describe("verifyChecksums", () => {
  const actual = new Map([
    ["README.md", A],
    ["src/a.ori", B],
  ]);

  it("accepts an exact listing", () => {
    expect(() =>
      verifyChecksums(
        [
          { path: "README.md", sha256: A },
          { path: "src/a.ori", sha256: B },
        ],
        actual,
      ),
    ).not.toThrow();
  });

  it("names a file CHECKSUM misses", () => {
    const err = (() => {
      try {
        verifyChecksums([{ path: "README.md", sha256: A }], actual);
      } catch (e) {
        return e as RegistryError;
      }
    })();
    expect(err?.code).toBe("checksum_missing_entry");
    expect(err?.message).toContain("src/a.ori");
  });

  it("rejects a line for an absent file, or for CHECKSUM itself", () => {
    expect(
      codeOf(() =>
        verifyChecksums(
          [
            { path: "README.md", sha256: A },
            { path: "src/a.ori", sha256: B },
            { path: "src/gone.ori", sha256: A },
          ],
          actual,
        ),
      ),
    ).toBe("checksum_extra_entry");
    expect(
      codeOf(() =>
        verifyChecksums(
          [
            { path: "CHECKSUM", sha256: A },
            { path: "README.md", sha256: A },
            { path: "src/a.ori", sha256: B },
          ],
          actual,
        ),
      ),
    ).toBe("checksum_extra_entry");
  });

  it("names the file whose digest differs", () => {
    expect(() =>
      verifyChecksums(
        [
          { path: "README.md", sha256: A },
          { path: "src/a.ori", sha256: A },
        ],
        actual,
      ),
    ).toThrow(/src\/a\.ori/);
    expect(
      codeOf(() =>
        verifyChecksums(
          [
            { path: "README.md", sha256: A },
            { path: "src/a.ori", sha256: A },
          ],
          actual,
        ),
      ),
    ).toBe("checksum_mismatch");
  });
});

describe("sha256Hex", () => {
  it("matches the known digest of the empty string", async () => {
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
