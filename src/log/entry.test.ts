// Log entries: the exact `<name> <version> sha256:<hex>\n` format, strictly parsed.
import { describe, expect, it } from "vitest";
import { entryLeafHash, formatEntry, parseEntry } from "./entry";
import { isLogError } from "./errors";
import { leafHash } from "./hash";

const SHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

describe("log entries", () => {
  it("format as `<name> <version> sha256:<hex>\\n` and parse back", () => {
    const line = formatEntry("@acme/http", "1.0.0", SHA);
    expect(line).toBe(`@acme/http 1.0.0 sha256:${SHA}\n`);
    expect(formatEntry({ name: "@acme/http", version: "1.0.0", sha256: SHA })).toBe(line);
    expect(parseEntry(line)).toEqual({ name: "@acme/http", version: "1.0.0", sha256: SHA });
    expect(parseEntry(new TextEncoder().encode(line))).toEqual(parseEntry(line));
    expect(entryLeafHash(line)).toEqual(leafHash(new TextEncoder().encode(line)));
  });

  it("refuse anything else", () => {
    const bad = [
      "",
      `@acme/http 1.0.0 sha256:${SHA}`, // no newline
      `@acme/http 1.0.0 sha256:${SHA}\n\n`,
      `@acme/http 1.0.0 sha256:${SHA}\r\n`,
      `@acme/http  1.0.0 sha256:${SHA}\n`,
      ` @acme/http 1.0.0 sha256:${SHA}\n`,
      `@acme/http 1.0.0 sha256:${SHA.toUpperCase()}\n`,
      `@acme/http 1.0.0 sha256:${SHA.slice(1)}\n`,
      `@acme/http 1.0.0 sha512:${SHA}\n`,
      `@acme/http 1.0.0 ${SHA}\n`,
      `@acme/http 1.0.0 sha256:${SHA} extra\n`,
      `@acme/http\t1.0.0 sha256:${SHA}\n`,
      `@acmé/http 1.0.0 sha256:${SHA}\n`,
      `@acme/http 1.0.0\nsha256:${SHA}\n`,
    ];
    for (const line of bad) {
      try {
        parseEntry(line);
        expect.unreachable(JSON.stringify(line));
      } catch (e) {
        expect(isLogError(e, "malformed_entry"), JSON.stringify(line)).toBe(true);
      }
    }
    expect(() => formatEntry("a b", "1.0.0", SHA)).toThrow();
    expect(() => formatEntry("@a/b", "", SHA)).toThrow();
    expect(() => formatEntry("@a/b", "1.0.0", SHA.toUpperCase())).toThrow();
    expect(() => parseEntry(new Uint8Array([0xff, 0x0a]))).toThrow();
  });
});
