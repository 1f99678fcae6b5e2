import { describe, expect, it } from "vitest";
import { isRegistryError } from "../domain/errors";
import { decodePageToken, encodePageToken } from "./paging";

describe("page tokens", () => {
  it("round-trip a cursor", () => {
    const token = encodePageToken({ after: "ORI-2026-0042" });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, ["after"])).toEqual({ after: "ORI-2026-0042" });
  });

  it.each([
    "",
    "!!!",
    "e30",
    encodePageToken({ other: "x" }),
    encodePageToken({ after: "x", extra: "y" }),
    btoa("[1]"),
    "a".repeat(600),
  ])("refuses %s with bad_request", (token) => {
    let error: unknown;
    try {
      decodePageToken(token, ["after"]);
    } catch (e) {
      error = e;
    }
    expect(isRegistryError(error, "bad_request")).toBe(true);
  });
});
