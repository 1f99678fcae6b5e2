// The README renderer against hostile Markdown: XSS cheat-sheet vectors (OWASP's filter evasion
// list, the classic mXSS and protocol tricks), each rendered and then parsed back by parse5 (the
// HTML parser browsers' spec describes) to check what a browser would build: no script or style,
// no event handler, no javascript:/data:/vbscript: URL anywhere, images only by http(s) URL.
import { describe, expect, it } from "vitest";
import { fromHtml } from "hast-util-from-html";
import type { Element, Root, RootContent } from "hast";
import { MAX_README_HTML_BYTES, renderReadme } from "./readme-html";
import { utf8 } from "../util/bytes";

const HOSTILE: [string, string][] = [
  ["script tag", "<script>alert(1)</script>"],
  ["script, upper case", "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>"],
  ["script split by a null", "<scr\u0000ipt>alert(1)</scr\u0000ipt>"],
  ["img onerror", '<img src=x onerror="alert(1)">'],
  ["img onerror, no quotes", "<IMG SRC=# onmouseover=alert('xxs')>"],
  ["img with javascript src", '<img src="javascript:alert(1)">'],
  ["img with data src", '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ["img with a relative src", '<img src="/v1/admin/users">'],
  ["markdown image with javascript", "![x](javascript:alert(1))"],
  ["markdown image with data", "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ["markdown link with javascript", "[click](javascript:alert(1))"],
  ["markdown link with entity-encoded javascript", "[click](&#106;avascript:alert(1))"],
  ["markdown link with a tab in the scheme", "[click](java\tscript:alert(1))"],
  ["markdown link with upper case scheme", "[click](JaVaScRiPt:alert(1))"],
  ["reference link with javascript", "[click][r]\n\n[r]: javascript:alert(1)"],
  ["autolink with javascript", "<javascript:alert(1)>"],
  ["a href javascript", '<a href="javascript:alert(1)">x</a>'],
  ["a href with entities", '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>'],
  ["a href vbscript", '<a href="vbscript:msgbox(1)">x</a>'],
  ["a href data", '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
  ["a with onclick", '<a href="https://ok.example" onclick="alert(1)">x</a>'],
  ["svg onload", '<svg onload="alert(1)"><circle r="1"/></svg>'],
  ["svg with script", "<svg><script>alert(1)</script></svg>"],
  ["math with href", '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>'],
  ["iframe", '<iframe src="https://evil.example"></iframe>'],
  ["iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ["object", '<object data="javascript:alert(1)"></object>'],
  ["embed", '<embed src="https://evil.example/x.swf">'],
  [
    "form and button",
    '<form action="https://evil.example"><button formaction="javascript:alert(1)">go</button></form>',
  ],
  ["input autofocus onfocus", "<input autofocus onfocus=alert(1)>"],
  ["style tag", "<style>body{background:url(javascript:alert(1))}</style>"],
  ["style attribute", '<p style="background:url(javascript:alert(1))">x</p>'],
  ["meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ["base href", '<base href="https://evil.example/">'],
  ["link stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'],
  ["details ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"],
  ["body onload", "<body onload=alert(1)>"],
  ["mXSS through noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ["mXSS through a comment", "<!--<img src=x onerror=alert(1)>-->"],
  ["mXSS through textarea", "<textarea><img src=x onerror=alert(1)></textarea>"],
  ["mXSS through title", "<title><img src=x onerror=alert(1)></title>"],
  [
    "unclosed attribute swallowing markup",
    '<a href="https://ok.example/" title="x>y<img src=x onerror=alert(1)>">z</a>',
  ],
  ["html in a table cell", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"],
  ["html in a footnote", "x[^1]\n\n[^1]: <script>alert(1)</script>"],
  ["id clobbering", '<a id="__proto__" name="location">x</a><img name="cookie" src="https://ok.example/i.png">'],
  ["xlink href", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'],
  ["formaction on input", '<input type="image" formaction="javascript:alert(1)">'],
  ["srcset", '<picture><source srcset="javascript:alert(1)"><img src="https://ok.example/a.png"></picture>'],
  ["template", "<template><script>alert(1)</script></template>"],
];

/** Every element of a parsed page. */
function elements(node: Root | RootContent, out: Element[] = []): Element[] {
  if (node.type === "element") out.push(node);
  if ("children" in node) for (const c of node.children) elements(c, out);
  if (node.type === "element" && node.tagName === "template" && node.content) elements(node.content, out);
  return out;
}

const BAD_URL = /^\s*(?:javascript|vbscript|data|file):/i;
const FORBIDDEN_TAGS = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "form",
  "button",
  "meta",
  "base",
  "link",
  "svg",
  "math",
  "template",
  "textarea",
  "title",
  "noscript",
  "body",
]);

function problems(html: string): string[] {
  const out: string[] = [];
  for (const el of elements(fromHtml(html, { fragment: true }))) {
    if (FORBIDDEN_TAGS.has(el.tagName)) out.push(`<${el.tagName}>`);
    for (const [key, value] of Object.entries(el.properties)) {
      const name = key.toLowerCase();
      if (name.startsWith("on")) out.push(`${el.tagName} ${key}`);
      if (name === "style" || name === "srcset" || name === "formaction") out.push(`${el.tagName} ${key}`);
      const text = Array.isArray(value) ? value.join(" ") : String(value);
      if (BAD_URL.test(text)) out.push(`${el.tagName} ${key}=${text}`);
    }
    if (el.tagName === "img" && el.properties.src !== undefined && !/^https?:\/\//.test(String(el.properties.src)))
      out.push(`img src=${String(el.properties.src)}`);
  }
  return out;
}

describe("renderReadme: hostile Markdown", () => {
  it.each(HOSTILE)("%s: nothing a browser would run", (_name, markdown) => {
    const { html } = renderReadme(markdown);
    expect(problems(html)).toEqual([]);
  });

  it("the checker itself finds what an unsanitized page would hold (the test can fail)", () => {
    expect(problems('<img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a><script></script>')).toEqual([
      "img onError",
      "img src=x",
      "a href=javascript:alert(1)",
      "<script>",
    ]);
  });

  it("prefixes ids so a README cannot clobber the page's globals", () => {
    const { html } = renderReadme('<a id="__proto__" name="location">x</a>');
    expect(html).toContain('id="user-content-__proto__"');
    expect(html).toContain('name="user-content-location"');
  });
});

describe("renderReadme: what a README keeps", () => {
  it("renders GitHub-flavoured Markdown: headings, emphasis, code, tables, task lists, strikethrough", () => {
    const { html, plainText } = renderReadme(
      "# Title\n\nSome *em* and **strong**, `code`, ~~gone~~.\n\n```ts\nconst x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n",
    );
    expect(plainText).toBe(false);
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<em>em</em>");
    expect(html).toContain("<strong>strong</strong>");
    expect(html).toContain("<del>gone</del>");
    expect(html).toContain('<code class="language-ts">const x = 1;\n</code>');
    expect(html).toContain("<table>");
    expect(html).toContain('<input type="checkbox" checked disabled>');
  });

  it("keeps the raw HTML GitHub allows (details, centred images by https URL)", () => {
    const { html } = renderReadme(
      '<p align="center"><img src="https://img.example/logo.png" alt="logo" width="100"></p>\n\n<details><summary>More</summary>\n\nHidden *text*\n\n</details>',
    );
    expect(html).toContain('<p align="center"><img src="https://img.example/logo.png" alt="logo" width="100"></p>');
    expect(html).toContain("<details><summary>More</summary>");
    expect(html).toContain("<em>text</em>");
  });

  it("marks links to other sites nofollow, keeps relative and in-page links as written", () => {
    const { html } = renderReadme("[site](https://example.org) [doc](docs/guide.md) [top](#title)");
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>');
    expect(html).toContain('<a href="docs/guide.md">doc</a>');
    expect(html).toContain('<a href="#title">top</a>');
  });

  it("links footnotes to their prefixed ids", () => {
    const { html } = renderReadme("x[^1]\n\n[^1]: note");
    const href = /href="#([^"]+)"[^>]*data-footnote-ref/.exec(html)?.[1];
    expect(href).toBeDefined();
    expect(html).toContain(`id="${href}"`);
  });

  it("bounds the HTML: a README that expands past the limit is shown as escaped plain text", () => {
    const url = `https://example.org/${"a".repeat(1000)}`;
    const markdown = `${"[x][r] ".repeat(9000)}\n\n[r]: ${url}\n<script>alert(1)</script>`;
    expect(utf8(markdown).length).toBeLessThan(64 * 1024);
    const { html, plainText } = renderReadme(markdown);
    expect(plainText).toBe(true);
    expect(utf8(html).length).toBeLessThanOrEqual(MAX_README_HTML_BYTES);
    expect(html.startsWith("<pre>")).toBe(true);
    expect(problems(html)).toEqual([]);
    expect(html).toContain("&#60;script&#62;");
  });
});
