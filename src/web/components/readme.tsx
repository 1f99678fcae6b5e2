// A README: the HTML the processing pipeline rendered and sanitized after the publish (the only
// HTML from a user that ever reaches a page), else the Markdown itself as escaped text.
import { raw } from "hono/html";
import { Empty } from "./bits";

export function Readme(props: { html: string | null; markdown: string | null }) {
  if (props.html !== null) return <div class="readme">{raw(props.html)}</div>;
  if (props.markdown === null || props.markdown.trim() === "") return <Empty>This version has no README.</Empty>;
  return (
    <div class="readme">
      <pre class="readme-text">{props.markdown}</pre>
    </div>
  );
}
