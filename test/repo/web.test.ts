// The web UI against itself: the generated static-assets.ts is what scripts/build-assets.mjs
// writes from src/web/assets/ (so a changed stylesheet or script changes its hashed name and
// the CSP's hash), and HTML from outside reaches a page in one place only — the README (and
// nothing else) may be given as raw HTML, which is the processing pipeline's sanitized output.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs script
import { assetModule, GENERATED } from "../../scripts/build-assets.mjs";

const root = join(__dirname, "..", "..");

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : /\.tsx?$/.test(path) ? [path] : [];
  });
}

describe("src/web/static-assets.ts", () => {
  it("is what npm run build:assets writes from src/web/assets/", () => {
    expect(readFileSync(GENERATED as string, "utf8")).toBe((assetModule as () => string)());
  });
});

describe("raw HTML in pages", () => {
  it("comes only from the README component (the sanitizer's output), never from anywhere else", () => {
    const users = files("src/web")
      .filter((p) => !/\.test\.tsx?$/.test(p))
      .filter((p) => /\braw\(|dangerouslySetInnerHTML|from "hono\/html"/.test(readFileSync(join(root, p), "utf8")));
    expect(users).toEqual(["src/web/components/readme.tsx"]);
  });
});
