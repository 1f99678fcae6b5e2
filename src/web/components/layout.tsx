// The frame of every page: the document head (the one stylesheet and the one script, both by
// content-hashed path with their SRI digests), a skip link, the header with the search box and
// the site's sections, the page's own content in <main>, and the footer.
import type { Child } from "hono/jsx";
import { STATIC_ASSETS } from "../static-assets";

export type Section = "home" | "search" | "advisories" | "status" | "docs";

export interface Frame {
  title: string;
  description?: string;
  section?: Section;
  /** The search box's current text (the search page keeps the query in it). */
  query?: string;
  /** The home page has its own large search box: no second one in the header. */
  headerSearch?: boolean;
  /** Private mode's sign-in page: no search box and no sections (every one would answer the sign-in page). */
  bare?: boolean;
  /** Private mode: who is signed in, and the sign-out form's CSRF token. */
  session?: { username: string; csrf: string } | null;
}

const SECTIONS: { key: Section; href: string; label: string }[] = [
  { key: "docs", href: "/docs", label: "Docs" },
  { key: "advisories", href: "/advisories", label: "Advisories" },
  { key: "status", href: "/status", label: "Status" },
];

export function Layout(props: Frame & { children?: Child }) {
  const { css, js, favicon } = STATIC_ASSETS;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title === "Ori packages" ? props.title : `${props.title} · Ori packages`}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <link rel="stylesheet" href={css.path} integrity={css.sri} />
        <link rel="icon" href={favicon.path} type="image/svg+xml" />
        <script src={js.path} integrity={js.sri} defer></script>
      </head>
      <body>
        <a class="skip-link" href="#content">
          Skip to content
        </a>
        <header class="site-header">
          <div class="inner">
            <a class="brand" href="/">
              <img src={favicon.path} alt="" width="28" height="28" />
              <span>Ori packages</span>
            </a>
            {props.headerSearch === false || props.bare ? null : <SearchForm query={props.query ?? ""} />}
            {props.bare ? null : (
              <nav class="site-nav" aria-label="Site">
                <ul>
                  {SECTIONS.map((s) => (
                    <li>
                      <a href={s.href} aria-current={props.section === s.key ? "page" : undefined}>
                        {s.label}
                      </a>
                    </li>
                  ))}
                  {props.session ? (
                    <li>
                      <SignOut username={props.session.username} csrf={props.session.csrf} />
                    </li>
                  ) : null}
                </ul>
              </nav>
            )}
          </div>
        </header>
        <main id="content" tabindex={-1}>
          <div class="inner">{props.children}</div>
        </main>
        <footer class="site-footer">
          <div class="inner">
            <span>The package registry of the Ori programming language</span>
            <a href="/docs#verify">Every checksum is in a public transparency log</a>
            <a href="/v1/openapi.json">API</a>
            <a href="/status">Status</a>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The search form; `large` on the home page. Its input is the one `/` focuses. */
export function SearchForm(props: { query: string; large?: boolean }) {
  return (
    <form class={props.large ? "search-form large" : "search-form"} action="/search" method="get" role="search">
      <label class="visually-hidden" for="search-input">
        Search packages
      </label>
      <input
        id="search-input"
        type="search"
        name="q"
        value={props.query}
        placeholder="Search packages (press / to focus)"
        maxlength={100}
        required
      />
      <button type="submit">Search</button>
    </form>
  );
}

function SignOut(props: { username: string; csrf: string }) {
  return (
    <form action="/sign-out" method="post" class="sign-out">
      <input type="hidden" name="csrf" value={props.csrf} />
      <span class="visually-hidden">Signed in as {props.username}. </span>
      <button type="submit" class="secondary">
        Sign out
      </button>
    </form>
  );
}
