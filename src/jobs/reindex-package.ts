// Job after any change that can affect search (publish, yank/unyank, deprecate, remove, delete):
// rebuild the package's search document from its PackageWriter and list or unlist it.
// Idempotent, and safe out of order: the index keeps the newest revision it has seen.
import type { Env } from "../env";
import type { ReindexPackage } from "./messages";
import { searchDocument } from "../domain/search";
import { SEARCH_INDEX_NAME, packageWriterName } from "../storage/keys";

export async function reindexPackage(env: Env, msg: ReindexPackage): Promise<void> {
  const writer = env.PACKAGE_WRITER.getByName(packageWriterName(msg.name));
  // Revision first: the versions read next are at least that new, so a job that read older
  // versions always carries a lower revision and cannot overwrite this one's document.
  const revision = await writer.revision();
  const doc = searchDocument(await writer.listVersions());
  const index = env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME);
  if (doc) await index.save(doc, revision);
  else await index.remove(msg.name, revision);
}
