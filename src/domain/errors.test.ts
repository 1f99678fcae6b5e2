import { describe, it, expect } from "vitest";
import { DOMAIN_ERROR_CODES, ERROR_CODES, RegistryError, isRegistryError, quote } from "./errors";

describe("RegistryError", () => {
  it("carries a code, a message and optional details", () => {
    const err = new RegistryError("invalid_name", "bad name", { name: "x" });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("RegistryError");
    expect(err.code).toBe("invalid_name");
    expect(err.details).toEqual({ name: "x" });
    expect(isRegistryError(err, "invalid_name")).toBe(true);
    expect(isRegistryError(err, "reserved_name")).toBe(false);
    expect(isRegistryError(new Error("x"))).toBe(false);
  });

  it("lists each code once, in snake_case", () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  });

  it("quotes user input and cuts it short", () => {
    expect(quote("a\nb")).toBe('"a\\nb"');
    expect(quote("x".repeat(200)).length).toBeLessThan(100);
  });
});
