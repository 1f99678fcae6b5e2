// Markdown that users wrote, shown as the sanitizer's HTML (src/processing/readme-html.ts: the
// only HTML from a user that ever reaches a page) — a README as the pipeline rendered it after
// the publish, an advisory's details as rendered for the page — else the Markdown itself as
// escaped text.
import { raw } from "hono/html";
import { Empty } from "./bits";

export function Readme(props: { html: string | null; markdown: string | null; none?: string }) {
  if (props.html !== null) return <div class="readme">{raw(props.html)}</div>;
  if (props.markdown === null || props.markdown.trim() === "")
    return <Empty>{props.none ?? "This version has no README."}</Empty>;
  return (
    <div class="readme">
      <pre class="readme-text">{props.markdown}</pre>
    </div>
  );
}
