// Small helpers shared by the manifest's validators (manifest.ts, manifest-dependencies.ts,
// manifest-features.ts): the shape of a parsed TOML table and the typed failures.
import { TomlDate } from "smol-toml";
import { RegistryError, quote, type ErrorCode } from "./errors";

export type Table = { [key: string]: unknown };

/** A feature name: of this package ([features] keys) or of a dependency (`features = [...]`). */
export const FEATURE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

export function has(table: Table, key: string): boolean {
  return Object.hasOwn(table, key);
}

export function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof TomlDate) && !(v instanceof Date);
}

export function fail(code: ErrorCode, field: string, why: string): never {
  throw new RegistryError(code, `oripk.toml: ${field}: ${why}`, { field });
}

export function depError(code: ErrorCode, name: string, why: string, table = "dependencies"): RegistryError {
  return new RegistryError(code, `oripk.toml: [${table}] ${quote(name)}: ${why}`, { dependency: name.slice(0, 100) });
}
