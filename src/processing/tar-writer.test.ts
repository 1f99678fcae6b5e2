import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { writeTar } from "./tar-writer";
import { readTar } from "./tar";

const ascii = (b: Uint8Array, from: number, len: number) => String.fromCharCode(...b.subarray(from, from + len));

describe("writeTar", () => {
  it("writes fixed ustar headers: mode 0644, uid/gid 0, mtime 0, no owner names", () => {
    const tar = writeTar([{ path: "src/a.ori", data: "hello" }]);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(ascii(tar, 0, 9)).toBe("src/a.ori");
    expect(ascii(tar, 100, 8)).toBe("0000644\0");
    expect(ascii(tar, 108, 16)).toBe("0000000\u00000000000\0");
    expect(ascii(tar, 124, 12)).toBe("00000000005\0");
    expect(ascii(tar, 136, 12)).toBe("00000000000\0");
    expect(ascii(tar, 156, 1)).toBe("0");
    expect(ascii(tar, 257, 8)).toBe("ustar\u000000");
    expect(tar.subarray(265, 329).every((b) => b === 0)).toBe(true);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });

  it("sorts by path and does not depend on input order", () => {
    const files = [
      { path: "src/b.ori", data: "b" },
      { path: "README.md", data: "r" },
      { path: "src/a.ori", data: "a" },
    ];
    const tar = writeTar(files);
    expect(readTar(tar).map((e) => e.path)).toEqual(["README.md", "src/a.ori", "src/b.ori"]);
    expect(writeTar([...files].reverse())).toEqual(tar);
  });

  it("uses the prefix field for paths over 100 bytes", () => {
    const path = `src/${"p".repeat(120)}/${"n".repeat(90)}.ori`;
    const tar = writeTar([{ path, data: "x" }]);
    expect(ascii(tar, 345, 4)).toBe("src/");
    expect(readTar(tar)[0]?.path).toBe(path);
  });

  it("refuses paths ustar cannot hold", () => {
    expect(codeOf(() => writeTar([{ path: `src/${"n".repeat(120)}.ori`, data: "" }]))).toBe("path_not_representable");
    expect(codeOf(() => writeTar([{ path: `${"p".repeat(160)}/${"n".repeat(90)}`, data: "" }]))).toBe(
      "path_not_representable",
    );
  });

  it("refuses what the reader would reject", () => {
    expect(codeOf(() => writeTar([{ path: "../x", data: "" }]))).toBe("unsafe_path");
    expect(
      codeOf(() =>
        writeTar([
          { path: "a", data: "" },
          { path: "a", data: "" },
        ]),
      ),
    ).toBe("duplicate_path");
    expect(
      codeOf(() =>
        writeTar([
          { path: "a", data: "" },
          { path: "A", data: "" },
        ]),
      ),
    ).toBe("duplicate_path");
  });
});
