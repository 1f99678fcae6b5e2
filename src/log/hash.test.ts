// RFC 6962 hashing against the published certificate-transparency vectors.
import { describe, expect, it } from "vitest";
import { toHex } from "../util/bytes";
import { CT_LEAVES, CT_ROOTS } from "../../test/log/vectors";
import { EMPTY_TREE_HASH, leafHash, nodeHash, parseHash, formatHash } from "./hash";
import { MemoryLog } from "./memory-log";

describe("RFC 6962 hashing", () => {
  it("hashes the empty tree as SHA-256 of nothing", () => {
    expect(toHex(EMPTY_TREE_HASH)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(new MemoryLog().treeHash())).toBe(CT_ROOTS[0]);
  });

  it("hashes a one-leaf tree as SHA-256(0x00 || data)", () => {
    // SHA-256 of the single byte 0x00.
    expect(toHex(leafHash(new Uint8Array(0)))).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    const log = new MemoryLog();
    log.append(new Uint8Array(0));
    expect(toHex(log.treeHash())).toBe(CT_ROOTS[1]);
  });

  it("reproduces the certificate-transparency roots for every prefix of the 8-leaf tree", () => {
    const log = new MemoryLog();
    for (let n = 1; n <= 8; n++) {
      log.append(CT_LEAVES[n - 1]!);
      expect(toHex(log.treeHash()), `size ${n}`).toBe(CT_ROOTS[n]);
      for (let m = 0; m <= n; m++) expect(toHex(log.treeHash(m)), `size ${m} within ${n}`).toBe(CT_ROOTS[m]);
    }
  });

  it("separates leaves from nodes", () => {
    const a = leafHash("a");
    const b = leafHash("b");
    expect(toHex(nodeHash(a, b))).not.toBe(toHex(nodeHash(b, a)));
    expect(toHex(leafHash(new Uint8Array([0x01, ...a, ...b])))).not.toBe(toHex(nodeHash(a, b)));
  });

  it("parses only canonical 32-byte base64 hashes", () => {
    const h = leafHash("x");
    expect(parseHash(formatHash(h))).toEqual(h);
    for (const bad of [
      "",
      formatHash(h).slice(0, -1),
      formatHash(h) + "=",
      ` ${formatHash(h)}`,
      "AAAA",
      formatHash(h).replace("=", ""),
    ]) {
      expect(parseHash(bad), bad).toBeNull();
    }
    // Same bytes, non-zero padding bits: not canonical.
    const canonical = formatHash(new Uint8Array(32));
    expect(parseHash(canonical.slice(0, 42) + "B=")).toBeNull();
  });
});
