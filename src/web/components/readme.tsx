// Markdown that users wrote, shown as the sanitizer's HTML (src/processing/readme-html.ts: the
// only HTML from a user that ever reaches a page) — a README as the pipeline rendered it after
// the publish, an advisory's details as rendered for the page — else the Markdown itself as
// escaped text.
import { raw } from "hono/html";
import { Empty } from "./bits";

/**
 * The sanitizer's HTML with its headings moved down under the page's own: the page has one h1
 * and the README sits under an h2, so a README's `# Title` becomes an h3 (h5 and h6 stay h6).
 * Only tag names change (`<h1`, `</h1`), so no markup can appear that the sanitizer did not let through.
 */
export function nestHeadings(html: string): string {
  return html.replace(
    /<(\/?)h([1-6])(?=[\s>])/g,
    (_, close: string, level: string) => `<${close}h${Math.min(6, Number(level) + 2)}`,
  );
}

export function Readme(props: { html: string | null; markdown: string | null; none?: string }) {
  if (props.html !== null) return <div class="readme">{raw(nestHeadings(props.html))}</div>;
  if (props.markdown === null || props.markdown.trim() === "")
    return <Empty>{props.none ?? "This version has no README."}</Empty>;
  return (
    <div class="readme">
      <pre class="readme-text">{props.markdown}</pre>
    </div>
  );
}
