import { describe, expect, it } from "vitest";
import { ClosureTooLarge, dependencyClosure, type Pin, type Pins } from "./closure";

const pin = (s: string): Pin => {
  const at = s.lastIndexOf("@");
  return { name: s.slice(0, at), version: s.slice(at + 1) };
};

/** A registry of versions: "name@version" → its runtime and dev pins. */
function registry(graph: Record<string, { deps?: string[]; dev?: string[] }>) {
  const asked: string[] = [];
  const lookup = async (p: Pin): Promise<Pins | null> => {
    asked.push(`${p.name}@${p.version}`);
    const node = graph[`${p.name}@${p.version}`];
    return node ? { dependencies: (node.deps ?? []).map(pin), devDependencies: (node.dev ?? []).map(pin) } : null;
  };
  return { lookup, asked };
}

const root = (deps: string[], dev: string[] = []): Pins => ({
  dependencies: deps.map(pin),
  devDependencies: dev.map(pin),
});

describe("dependencyClosure", () => {
  it("follows a chain A → B → C, with the path to each", async () => {
    const { lookup } = registry({ "@x/b@1.0.0": { deps: ["@x/c@1.0.0"] }, "@x/c@1.0.0": {} });
    expect(await dependencyClosure(root(["@x/b@1.0.0"]), lookup)).toEqual([
      { name: "@x/b", version: "1.0.0", dev: false, via: [] },
      { name: "@x/c", version: "1.0.0", dev: false, via: ["@x/b@1.0.0"] },
    ]);
  });

  it("counts the version's own dev-dependencies and their runtime dependencies, never a dependency's dev-dependencies", async () => {
    const { lookup } = registry({
      "@x/b@1.0.0": { dev: ["@x/test@1.0.0"] },
      "@x/t@1.0.0": { deps: ["@x/u@1.0.0"], dev: ["@x/v@1.0.0"] },
      "@x/u@1.0.0": {},
    });
    const closure = await dependencyClosure(root(["@x/b@1.0.0"], ["@x/t@1.0.0"]), lookup);
    expect(closure.map((e) => [`${e.name}@${e.version}`, e.dev])).toEqual([
      ["@x/b@1.0.0", false],
      ["@x/t@1.0.0", true],
      ["@x/u@1.0.0", true],
    ]);
  });

  it("lists a version reached both ways once, as a runtime dependency, by its shortest path", async () => {
    const { lookup } = registry({
      "@x/a@1.0.0": { deps: ["@x/b@1.0.0"] },
      "@x/b@1.0.0": { deps: ["@x/c@1.0.0"] },
      "@x/t@1.0.0": { deps: ["@x/c@1.0.0"] },
      "@x/c@1.0.0": {},
    });
    const closure = await dependencyClosure(root(["@x/a@1.0.0", "@x/c@1.0.0"], ["@x/t@1.0.0"]), lookup);
    expect(closure.filter((e) => e.name === "@x/c")).toEqual([{ name: "@x/c", version: "1.0.0", dev: false, via: [] }]);
    expect(closure).toHaveLength(4);
  });

  it("keeps two versions of one package apart, and walks a diamond once", async () => {
    const { lookup, asked } = registry({
      "@x/a@1.0.0": { deps: ["@x/c@1.0.0"] },
      "@x/b@1.0.0": { deps: ["@x/c@1.0.0", "@x/c@2.0.0"] },
      "@x/c@1.0.0": {},
      "@x/c@2.0.0": {},
    });
    const closure = await dependencyClosure(root(["@x/a@1.0.0", "@x/b@1.0.0"]), lookup);
    expect(closure.map((e) => `${e.name}@${e.version}`)).toEqual([
      "@x/a@1.0.0",
      "@x/b@1.0.0",
      "@x/c@1.0.0",
      "@x/c@2.0.0",
    ]);
    expect(asked.filter((k) => k === "@x/c@1.0.0")).toHaveLength(1);
  });

  it("lists a pin the registry does not have, without walking it", async () => {
    const { lookup } = registry({});
    expect(await dependencyClosure(root(["@x/gone@1.0.0"]), lookup)).toEqual([
      { name: "@x/gone", version: "1.0.0", dev: false, via: [] },
    ]);
  });

  it("refuses a closure past its limit", async () => {
    const graph: Record<string, { deps: string[] }> = {};
    for (let i = 0; i < 20; i++) graph[`@x/p${i}@1.0.0`] = { deps: [`@x/p${i + 1}@1.0.0`] };
    await expect(dependencyClosure(root(["@x/p0@1.0.0"]), registry(graph).lookup, 10)).rejects.toBeInstanceOf(
      ClosureTooLarge,
    );
  });
});
