// How the CLI shows an advisory's severity and fix (`audit`, `info`): the highest-scoring
// vector's base score and rating, or its type when it does not score. The caller escapes what
// it prints (output.ts): every string here may come from the registry.
import type { SeverityView } from "../advisories/wire";

export function severityLabel(list: readonly SeverityView[]): string {
  const top = [...list].sort((a, b) => (b.baseScore ?? -1) - (a.baseScore ?? -1))[0];
  if (!top) return "unrated";
  return top.baseScore === null ? top.type : `${top.baseScore.toFixed(1)} ${top.baseSeverity ?? ""}`.trim();
}

export function fixLabel(fixedIn: string | null): string {
  return fixedIn === null ? "no fix yet" : `fixed in ${fixedIn}`;
}
