// `verify`: checks every line of an oripk.lock ([checksums], or the older top-level form)
// against the transparency log: the log must
// hold exactly `name version sha256` for each, proven against checkpoints signed by the pinned
// key, each consistent with the last checkpoint this machine saw. Reports every failure.
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { formatLockLine } from "../../domain/lockfile";
import { readLock } from "../lock-file";
import { describeMismatch, RegistryClientError, VerificationError, type Mismatch } from "../../client/errors";
import { verifyInclusion } from "../../client/verify";
import type { CommandSpec } from "../command";
import { LocalError } from "../exit-codes";
import { table } from "../output";

interface EntryResult {
  name: string;
  version: string;
  sha256: string;
  ok: boolean;
  logIndex?: number;
  treeSize?: number;
  problems?: string[];
}

export const verify: CommandSpec = {
  path: ["verify"],
  args: "[lockfile]",
  summary: "verify every entry of an oripk.lock against the transparency log",
  details:
    'Default lock file: oripk.lock in the project directory; each `"@scope/name:1.2.3" = "sha256:<hex>"` line of its\n[checksums] table is looked up and proven. Exit code 4 if any entry fails.',
  positionals: { min: 0, max: 1 },
  async run(ctx, { args }) {
    const file = args[0] ?? "oripk.lock";
    const path = isAbsolute(file) ? file : join(args[0] ? ctx.io.cwd : ctx.projectDir, file);
    if (!existsSync(path)) throw new LocalError(`no lock file at ${path}`);
    const entries = readLock(path);
    const client = ctx.client();
    const key = await ctx.trustedLogKey(client);
    const witness = ctx.witness(client, key);
    const results: EntryResult[] = [];
    // Sequential on purpose: each checkpoint is checked against the largest one seen so far.
    for (const e of entries) {
      const subject = `${e.name}@${e.version}`;
      try {
        const receipt = await client.lookup(e.name, e.version);
        const checkpoint = verifyInclusion(subject, receipt, e, key);
        await witness.observe(checkpoint, receipt.checkpoint);
        results.push({ ...e, ok: true, logIndex: receipt.index, treeSize: checkpoint.size });
      } catch (err) {
        if (err instanceof VerificationError)
          results.push({ ...e, ok: false, problems: err.mismatches.map(describeMismatch) });
        else if (err instanceof RegistryClientError && err.status === 404)
          results.push({ ...e, ok: false, problems: [`not in the log: ${err.message}`] });
        else throw err;
      }
    }
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) {
      const mismatches: Mismatch[] = failed.flatMap((r) =>
        (r.problems ?? []).map((p) => ({
          check: `${r.name}@${r.version} (its [checksums] line ${formatLockLine(r).trim()})`,
          detail: p,
        })),
      );
      throw new VerificationError(`${failed.length} of ${results.length} entries of ${path}`, mismatches);
    }
    const rows = results.map((r) => [`${r.name}@${r.version}`, String(r.logIndex), `sha256:${r.sha256.slice(0, 16)}…`]);
    return {
      data: { lockfile: path, verified: results.length, entries: results },
      human: results.length
        ? `${table([["PACKAGE", "LOG INDEX", "CHECKSUM"], ...rows])}\nAll ${results.length} entries of ${path} are in the log, consistent with every checkpoint seen.`
        : `${path} has no entries: nothing to verify.`,
    };
  },
};
