// CVSS base scores (v3.0, v3.1, v4.0) computed from the vectors of an advisory's `severity`, so
// a score is always shown next to the vector it comes from. The arithmetic is FIRST's, done by
// ae-cvss-calculator; this module adds the strict parsing that library leaves out (it accepts
// repeated or missing metrics): every base metric once, known metrics and values only.
import * as calculator from "ae-cvss-calculator";

export type CvssRating = "NONE" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";

export interface CvssScore {
  type: "CVSS_V3" | "CVSS_V4";
  vector: string;
  version: "3.0" | "3.1" | "4.0";
  /** The base score (CVSS-B for v4.0: base metrics only, whatever threat/environmental metrics the vector adds). */
  baseScore: number;
  /** FIRST's qualitative rating of the base score. */
  baseSeverity: CvssRating;
}

export type CvssCheck = { ok: true; value: CvssScore } | { ok: false; message: string };

const V3: Record<string, string[]> = {
  AV: ["N", "A", "L", "P"],
  AC: ["L", "H"],
  PR: ["N", "L", "H"],
  UI: ["N", "R"],
  S: ["U", "C"],
  C: ["N", "L", "H"],
  I: ["N", "L", "H"],
  A: ["N", "L", "H"],
  E: ["X", "U", "P", "F", "H"],
  RL: ["X", "O", "T", "W", "U"],
  RC: ["X", "U", "R", "C"],
  CR: ["X", "L", "M", "H"],
  IR: ["X", "L", "M", "H"],
  AR: ["X", "L", "M", "H"],
  MAV: ["X", "N", "A", "L", "P"],
  MAC: ["X", "L", "H"],
  MPR: ["X", "N", "L", "H"],
  MUI: ["X", "N", "R"],
  MS: ["X", "U", "C"],
  MC: ["X", "N", "L", "H"],
  MI: ["X", "N", "L", "H"],
  MA: ["X", "N", "L", "H"],
};
const V3_BASE = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];

const V4: Record<string, string[]> = {
  AV: ["N", "A", "L", "P"],
  AC: ["L", "H"],
  AT: ["N", "P"],
  PR: ["N", "L", "H"],
  UI: ["N", "P", "A"],
  VC: ["H", "L", "N"],
  VI: ["H", "L", "N"],
  VA: ["H", "L", "N"],
  SC: ["H", "L", "N"],
  SI: ["H", "L", "N"],
  SA: ["H", "L", "N"],
  E: ["X", "A", "P", "U"],
  CR: ["X", "H", "M", "L"],
  IR: ["X", "H", "M", "L"],
  AR: ["X", "H", "M", "L"],
  MAV: ["X", "N", "A", "L", "P"],
  MAC: ["X", "L", "H"],
  MAT: ["X", "N", "P"],
  MPR: ["X", "N", "L", "H"],
  MUI: ["X", "N", "P", "A"],
  MVC: ["X", "H", "L", "N"],
  MVI: ["X", "H", "L", "N"],
  MVA: ["X", "H", "L", "N"],
  MSC: ["X", "H", "L", "N"],
  MSI: ["X", "H", "L", "N", "S"],
  MSA: ["X", "H", "L", "N", "S"],
  S: ["X", "N", "P"],
  AU: ["X", "N", "Y"],
  R: ["X", "A", "U", "I"],
  V: ["X", "D", "C"],
  RE: ["X", "L", "M", "H"],
  U: ["X", "Clear", "Green", "Amber", "Red"],
};
const V4_BASE = ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"];
const MAX_VECTOR = 256;

/** Parses and scores a CVSS vector of an OSV severity entry. */
export function scoreSeverity(type: string, vector: string): CvssCheck {
  if (type !== "CVSS_V3" && type !== "CVSS_V4") {
    return {
      ok: false,
      message: `severity type ${JSON.stringify(type)} is not accepted: give a CVSS_V3 (3.0 or 3.1) or CVSS_V4 vector`,
    };
  }
  if (typeof vector !== "string" || vector.length > MAX_VECTOR)
    return { ok: false, message: "a CVSS vector is a string of at most 256 characters" };
  const [prefix, ...parts] = vector.split("/");
  const version = prefix === "CVSS:3.0" ? "3.0" : prefix === "CVSS:3.1" ? "3.1" : prefix === "CVSS:4.0" ? "4.0" : null;
  if (version === null || (type === "CVSS_V3") !== version.startsWith("3")) {
    return {
      ok: false,
      message: `a ${type} vector starts with ${type === "CVSS_V3" ? "CVSS:3.1/ (or CVSS:3.0/)" : "CVSS:4.0/"}`,
    };
  }
  const allowed = version === "4.0" ? V4 : V3;
  const seen = new Map<string, string>();
  for (const part of parts) {
    const at = part.indexOf(":");
    const key = part.slice(0, at);
    const value = part.slice(at + 1);
    if (at <= 0 || !Object.hasOwn(allowed, key))
      return { ok: false, message: `${quoteMetric(part)} is not a CVSS ${version} metric` };
    if (!allowed[key]!.includes(value))
      return {
        ok: false,
        message: `${key}:${value} is not a value of the CVSS ${version} metric ${key} (${allowed[key]!.join(", ")})`,
      };
    if (seen.has(key)) return { ok: false, message: `the CVSS metric ${key} appears twice` };
    seen.set(key, value);
  }
  const missing = (version === "4.0" ? V4_BASE : V3_BASE).filter((k) => !seen.has(k));
  if (missing.length > 0)
    return {
      ok: false,
      message: `the vector lacks the base metric${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
    };
  const baseScore = compute(version, vector);
  if (baseScore === null) return { ok: false, message: "the vector's base metrics do not define a score" };
  return { ok: true, value: { type, vector, version, baseScore, baseSeverity: rating(baseScore) } };
}

/** FIRST's qualitative severity rating scale (the same for v3.x and v4.0). */
export function rating(score: number): CvssRating {
  if (score === 0) return "NONE";
  if (score < 4) return "LOW";
  if (score < 7) return "MEDIUM";
  if (score < 9) return "HIGH";
  return "CRITICAL";
}

type Library = {
  Cvss3P0: new (v: string) => Scorable;
  Cvss3P1: new (v: string) => Scorable;
  Cvss4P0: new (v: string) => Scorable;
};
interface Scorable {
  isBaseFullyDefined(): boolean;
  calculateScores(): { base?: number; baseMetricsOnly?: number };
}

// A UMD bundle: bundlers expose its names directly, Node's ESM loader under `default`.
const lib = (
  (calculator as unknown as { Cvss3P1?: unknown }).Cvss3P1
    ? calculator
    : (calculator as unknown as { default: unknown }).default
) as Library;

function compute(version: "3.0" | "3.1" | "4.0", vector: string): number | null {
  const cvss =
    version === "4.0" ? new lib.Cvss4P0(vector) : version === "3.1" ? new lib.Cvss3P1(vector) : new lib.Cvss3P0(vector);
  if (!cvss.isBaseFullyDefined()) return null;
  const scores = cvss.calculateScores();
  const score = version === "4.0" ? scores.baseMetricsOnly : scores.base;
  return typeof score === "number" && Number.isFinite(score) ? score : null;
}

function quoteMetric(part: string): string {
  return JSON.stringify(part.length > 20 ? `${part.slice(0, 20)}…` : part);
}
