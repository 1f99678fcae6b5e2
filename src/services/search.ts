// Package search: the one SearchIndex Durable Object, a projection each PackageWriter's outbox
// keeps (a change shows once its answer arrives; a failed write is retried: docs/consistency.md).
import type { Env } from "../env";
import type { SearchDocument, SearchPage } from "../domain/search";
import { unwrap } from "../objects/rpc-result";
import { SEARCH_INDEX_NAME } from "../storage/keys";

export class Search {
  constructor(private readonly env: Env) {}

  /** One page of hits; `packages` limits them to these patterns (null: every package). */
  async search(q: string, limit: number, offset: number, packages: string[] | null): Promise<SearchPage> {
    return unwrap(await this.index().search(q, limit, offset, packages));
  }

  /** The listed packages published last, newest first (bounded by an index: docs/storage.md). */
  recent(limit: number, packages: string[] | null): Promise<SearchDocument[]> {
    return Promise.resolve(this.index().recent(limit, packages));
  }

  /** One page of a scope's listed packages, by name. */
  inScope(scope: string, limit: number, offset: number): Promise<{ total: number; packages: SearchDocument[] }> {
    return Promise.resolve(this.index().inScope(scope, limit, offset));
  }

  /** Lists (or updates) a package's document, unless the index reflects a later revision. */
  save(doc: SearchDocument, revision: number): Promise<{ applied: boolean }> {
    return Promise.resolve(this.index().save(doc, revision));
  }

  /** Unlists a package, unless the index reflects a later revision. */
  remove(pkg: string, revision: number): Promise<{ applied: boolean }> {
    return Promise.resolve(this.index().remove(pkg, revision));
  }

  private index() {
    return this.env.SEARCH_INDEX.getByName(SEARCH_INDEX_NAME);
  }
}
