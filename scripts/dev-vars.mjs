// Reads and extends .dev.vars (wrangler's local secrets file), keeping what is already there.
import { existsSync, readFileSync, writeFileSync, chmodSync } from "node:fs";

export function readDevVars(path) {
  const vars = {};
  if (!existsSync(path)) return vars;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (/^".*"$/.test(value)) value = value.slice(1, -1);
    vars[m[1]] = value;
  }
  return vars;
}

export function appendDevVars(path, added) {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const prefix = existing === "" || existing.endsWith("\n") ? existing : `${existing}\n`;
  const lines = Object.entries(added).map(([k, v]) => `${k}="${v}"`);
  writeFileSync(path, `${prefix}${lines.join("\n")}\n`);
  chmodSync(path, 0o600);
}
