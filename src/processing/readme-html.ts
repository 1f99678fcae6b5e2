// A package's README.md rendered to HTML once, at processing, for the web UI: GitHub-flavoured
// Markdown (micromark's CommonMark + GFM), raw HTML re-parsed by parse5 and then sanitized
// with hast-util-sanitize's default schema, which is GitHub's allowlist — no scripts, styles,
// frames, forms or event handlers, `href` only http(s)/mailto/irc/xmpp or relative, ids
// prefixed `user-content-`. Runtime-neutral: no DOM, so it runs in the Worker and the container.
//
// DECISIONS beyond GitHub's schema: an image keeps its `src` only when it is an absolute http(s)
// URL (a relative one would load from the web UI's own origin), `srcset` is dropped, and links
// to other sites get `rel="nofollow noopener noreferrer"` (as GitHub adds nofollow). The HTML is
// bounded: past MAX_README_HTML_BYTES (Markdown can expand: ten thousand references to one long
// link definition), the README is shown as escaped plain text in a <pre> instead, which the
// source's own limit (64 KiB) keeps under the bound.
import type { Element, Root, RootContent } from "hast";
import { raw } from "hast-util-raw";
import { defaultSchema, sanitize } from "hast-util-sanitize";
import { toHtml } from "hast-util-to-html";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toHast } from "mdast-util-to-hast";
import { gfm } from "micromark-extension-gfm";
import { utf8 } from "../util/bytes";

/** The most bytes of HTML a README renders to (the plain-text fallback always fits). */
export const MAX_README_HTML_BYTES = 512 * 1024;

export interface ReadmeHtml {
  html: string;
  /** True when the rendered HTML was too large and the README is shown as plain text. */
  plainText: boolean;
}

export function renderReadme(markdown: string): ReadmeHtml {
  const mdast = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  // Footnote ids unprefixed here: the sanitizer prefixes every id (and in-page href) once.
  const hast = toHast(mdast, { allowDangerousHtml: true, clobberPrefix: "" }) as Root;
  const clean = sanitize(raw(hast), defaultSchema) as Root;
  tighten(clean, idsOf(clean));
  const html = toHtml(clean);
  if (utf8(html).length <= MAX_README_HTML_BYTES) return { html, plainText: false };
  return { html: `<pre>${escapeText(markdown)}</pre>`, plainText: true };
}

/** The rules this registry adds to GitHub's schema (see the header). */
function tighten(node: Root | RootContent, ids: ReadonlySet<string>): void {
  if (node.type === "element") tightenElement(node, ids);
  if ("children" in node) for (const child of node.children) tighten(child, ids);
}

function idsOf(node: Root | RootContent, out = new Set<string>()): Set<string> {
  if (node.type === "element" && typeof node.properties.id === "string") out.add(node.properties.id);
  if ("children" in node) for (const child of node.children) idsOf(child, out);
  return out;
}

function tightenElement(el: Element, ids: ReadonlySet<string>): void {
  const props = el.properties;
  // The sanitizer prefixes ids, not the in-page links to them (footnotes): point those at the prefixed id.
  if (el.tagName === "a" && typeof props.href === "string" && props.href.startsWith("#")) {
    const target = `${defaultSchema.clobberPrefix}${props.href.slice(1)}`;
    if (ids.has(target)) props.href = `#${target}`;
  }
  if (el.tagName === "img" && typeof props.src === "string" && !isAbsoluteHttp(props.src)) delete props.src;
  delete props.srcSet;
  if (el.tagName === "a" && typeof props.href === "string" && isAbsoluteHttp(props.href)) {
    props.rel = ["nofollow", "noopener", "noreferrer"];
  }
}

function isAbsoluteHttp(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
