// Writes docs/errors.md's table from the error table (src/api/errors.ts), between the markers.
// `npm run docs:errors`; test/repo/docs.test.ts fails when the committed file is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const out = await build({
  entryPoints: ["src/api/errors.ts"],
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  logLevel: "error",
});
const { errorsMarkdownTable } = await import(
  `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`
);
const path = "docs/errors.md";
const doc = readFileSync(path, "utf8");
const start = "<!-- errors:start (generated from src/api/errors.ts by `npm run docs:errors`) -->";
const end = "<!-- errors:end -->";
const [head, rest] = doc.split(start);
if (rest === undefined) throw new Error(`${path} has no ${start} marker`);
const tail = rest.slice(rest.indexOf(end));
writeFileSync(path, `${head}${start}\n${errorsMarkdownTable()}\n${tail}`);
console.log(`wrote ${path}`);
