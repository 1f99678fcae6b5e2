// The layout the architecture promises (docs/architecture.md), checked over the source files:
// routes, middleware and the web UI's pages never touch a binding (each is owned by a store in src/storage/ or a
// service in src/services/), and http/ and services/ are in no import cycle.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : /\.tsx?$/.test(path) ? [path] : [];
  });
}

const source = (path: string) => readFileSync(join(root, path), "utf8");

/** The Worker's bindings: the Env members typed as an R2 bucket, KV namespace, DO namespace or queue. */
function bindings(): string[] {
  const env = source("src/env.ts");
  return [...env.matchAll(/^\s+([A-Z][A-Z0-9_]*)\??: (?:R2Bucket|KVNamespace|DurableObjectNamespace|Queue)\b/gm)].map(
    (m) => m[1]!,
  );
}

describe("routes, middleware and web pages", () => {
  it("never reference a binding or a Durable Object stub", () => {
    const names = bindings();
    expect(names).toEqual(expect.arrayContaining(["BUCKET", "METADATA", "JOBS", "PACKAGE_WRITER", "LOG_SEQUENCER"]));
    const forbidden = new RegExp(`\\.(?:${names.join("|")})\\b|\\bgetByName\\(|\\bidFromName\\(`);
    const offenders = [...files("src/http/routes"), ...files("src/http/middleware"), ...files("src/web")].flatMap(
      (path) =>
        source(path)
          .split("\n")
          .map((line, i) => ({ line, at: `${path}:${i + 1}` }))
          .filter(({ line }) => forbidden.test(line.replace(/\/\/.*$/, "")))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});

/** Every relative import of a file (`types`: type-only imports too), resolved to a file under src/. */
function importsOf(path: string, types: boolean): string[] {
  const text = source(path);
  const statements = [...text.matchAll(/(?:^|\n)\s*(import|export)\s(type\s)?[^;]*?from\s+"(\.[^"]+)"/g)]
    .filter((m) => types || !m[2])
    .map((m) => m[3]!);
  const specs = [...statements, ...(types ? [...text.matchAll(/import\("(\.[^"]+)"\)/g)].map((m) => m[1]!) : [])];
  return specs.flatMap((spec) => {
    const base = join(dirname(path), spec);
    const found = [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((p) => existsSync(join(root, p)));
    return found ? [relative(root, join(root, found))] : [];
  });
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("imports", () => {
  const sources = files("src").filter((p) => !/\.test\.tsx?$/.test(p));
  const graph = new Map(sources.map((p) => [p, importsOf(p, true)]));

  it("are read (the graph is not empty)", () => {
    expect(graph.get("src/http/app.ts")).toContain("src/http/routes/packages.ts");
  });

  it("put no file of src/http or src/services in a cycle, type imports included", () => {
    const involved = cycles(graph).filter((c) =>
      c.some((p) => p.startsWith("src/http/") || p.startsWith("src/services/")),
    );
    expect(involved).toEqual([]);
  });

  it("have no cycle of value imports at all (type-only cycles, as env.ts ↔ the Durable Objects that type its bindings, are harmless)", () => {
    expect(cycles(new Map(sources.map((p) => [p, importsOf(p, false)])))).toEqual([]);
  });
});
