// Advisory ids `ORI-YYYY-NNNN` (the year the registry assigned it, then its number within that
// year, at least four digits, as RUSTSEC/PYSEC do) and the alias index key (CVE and GHSA ids are
// matched without regard to case: `cve-2026-1234` finds `CVE-2026-1234`).

const ID = /^ORI-([0-9]{4})-([0-9]{4,9})$/;

export function formatAdvisoryId(year: number, number: number): string {
  return `ORI-${String(year).padStart(4, "0")}-${String(number).padStart(4, "0")}`;
}

/** The year and number of an id in its one canonical spelling, or null. */
export function parseAdvisoryId(input: string): { year: number; number: number } | null {
  const m = ID.exec(input);
  if (!m) return null;
  const parsed = { year: Number(m[1]), number: Number(m[2]) };
  // One spelling per number: ORI-2026-00001 is not another name for ORI-2026-0001.
  return parsed.number > 0 && formatAdvisoryId(parsed.year, parsed.number) === input ? parsed : null;
}

export function isAdvisoryId(input: string): boolean {
  return parseAdvisoryId(input) !== null;
}

/**
 * DECISION (aliases): an alias is another database's id — `CVE-2026-1234`, `GHSA-xxxx-xxxx-xxxx`,
 * `PYSEC-…` — so it is a prefix, a hyphen and id characters, at most 64 characters. An `ORI-`
 * id is never an alias (records of this database relate through `related`/`upstream`).
 */
export const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9]{1,15}-[A-Za-z0-9][A-Za-z0-9._:-]{0,47}$/;

/** The key under which an alias is indexed and looked up. */
export function aliasKey(alias: string): string {
  return alias.toUpperCase();
}

/** Whether a path segment could name an advisory: an ORI id or an alias. */
export function looksLikeAdvisoryName(input: string): boolean {
  return isAdvisoryId(input) || ALIAS_PATTERN.test(input);
}
