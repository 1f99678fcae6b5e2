// `audit`: sends an oripk.lock to the registry's audit and prints, per entry, the advisories
// that affect its exact version — severity with its score, the version to move to — and the
// entries the registry does not know or whose checksum is not the one its log holds. Exits 6
// when anything is vulnerable (4 when a checksum differs), as cargo audit / npm audit fail CI.
// Whatever the registry sends is shown through output.ts's escaping (src/domain/text.ts's rule).
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { AuditEntry, AuditReport } from "../../advisories/audit";
import type { SeverityView } from "../../advisories/summary";
import type { CommandSpec } from "../command";
import { EXIT, LocalError } from "../exit-codes";
import { readLock } from "../lock-file";
import { oneLine, table } from "../output";
import { severityLabel } from "../advisory-format";

export const audit: CommandSpec = {
  path: ["audit"],
  args: "[lockfile]",
  summary: "check an oripk.lock against the advisory database",
  details:
    "Default lock file: oripk.lock in the project directory. Lists every advisory affecting an entry's exact version,\n" +
    "with its severity and the version that fixes it, then entries the registry does not know and checksums that\n" +
    "differ from its transparency log. Exit code 6 if any entry is vulnerable, 4 if a checksum differs, else 0.",
  positionals: { min: 0, max: 1 },
  async run(ctx, { args }) {
    const file = args[0] ?? "oripk.lock";
    const path = isAbsolute(file) ? file : join(args[0] ? ctx.io.cwd : ctx.projectDir, file);
    if (!existsSync(path)) throw new LocalError(`no lock file at ${path}`);
    readLock(path); // a bad lock is a local error, with its line and column, before anything is sent
    const report = await ctx.client().audit(readFileSync(path, "utf8"));
    const exitCode =
      report.summary.checksumMismatches > 0
        ? EXIT.verification
        : report.summary.vulnerable > 0
          ? EXIT.vulnerable
          : EXIT.ok;
    return { data: { lockfile: path, ...report }, human: render(path, report), exitCode };
  },
};

function render(path: string, report: AuditReport): string {
  const s = report.summary;
  const out: string[] = [];
  const rows = report.entries.flatMap((e) =>
    e.advisories.map((a) => [
      safe(e.name),
      safe(e.version),
      safe(a.id),
      severity(a.severity),
      a.fixedIn ? safe(a.fixedIn) : "no fix yet",
      clip(safe(a.summary ?? ""), 60),
    ]),
  );
  if (rows.length > 0)
    out.push(table([["PACKAGE", "VERSION", "ADVISORY", "SEVERITY", "FIXED IN", "SUMMARY"], ...rows]));
  const problems = report.entries.filter((e) => e.problem !== null);
  if (problems.length > 0) {
    if (out.length) out.push("");
    out.push(
      table([["PACKAGE", "VERSION", "PROBLEM"], ...problems.map((e) => [safe(e.name), safe(e.version), problem(e)])]),
    );
  }
  const notes = report.entries
    .filter((e) => e.problem === null && (e.yanked || e.removed))
    .map((e) => `note: ${safe(e.name)}@${safe(e.version)} was ${e.removed ? "removed by an administrator" : "yanked"}`);
  if (notes.length) out.push("", ...notes);
  if (out.length) out.push("");
  const verdict =
    s.vulnerable > 0
      ? `${s.vulnerable} of ${s.entries} entries of ${path} are affected by ${s.advisories} advisor${s.advisories === 1 ? "y" : "ies"}.`
      : `No advisory affects the ${s.entries} entries of ${path}.`;
  const extra = [
    s.checksumMismatches
      ? `${s.checksumMismatches} checksum${s.checksumMismatches === 1 ? " differs" : "s differ"} from the registry's log`
      : "",
    s.unknown ? `${s.unknown} unknown to the registry` : "",
  ].filter(Boolean);
  out.push(extra.length ? `${verdict} ${extra.join("; ")}.` : verdict);
  return out.join("\n");
}

function severity(list: SeverityView[]): string {
  return safe(severityLabel(list));
}

function problem(e: AuditEntry): string {
  if (e.problem === "unknown_package") return "the registry has no such package";
  if (e.problem === "unknown_version") return "the registry has no such version";
  return `CHECKSUM MISMATCH: the lock has sha256:${e.sha256.slice(0, 16)}…, the log has sha256:${(e.loggedSha256 ?? "").slice(0, 16)}…`;
}

/** Untrusted text (names, ids, summaries) shown, never obeyed: `table` escapes its cells the same way. */
const safe = oneLine;

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
