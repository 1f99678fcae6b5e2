// `publish [--dry-run]`: pack, check locally, upload with a progress bar, then verify the
// registry's answer before declaring success: the logged entry must be exactly our name,
// version and the sha256 of the bytes we sent, proven against a checkpoint signed by the
// pinned log key and consistent with the last checkpoint seen.
import { VerificationError } from "../../client/errors";
import { verifyInclusion } from "../../client/verify";
import type { CommandSpec } from "../command";
import { boolOpt } from "../command";
import { fields, progressBar } from "../output";
import { describePacked, packDirectory, packedJson } from "./pack";

export const publish: CommandSpec = {
  path: ["publish"],
  args: "",
  summary: "pack the project, upload it, and verify its transparency-log proof",
  details: "--dry-run packs and checks the archive exactly as the registry would, and uploads nothing.",
  positionals: { min: 0, max: 0 },
  options: { "dry-run": { type: "boolean", short: "n", description: "pack and check only; do not upload" } },
  async run(ctx, { opts }) {
    const packed = await packDirectory(ctx);
    if (boolOpt(opts, "dry-run")) {
      return {
        data: { dryRun: true, registry: ctx.registry().url, ...packedJson(packed) },
        human: `Dry run: would publish to ${ctx.registry().url}\n${describePacked(packed)}\nThe archive passes the registry's checks. Nothing was uploaded.`,
      };
    }
    const client = ctx.client();
    // Pin (or load) the log key before uploading, so the answer is judged by a key chosen
    // independently of it.
    const key = await ctx.trustedLogKey(client);
    const bar = progressBar(ctx.streams, `Uploading ${packed.name}@${packed.version}`);
    let res;
    try {
      res = await client.publish(packed.name, packed.bytes, bar.update);
    } finally {
      bar.done();
    }
    const subject = `the publish answer for ${packed.name}@${packed.version}`;
    if (res.sha256 !== packed.sha256 || res.name !== packed.name || res.version !== packed.version) {
      throw new VerificationError(subject, [
        {
          check: "published name, version and sha256 vs the archive sent",
          expected: `${packed.name} ${packed.version} ${packed.sha256}`,
          actual: `${res.name} ${res.version} ${res.sha256}`,
        },
      ]);
    }
    const checkpoint = verifyInclusion(
      subject,
      res.log,
      { name: packed.name, version: packed.version, sha256: packed.sha256 },
      key,
    );
    await ctx.witness(client, key).observe(checkpoint, res.log.checkpoint);
    return {
      data: {
        ...packedJson(packed),
        registry: client.baseUrl,
        created: res.created,
        publishedAt: res.publishedAt,
        log: { ...res.log, verified: true },
      },
      human: [
        res.created
          ? `Published ${packed.name}@${packed.version} to ${client.baseUrl}`
          : `${packed.name}@${packed.version} was already published with these exact bytes`,
        fields([
          ["sha256", packed.sha256],
          ["log index", `${res.log.index} (proven in the signed tree of size ${checkpoint.size})`],
        ]),
      ].join("\n"),
    };
  },
};
