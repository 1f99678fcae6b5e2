// `/search?q=…&page=N`: ranked results (the API's search, same index and ranking) with paging.
import { Empty } from "../components/bits";
import { PackageList, type PackageItem } from "../components/package-list";
import { formatCount } from "../format";
import { searchUrl } from "../links";

export interface SearchView {
  query: string;
  total: number;
  page: number;
  pageSize: number;
  /** The last page the index can serve (offsets are bounded). */
  lastPage: number;
  items: PackageItem[];
}

export function SearchPage(props: { view: SearchView | null }) {
  const v = props.view;
  if (v === null)
    return (
      <>
        <h1>Search</h1>
        <p>Type a name, a keyword or words of a description in the search box.</p>
      </>
    );
  const from = (v.page - 1) * v.pageSize + 1;
  const to = from + v.items.length - 1;
  return (
    <>
      <h1>Results for “{v.query}”</h1>
      <p class="meta-line" role="status">
        {v.total === 0
          ? "No package matches."
          : `${formatCount(from)}–${formatCount(to)} of ${formatCount(v.total)} ${v.total === 1 ? "package" : "packages"}`}
      </p>
      {v.items.length === 0 ? (
        <Empty>Try fewer words, or the name part alone (json for @acme/json).</Empty>
      ) : (
        <PackageList items={v.items} headingLevel={2} />
      )}
      <nav class="pager" aria-label="Result pages">
        {v.page > 1 ? (
          <a href={searchUrl(v.query, v.page - 1)} rel="prev">
            ← Previous
          </a>
        ) : null}
        {v.page < v.lastPage && to < v.total ? (
          <a href={searchUrl(v.query, v.page + 1)} rel="next">
            Next →
          </a>
        ) : null}
      </nav>
    </>
  );
}
