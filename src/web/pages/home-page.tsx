// `/`: the search box, the packages published last (from the search index's bounded
// "recent" read), and the ways in: docs, advisories, status, the API.
import { SearchForm } from "../components/layout";
import { Empty } from "../components/bits";
import { PackageList, type PackageItem } from "../components/package-list";

export function HomePage(props: { recent: PackageItem[] }) {
  return (
    <>
      <section class="hero" aria-labelledby="hero-heading">
        <h1 id="hero-heading">Ori packages</h1>
        <p>Find, judge and install packages for the Ori programming language.</p>
        <SearchForm query="" large />
        <p class="hint">
          Press <kbd>/</kbd> anywhere to search. Every published checksum is in a public transparency log.
        </p>
      </section>
      <div class="grid-2">
        <section aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recently published</h2>
          {props.recent.length === 0 ? (
            <Empty>Nothing has been published yet.</Empty>
          ) : (
            <PackageList items={props.recent} />
          )}
        </section>
        <section aria-labelledby="start-heading">
          <h2 id="start-heading">Get started</h2>
          <ul class="links">
            <li>
              <a href="/docs#publish">Publish a package</a>
            </li>
            <li>
              <a href="/docs#tokens">Tokens and their scopes</a>
            </li>
            <li>
              <a href="/docs#verify">Verify what you download</a>
            </li>
            <li>
              <a href="/advisories">Security advisories</a>
            </li>
            <li>
              <a href="/status">Registry status</a>
            </li>
            <li>
              <a href="/v1/openapi.json">The API (OpenAPI)</a>
            </li>
          </ul>
        </section>
      </div>
    </>
  );
}
