// `download`: fetch an archive and prove it before keeping it: its sha256 must match the
// metadata, ETag and Repr-Digest; the log must hold exactly `name version sha256`, proven
// against a checkpoint signed by the pinned key; that checkpoint must be consistent with the
// last one this machine saw; and its contents must pass the registry's own archive checks (so
// every tar reader unpacks the same files). Nothing is written unless every check passes. With
// `--lock`, the verified checksum is also recorded in an oripk.lock ([checksums] form), refusing
// one that already pins another checksum for this version.
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { verifyArchiveContents } from "../../client/archive-contents";
import { archiveFileName } from "../../client/pack";
import { verifyArchive, verifyInclusion } from "../../client/verify";
import type { CommandSpec } from "../command";
import { stringOpt } from "../command";
import { fields, formatBytes } from "../output";
import { packageVersionArgs } from "./spec";
import { formatLockLine } from "../../domain/lockfile";
import { planLockUpdate, writeLock } from "../lock-file";

export const download: CommandSpec = {
  path: ["download"],
  args: "<package> <version>",
  summary: "download an archive, verifying its checksum, log inclusion and log consistency",
  positionals: { min: 1, max: 2 },
  details:
    "--lock <file> records the verified checksum in that oripk.lock (created if missing, always in the [checksums] form).",
  options: {
    output: {
      type: "string",
      short: "o",
      value: "<file>",
      description: "where to write it (default: <scope>-<name>-<version>.oripk)",
    },
    lock: { type: "string", value: "<file>", description: "also record its checksum in this oripk.lock" },
  },
  async run(ctx, { args, opts }) {
    const { pkg, version } = packageVersionArgs(args);
    const v = version!;
    const client = ctx.client();
    const key = await ctx.trustedLogKey(client);
    const subject = `${pkg}@${v}`;
    const meta = await client.metadata(pkg, v);
    const archive = await client.download(pkg, v);
    const sha256 = verifyArchive(subject, archive.bytes, {
      sha256: meta.sha256,
      etag: archive.etag,
      reprDigest: archive.reprDigest,
    });
    const receipt = await client.lookup(pkg, v);
    const checkpoint = verifyInclusion(
      subject,
      receipt,
      { name: pkg, version: v, sha256, logIndex: meta.logIndex },
      key,
    );
    const { previous } = await ctx.witness(client, key).observe(checkpoint, receipt.checkpoint);
    await verifyArchiveContents(subject, archive.bytes, { name: pkg, version: v });

    const lockOpt = stringOpt(opts, "lock");
    const lockPath = lockOpt === undefined ? null : isAbsolute(lockOpt) ? lockOpt : join(ctx.io.cwd, lockOpt);
    const entry = { name: pkg, version: v, sha256 };
    // Checked before anything is written: a lock that pins other bytes is a verification failure.
    const lockUpdate = lockPath ? planLockUpdate(lockPath, entry) : null;

    const out = stringOpt(opts, "output") ?? archiveFileName(pkg, v);
    const path = isAbsolute(out) ? out : join(ctx.io.cwd, out);
    // Beside the target, then renamed: a crash never leaves a half-written archive under its name.
    // A fresh random name, created exclusively: a planted file or link under it is never written through.
    const tmp = `${path}.${randomBytes(6).toString("hex")}.partial`;
    try {
      writeFileSync(tmp, archive.bytes, { flag: "wx" });
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    if (lockPath && lockUpdate?.added) writeLock(lockPath, lockUpdate.entries);
    const line = formatLockLine(entry).trim();
    const data = {
      name: pkg,
      version: v,
      path,
      sha256,
      size: archive.bytes.length,
      verified: {
        sha256: true,
        logIndex: receipt.index,
        treeSize: checkpoint.size,
        consistentWith: previous?.size ?? null,
      },
      lock: lockPath ? { path: lockPath, line, added: lockUpdate!.added } : null,
    };
    return {
      data,
      human: [
        `Downloaded ${subject} to ${path} (${formatBytes(archive.bytes.length)})`,
        fields([
          ["sha256", `${sha256} (matches metadata and headers)`],
          ["log", `entry ${receipt.index} proven in the signed tree of size ${checkpoint.size}`],
          [
            "consistency",
            previous
              ? `consistent with the tree of size ${previous.size} seen before`
              : "first checkpoint seen from this log (remembered)",
          ],
          ["lock", lockPath ? `${lockUpdate!.added ? "recorded" : "already in"} ${lockPath}: ${line}` : undefined],
        ]),
      ].join("\n"),
    };
  },
};
