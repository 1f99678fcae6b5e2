// An OSV record's ranges in words, for the advisory page: each SEMVER (or ECOSYSTEM) range's
// events, in order, become intervals — `>= 1.0.0, < 1.2.3`, `< 2.0.5` (introduced "0"),
// `>= 3.0.0, <= 3.1.0` (last_affected), `>= 4.0.0` (no end yet).
import type { OsvEvent } from "../advisories/osv";

export function describeEvents(events: readonly OsvEvent[]): string[] {
  const out: string[] = [];
  let start: string | null = null;
  let open = false;
  const lower = () => (start === null || start === "0" ? null : `>= ${start}`);
  for (const e of events) {
    if (e.introduced !== undefined) {
      if (open) out.push(join(lower(), null));
      start = e.introduced;
      open = true;
    } else if (e.fixed !== undefined && open) {
      out.push(join(lower(), `< ${e.fixed}`));
      open = false;
    } else if (e.last_affected !== undefined && open) {
      out.push(join(lower(), `<= ${e.last_affected}`));
      open = false;
    } else if (e.limit !== undefined && open) {
      out.push(join(lower(), `< ${e.limit}`));
      open = false;
    }
  }
  if (open) out.push(join(lower(), null));
  return out;
}

function join(low: string | null, high: string | null): string {
  if (low && high) return `${low}, ${high}`;
  return low ?? high ?? "every version";
}
