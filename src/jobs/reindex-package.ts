// Rebuilds a package's search document from its PackageWriter and lists or unlists it. The
// writer no longer sends it (its outbox writes the document itself, `search` effects); the job
// stays for messages already queued and for an operator's repair. Idempotent, and safe out of
// order: the index keeps the newest revision it has seen.
import type { Env } from "../env";
import type { ReindexPackage } from "./messages";
import { searchDocument } from "../domain/search";
import { Packages } from "../services/packages";
import { Search } from "../services/search";

export async function reindexPackage(env: Env, msg: ReindexPackage): Promise<void> {
  const packages = new Packages(env);
  // Revision first: the versions read next are at least that new, so a job that read older
  // versions always carries a lower revision and cannot overwrite this one's document.
  const revision = await packages.revision(msg.name);
  const doc = searchDocument(await packages.listVersions(msg.name));
  const search = new Search(env);
  if (doc) await search.save(doc, revision);
  else await search.remove(msg.name, revision);
}
