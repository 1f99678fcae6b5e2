import { describe, expect, it } from "vitest";
import { Buffer } from "node:buffer";
import { hexToBase64 } from "./bytes";

describe("hexToBase64", () => {
  it("agrees with Node's Buffer for every length up to 70 bytes and random contents", () => {
    for (let n = 0; n <= 70; n++) {
      for (let k = 0; k < 5; k++) {
        const bytes = crypto.getRandomValues(new Uint8Array(n));
        const hex = Buffer.from(bytes).toString("hex");
        expect(hexToBase64(hex), hex).toBe(Buffer.from(bytes).toString("base64"));
      }
    }
    expect(hexToBase64("00ff".repeat(16))).toBe(Buffer.from("00ff".repeat(16), "hex").toString("base64"));
  });

  it("refuses what is not lowercase hex of even length", () => {
    for (const bad of ["a", "abc", "AB", "0g", "zz", " 0", "0 ", "ab-1", "é0"]) {
      expect(() => hexToBase64(bad), bad).toThrow(TypeError);
    }
  });
});
