// docs/storage.md stays the storage schema: every key and Durable Object name that
// src/storage/keys.ts builds, and every table a Durable Object creates, is listed there.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as keys from "../../src/storage/keys";

const root = join(__dirname, "..", "..");
const doc = readFileSync(join(root, "docs/storage.md"), "utf8");
const HOLE = "\u0000";

/** Every `code span` of the doc, each `<placeholder>` made a hole. */
const spans = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.replace(/<[^>]+>/g, HOLE)));

describe("docs/storage.md", () => {
  it("lists every key keys.ts builds, in the same shape (placeholders for the variable parts)", () => {
    const built = Object.entries(keys).map(
      ([name, key]) =>
        [
          name,
          typeof key === "function"
            ? (key as (...a: string[]) => string)(...Array.from({ length: key.length }, () => HOLE))
            : key,
        ] as const,
    );
    expect(built.length).toBeGreaterThan(10);
    const missing = built
      .filter(([, key]) => !spans.has(key))
      .map(([name, key]) => `${name}: ${key.replaceAll(HOLE, "<…>")}`);
    expect(missing).toEqual([]);
  });

  it("lists every table each Durable Object creates, in that object's row", () => {
    const dir = join(root, "src/objects");
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
    const classOf = (file: string): string | null => {
      const own = /export class (\w+) extends DurableObject/.exec(text[file]!)?.[1];
      if (own) return own;
      // A helper's tables belong to the object that imports it.
      const user = files.find(
        (f) =>
          f !== file &&
          text[f]!.includes(`from "./${file.replace(/\.ts$/, "")}"`) &&
          /extends DurableObject/.test(text[f]!),
      );
      return user ? classOf(user) : null;
    };
    const tables = files.flatMap((f) =>
      [...text[f]!.matchAll(/CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?(\w+)/g)].map((m) => ({
        table: m[1]!,
        object: classOf(f),
        file: f,
      })),
    );
    expect(tables.length).toBeGreaterThan(12);
    const missing = tables.filter(({ table, object }) => {
      const row = doc.split("\n").find((line) => line.startsWith(`| \`${object}\``));
      return !row || !new RegExp(`\\b${table}\\(`).test(row);
    });
    expect(missing.map((t) => `${t.object ?? t.file}: ${t.table}`)).toEqual([]);
  });
});
