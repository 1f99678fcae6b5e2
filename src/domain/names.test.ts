import { codeOf } from "../../test/helpers/error-codes";
import { describe, it, expect } from "vitest";
import { isValidPackageName, parsePackageName, parseScope, validatePackageName } from "./names";

describe("parsePackageName", () => {
  it.each(["@acme/http", "@a/b", "@my-org/my-project", "@x1/y-2-z", "@orilib/parser"])("accepts %s", (name) => {
    const [scope, rest] = name.slice(1).split("/");
    expect(parsePackageName(name)).toEqual({ scope, name: rest, full: name });
  });

  it("accepts exactly 64 characters and rejects 65", () => {
    const at64 = `@${"a".repeat(30)}/${"b".repeat(32)}`;
    expect(at64.length).toBe(64);
    expect(parsePackageName(at64).full).toBe(at64);
    expect(codeOf(() => parsePackageName(`${at64}c`))).toBe("invalid_name");
  });

  it.each([
    ["no @", "acme/http"],
    ["no name", "@acme"],
    ["empty name", "@acme/"],
    ["empty scope", "@/http"],
    ["uppercase", "@Acme/http"],
    ["leading hyphen", "@acme/-http"],
    ["trailing hyphen", "@acme/http-"],
    ["double hyphen", "@acme/ht--tp"],
    ["underscore", "@acme/my_lib"],
    ["dot", "@acme/my.lib"],
    ["extra segment", "@acme/a/b"],
    ["space", "@acme/ http"],
    ["non-ascii", "@acme/héllo"],
    ["empty", ""],
  ])("rejects %s as invalid_name", (_, name) => {
    expect(codeOf(() => parsePackageName(name))).toBe("invalid_name");
  });

  it.each([
    "@test/x",
    "@acme/tests",
    "@example/x",
    "@acme/examples",
    "@internal/x",
    "@acme/private",
    "@temp/x",
    "@acme/tmp",
    "@build/x",
    "@acme/dist",
    "@out/x",
    "@std/x",
    "@acme/std",
    "@stdlib/x",
    "@acme/stdio",
  ])("rejects %s as reserved_name", (name) => {
    expect(codeOf(() => parsePackageName(name))).toBe("reserved_name");
  });

  it("does not reserve words that merely contain a reserved word", () => {
    expect(parsePackageName("@acme/testing").name).toBe("testing");
    expect(parsePackageName("@my-std/x").scope).toBe("my-std");
  });

  it("reports invalid before reserved and says what is allowed", () => {
    const check = validatePackageName("@STD/x");
    expect(check).toMatchObject({ ok: false, code: "invalid_name" });
    if (!check.ok) expect(check.message).toContain("lowercase");
  });
});

describe("validatePackageName / isValidPackageName", () => {
  it("never throws", () => {
    expect(validatePackageName(42)).toMatchObject({ ok: false, code: "invalid_name" });
    expect(isValidPackageName("@acme/ok")).toBe(true);
    expect(isValidPackageName("@acme/tmp")).toBe(false);
    expect(isValidPackageName(undefined)).toBe(false);
  });
});

describe("parseScope", () => {
  it("accepts @acme and acme", () => {
    expect(parseScope("@acme")).toEqual({ scope: "acme", full: "@acme" });
    expect(parseScope("acme")).toEqual({ scope: "acme", full: "@acme" });
  });

  it.each([["@Acme"], ["acme-"], [""], ["@"], ["a/b"], ["x".repeat(62)]])("rejects %s as invalid_name", (s) => {
    expect(codeOf(() => parseScope(s))).toBe("invalid_name");
  });

  it.each([["std"], ["@stdx"], ["test"], ["@dist"]])("rejects %s as reserved_name", (s) => {
    expect(codeOf(() => parseScope(s))).toBe("reserved_name");
  });
});
