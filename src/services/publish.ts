// The publish pipeline: validate → store archive (content-addressed, so a retry is harmless) →
// the package's PackageWriter appends to the log, commits, projects to KV and enqueues jobs.
// A crash between steps leaves at most an unreferenced archive; re-sending the same bytes
// completes an interrupted publish.
import type { Env } from "../env";
import { RegistryError } from "../domain/errors";
import { processArchive } from "../processing/archive";
import { ArchiveStore } from "../storage/archive-store";
import { packageWriterName } from "../storage/keys";
import type { PublishOutcome } from "../objects/package-writer";
import type { Principal } from "../http/middleware/auth";
import { authorizePublish } from "./package-access";

export async function publishArchive(env: Env, pkg: string, bytes: Uint8Array, publisher: Principal): Promise<PublishOutcome> {
  await authorizePublish(env, publisher, pkg, { claim: false });
  const processed = await processArchive(bytes, { expectedName: pkg });
  await authorizePublish(env, publisher, pkg, { claim: true });
  await new ArchiveStore(env.BUCKET).save(processed.sha256, bytes);
  const writer = env.PACKAGE_WRITER.getByName(packageWriterName(pkg));
  const result = await writer.publish({
    name: pkg,
    version: processed.manifest.version,
    sha256: processed.sha256,
    size: processed.size,
    manifest: processed.manifest,
    readme: processed.readme ?? null,
    publisher: publisher.username,
  });
  if (!result.ok) throw new RegistryError(result.code, result.message);
  return result.value;
}
