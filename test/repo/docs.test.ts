// The docs that are tables of the code stay true to it: docs/errors.md is the error table
// (src/api/errors.ts) as `npm run docs:errors` writes it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERRORS, errorsMarkdownTable } from "../../src/api/errors";

describe("docs/errors.md", () => {
  it("is the error table, as npm run docs:errors writes it", () => {
    const doc = readFileSync("docs/errors.md", "utf8");
    const table = /<!-- errors:start[^>]*-->\n([\s\S]*?)\n<!-- errors:end -->/.exec(doc)?.[1];
    expect(table, "run `npm run docs:errors`").toBe(errorsMarkdownTable());
  });

  it("lists every code once, with its status", () => {
    const rows = [...readFileSync("docs/errors.md", "utf8").matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(rows).toEqual(Object.entries(ERRORS).map(([code, e]) => [code, e.status]));
  });
});
