// Job after a publish: check the stored archive against its recorded digest and make sure the
// KV projection has the version. Idempotent: running it twice changes nothing.
import type { Env } from "../env";
import type { VersionPublished } from "./messages";
import { ArchiveStore } from "../storage/archive-store";
import { ReadModel } from "../storage/read-model";
import { Packages } from "../services/packages";
import { toHex } from "../util/bytes";

export async function versionPublished(env: Env, msg: VersionPublished): Promise<void> {
  const packages = new Packages(env);
  const record = await packages.findVersion(msg.name, msg.version);
  // Deleted or removed since (its archive left on purpose), or never committed: nothing to check.
  if (!record || record.deleted || record.removed || record.sha256 !== msg.sha256) return;
  const object = await ArchiveStore.of(env).find(msg.sha256);
  if (!object) throw new Error(`archive ${msg.sha256} of ${msg.name}@${msg.version} is missing`);
  const stored = object.checksums.sha256;
  await object.body.cancel();
  if (stored && toHex(new Uint8Array(stored)) !== msg.sha256) {
    throw new Error(`archive of ${msg.name}@${msg.version} does not match its sha256`);
  }
  if (!(await new ReadModel(env.METADATA).findVersion(msg.name, msg.version)))
    await packages.reproject(msg.name, msg.version);
}
