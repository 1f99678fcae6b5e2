// A version's dependency closure: every exact version a build or a test run of it downloads,
// found by walking the registry's own records (each version's pins are immutable, so the closure
// of a version never changes). Runtime-neutral: the scan job walks it with lookups of the
// PackageWriters; tests walk a map.
//
// DECISION (what counts, as npm audit and `ori audit` of a lock file count it): the version's
// direct [dependencies] and [dev-dependencies], and transitively the [dependencies] of each of
// those — never the dev-dependencies of a dependency (nobody downloads them to use it). A
// version reached both ways counts as a runtime dependency; each is listed once, with the
// shortest path (`via`) that reaches it. At most MAX_CLOSURE versions.

/** A pinned version. */
export interface Pin {
  name: string;
  version: string;
}

/** What a version pins, as its manifest says. */
export interface Pins {
  dependencies: readonly Pin[];
  devDependencies: readonly Pin[];
}

export interface ClosureEntry extends Pin {
  /** Reached only through a dev-dependency of the version itself. */
  dev: boolean;
  /** The versions between the root and this one (`@acme/b@1.0.0`), empty for a direct pin. */
  via: string[];
}

export const MAX_CLOSURE = 1_000;

export class ClosureTooLarge extends Error {
  override readonly name = "ClosureTooLarge";
}

export const pinKey = (p: Pin): string => `${p.name}@${p.version}`;

/**
 * The closure of `root`, direct pins first, breadth first. `lookup` answers a version's pins, or
 * null for a version the registry does not have (it is listed, and not walked).
 */
export async function dependencyClosure(
  root: Pins,
  lookup: (pin: Pin) => Promise<Pins | null>,
  max = MAX_CLOSURE,
): Promise<ClosureEntry[]> {
  const seen = new Map<string, ClosureEntry>();
  // Runtime pins first, so a version reached both ways is kept as a runtime dependency.
  for (const [starts, dev] of [
    [root.dependencies, false],
    [root.devDependencies, true],
  ] as const) {
    let level: ClosureEntry[] = [];
    for (const pin of starts) {
      if (seen.has(pinKey(pin))) continue;
      const entry = { name: pin.name, version: pin.version, dev, via: [] };
      seen.set(pinKey(pin), entry);
      level.push(entry);
    }
    while (level.length > 0) {
      if (seen.size > max) throw new ClosureTooLarge(`the dependency graph has more than ${max} versions`);
      const pins = await Promise.all(level.map((e) => lookup(e)));
      const next: ClosureEntry[] = [];
      level.forEach((parent, i) => {
        for (const pin of pins[i]?.dependencies ?? []) {
          if (seen.has(pinKey(pin))) continue;
          const entry = { name: pin.name, version: pin.version, dev, via: [...parent.via, pinKey(parent)] };
          seen.set(pinKey(pin), entry);
          next.push(entry);
        }
      });
      level = next;
    }
  }
  if (seen.size > max) throw new ClosureTooLarge(`the dependency graph has more than ${max} versions`);
  return [...seen.values()];
}
