// The publish pipeline: validate (the archive, then its dependencies against the registry) → store archive (content-addressed, so a retry is harmless) →
// the package's PackageWriter appends to the log, commits, projects to KV and enqueues jobs.
// A crash between steps leaves at most an unreferenced archive; re-sending the same bytes
// completes an interrupted publish. Bytes refused for a taken version are not kept.
import type { Env } from "../env";
import { RegistryError } from "../domain/errors";
import { processArchive } from "../processing/archive";
import { ArchiveStore } from "../storage/archive-store";
import { versionTakenMessage, type PublishOutcome } from "../objects/package-writer";
import type { Principal } from "../domain/principal";
import { authorizePublish, isLogged } from "./package-access";
import { Packages } from "./packages";
import { logSigner } from "../objects/log-key";
import { checkDependencies } from "./dependency-check";
import { unwrap } from "../objects/rpc-result";

/** `readUpload` is called only once the caller may publish: a refused upload is never read. */
export async function publishArchive(
  env: Env,
  pkg: string,
  readUpload: () => Promise<Uint8Array>,
  publisher: Principal,
): Promise<PublishOutcome> {
  await authorizePublish(env, publisher, pkg, { claim: false });
  const bytes = await readUpload();
  const processed = await processArchive(bytes, { expectedName: pkg });
  logSigner(env); // a registry without a log key cannot publish: say so (503) before storing anything
  const packages = new Packages(env);
  // A version an administrator deleted stays deleted: never store its bytes again. (Only a
  // version the log has can exist: a new package's writer is not touched before the claim.)
  const existing = (await isLogged(env, pkg)) ? await packages.findVersion(pkg, processed.manifest.version) : null;
  if (existing?.deleted || existing?.removed) {
    throw new RegistryError(
      "version_gone",
      `${pkg}@${existing.version} was ${existing.removed ? "removed" : "deleted"} by an administrator and cannot be published again`,
    );
  }
  // Other bytes for a taken version: refuse before storing them (the writer re-checks below).
  if (existing && existing.sha256 !== processed.sha256)
    throw new RegistryError("version_exists", versionTakenMessage(existing));
  // Same bytes again (a retry) were checked when first accepted; new bytes must pin what exists.
  if (!existing) await checkDependencies(env, processed.manifest, processed.lock);
  // Everything the registry checks passed: only now may a first publish claim its scope, so a
  // refused upload claims nothing and stores nothing.
  await authorizePublish(env, publisher, pkg, { claim: true });
  const store = ArchiveStore.of(env);
  await store.save(processed.sha256, bytes);
  const result = await packages.publish({
    name: pkg,
    version: processed.manifest.version,
    sha256: processed.sha256,
    size: processed.size,
    manifest: processed.manifest,
    readme: processed.readme ?? null,
    publisher: publisher.username,
  });
  if (!result.ok) {
    // Both answers come from committed state and are final. These bytes name this version and
    // no other (the manifest inside says which), so they must not stay on the download path.
    if (result.code === "version_exists") {
      // Another publish took the version with other bytes: nothing can refer to these.
      await store.remove(processed.sha256);
    } else if (result.code === "version_gone") {
      // An administrator removed or deleted the version meanwhile; their route may still be
      // moving the archive. A removed version's bytes must survive in quarantine (the move is
      // idempotent, so either of us may do it); a deleted version's are gone for good.
      const gone = await packages.findVersion(pkg, processed.manifest.version);
      if (gone?.deleted) await store.remove(processed.sha256);
      else if (gone?.removed) await store.quarantine(processed.sha256);
    }
  }
  return unwrap(result);
}
