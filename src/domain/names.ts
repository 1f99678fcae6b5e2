// Package names `@scope/name` (DESIGN §1): lowercase a-z, 0-9, single hyphens between them,
// at most 64 characters in all, and a few reserved words (plus anything starting with `std`);
// and usernames, the names of accounts.
import { RegistryError, quote } from "./errors";

export const MAX_PACKAGE_NAME_LENGTH = 64;

/** Reserved as a scope or a name; anything starting with `std` is reserved too. */
export const RESERVED_WORDS: readonly string[] = [
  "test",
  "tests",
  "example",
  "examples",
  "internal",
  "private",
  "temp",
  "tmp",
  "build",
  "dist",
  "out",
];

const PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CHARSET_RULE = "lowercase letters a-z, digits 0-9 and single hyphens between them";

export interface PackageName {
  /** Without the `@`. */
  scope: string;
  name: string;
  /** `@scope/name`. */
  full: string;
}

export interface Scope {
  /** Without the `@`. */
  scope: string;
  /** `@scope`. */
  full: string;
}

export type NameCheck =
  { ok: true; value: PackageName } | { ok: false; code: "invalid_name" | "reserved_name"; message: string };

/** Parses `@scope/name`; throws `invalid_name` or `reserved_name`. */
export function parsePackageName(input: string): PackageName {
  const check = validatePackageName(input);
  if (!check.ok) throw new RegistryError(check.code, check.message, { name: input.slice(0, 100) });
  return check.value;
}

/** The non-throwing form of `parsePackageName`. */
export function validatePackageName(input: unknown): NameCheck {
  if (typeof input !== "string") return invalid("a package name must be a string like @scope/name");
  const q = quote(input);
  const m = /^@([^/]*)\/([^/]*)$/.exec(input);
  if (!m) return invalid(`${q} is not a valid package name: write it as @scope/name`);
  const scope = m[1] ?? "";
  const name = m[2] ?? "";
  const partError = checkPart("scope", scope) ?? checkPart("name", name);
  if (partError) return invalid(`${q} is not a valid package name: ${partError}`);
  if (input.length > MAX_PACKAGE_NAME_LENGTH) {
    return invalid(
      `${q} is not a valid package name: it has ${input.length} characters, at most ${MAX_PACKAGE_NAME_LENGTH} are allowed`,
    );
  }
  const reserved = reservedReason("scope", scope) ?? reservedReason("name", name);
  if (reserved) return { ok: false, code: "reserved_name", message: `${q} cannot be used: ${reserved}` };
  return { ok: true, value: { scope, name, full: input } };
}

export function isValidPackageName(input: unknown): input is string {
  return validatePackageName(input).ok;
}

/** Parses a scope written `@acme` or `acme`; throws `invalid_name` or `reserved_name`. */
export function parseScope(input: string): Scope {
  const scope = input.startsWith("@") ? input.slice(1) : input;
  const q = quote(input);
  const partError = checkPart("scope", scope);
  if (partError)
    throw new RegistryError("invalid_name", `${q} is not a valid scope: ${partError}`, { scope: input.slice(0, 100) });
  // The shortest package in the scope, `@scope/x`, must still fit the name length limit.
  if (scope.length + 3 > MAX_PACKAGE_NAME_LENGTH) {
    throw new RegistryError(
      "invalid_name",
      `${q} is not a valid scope: at most ${MAX_PACKAGE_NAME_LENGTH - 3} characters are allowed`,
      {
        scope: input.slice(0, 100),
      },
    );
  }
  const reserved = reservedReason("scope", scope);
  if (reserved)
    throw new RegistryError("reserved_name", `${q} cannot be used: ${reserved}`, { scope: input.slice(0, 100) });
  return { scope, full: `@${scope}` };
}

/** An account name (GitHub's rule); the one rule for every username, in a path or a body. */
export const USERNAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/;
export const USERNAME_RULE = "1–39 lowercase letters, digits and single inner hyphens";

export function isUsername(value: string): boolean {
  return USERNAME.test(value);
}

function checkPart(kind: "scope" | "name", part: string): string | null {
  if (part.length === 0) return `the ${kind} is empty`;
  if (PART.test(part)) return null;
  if (/[A-Z]/.test(part)) return `the ${kind} ${quote(part)} has uppercase letters; only ${CHARSET_RULE} are allowed`;
  if (/^-|-$/.test(part))
    return `the ${kind} ${quote(part)} starts or ends with a hyphen; only ${CHARSET_RULE} are allowed`;
  if (part.includes("--")) return `the ${kind} ${quote(part)} has a double hyphen; only ${CHARSET_RULE} are allowed`;
  return `the ${kind} ${quote(part)} has characters outside ${CHARSET_RULE}`;
}

function reservedReason(kind: "scope" | "name", part: string): string | null {
  if (part.startsWith("std"))
    return `the ${kind} ${quote(part)} starts with "std", which is reserved for Ori's bundled standard library`;
  if (RESERVED_WORDS.includes(part))
    return `the ${kind} ${quote(part)} is a reserved word (${RESERVED_WORDS.join(", ")})`;
  return null;
}

function invalid(message: string): NameCheck {
  return { ok: false, code: "invalid_name", message };
}
