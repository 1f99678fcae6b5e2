// The web UI in a real browser (Debian's Chromium through playwright-core) against the real dev
// server: search → package page → copy the install line; a hostile README renders inert; the
// CSP stops an inline script; dark mode; the 410 page; keyboard use; axe-core finds no serious
// or critical violation on any page kind, light or dark; private mode's sign-in. Every page kind
// is saved as a screenshot under .screenshots/web/ (git-ignored) for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumMissing, launch, screenshot, seriousViolations, type Browser } from "./browser";
import { startDevServer, type DevServer } from "./dev-server";
import { Seeder, seedWebFixtures } from "./web-fixtures";

const missing = chromiumMissing();
if (missing) console.warn(`SKIPPED the browser tests: ${missing}`);

describe.skipIf(missing !== null)("the web UI in Chromium", () => {
  let server: DevServer;
  let browser: Browser;
  let fixtures: Awaited<ReturnType<typeof seedWebFixtures>>;

  beforeAll(async () => {
    server = await startDevServer();
    fixtures = await seedWebFixtures(new Seeder(server.url, server.adminToken));
    // One probe run, so the status page has something to show.
    await fetch(`${server.url}/cdn-cgi/local/scheduled?cron=*+*+*+*+*`);
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string): Promise<{ page: Page; status: number }> {
    const page = await browser.context.newPage();
    const res = await page.goto(`${server.url}${path}`);
    return { page, status: res!.status() };
  }

  it("searches with /, opens the package page and copies the install line", async () => {
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const { page } = await open("/");
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-input");
    await page.keyboard.type("http client");
    await Promise.all([page.waitForURL(/\/search\?q=http/), page.keyboard.press("Enter")]);
    await screenshot(page, "search");
    await Promise.all([
      page.waitForURL(/\/packages\/@acme\/http$/),
      page.getByRole("link", { name: "@acme/http" }).first().click(),
    ]);
    expect(await page.locator("h1").innerText()).toContain("@acme/http");
    // The README's own "# @acme/http", as the sanitizer rendered it, sits under the page's headings.
    expect(await page.locator(".readme h3").first().innerText()).toBe("@acme/http");
    const copy = page.getByRole("button", { name: "Copy the line" });
    await copy.click();
    await expect.poll(() => page.locator("#install-line-status").innerText()).toBe("Copied to the clipboard");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`@acme/http = "${fixtures.http.version}"`);
    await page.close();
  });

  it("renders a README with <script>, onerror=, javascript: links and raw HTML inert", async () => {
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    const res = await page.goto(`${server.url}/packages/@evil/readme`);
    expect(res!.status()).toBe(200);
    const readme = page.locator(".readme");
    // The pipeline's HTML (the version was processed), not the Markdown-as-text fallback.
    expect(await readme.locator("pre.readme-text").count()).toBe(0);
    await readme.hover();
    for (const link of await readme.locator("a").all()) await link.click({ noWaitAfter: true }).catch(() => undefined);
    await page.waitForTimeout(300);
    const dom = await page.evaluate(() => {
      const root = document.querySelector(".readme")!;
      const all = Array.from(root.querySelectorAll("*"));
      return {
        pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
        scripts: Array.from(document.scripts).map((s) => s.getAttribute("src")),
        handlers: all.flatMap((el) =>
          Array.from(el.attributes)
            .filter((a) => a.name.startsWith("on"))
            .map((a) => a.name),
        ),
        javascriptLinks: Array.from(document.querySelectorAll("a[href]")).filter((a) =>
          /^\s*javascript:/i.test(a.getAttribute("href")!),
        ).length,
        embedded: root.querySelectorAll("iframe, object, embed, style, script, form, input").length,
        imageSources: Array.from(root.querySelectorAll("img")).map((i) => i.getAttribute("src")),
        linkTargets: Array.from(root.querySelectorAll("a")).map((a) => a.getAttribute("href")),
        text: root.textContent,
        description: document.querySelector(".description")?.textContent,
      };
    });
    expect(dialogs).toEqual([]);
    expect(dom.pwned).toBeNull();
    expect(dom.scripts).toHaveLength(1);
    expect(dom.scripts[0]).toMatch(/^\/static\/enhance\.[0-9a-f]{16}\.js$/);
    expect(dom.handlers).toEqual([]);
    expect(dom.javascriptLinks).toBe(0);
    expect(dom.embedded).toBe(0);
    // The pipeline's sanitizer kept the README's text and dropped what could act: the script
    // (text and all), the image's relative src, the javascript: targets.
    expect(dom.imageSources).toEqual([null]);
    expect(dom.linkTargets).toEqual([null, null]);
    expect(dom.text).toContain("Totally normal package");
    expect(dom.text).toContain("click me");
    expect(dom.text).not.toContain("__pwned");
    // The description is the author's text, shown as text.
    expect(dom.description).toContain("<img src=x onerror=alert('description')>");
    expect(consoleErrors).toEqual([]);
    await screenshot(page, "package-hostile-readme");
    await page.close();
  });

  it("enforces the CSP: an inline script added to the page does not run", async () => {
    const { page } = await open("/packages/@acme/json");
    const violations: string[] = [];
    page.on("console", (m) => violations.push(m.text()));
    const ran = await page.evaluate(async () => {
      const s = document.createElement("script");
      s.textContent = "window.__inline = 'ran'";
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __inline?: string }).__inline ?? null;
    });
    expect(ran).toBeNull();
    expect(violations.join("\n")).toMatch(/Content Security Policy/);
    await page.close();
  });

  it("follows prefers-color-scheme: dark", async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${server.url}/packages/@acme/http`);
    const colors = await page.evaluate(() => ({
      bg: getComputedStyle(document.documentElement).backgroundColor,
      fg: getComputedStyle(document.body).color,
    }));
    expect(colors.bg).toBe("rgb(15, 19, 24)");
    expect(colors.fg).toBe("rgb(230, 237, 243)");
    await screenshot(page, "package-dark");
    await page.emulateMedia({ colorScheme: "light" });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(
      "rgb(255, 255, 255)",
    );
    await page.close();
  });

  it("answers a removed version with the 410 page and its reason", async () => {
    const { page, status } = await open(`/packages/@acme/old/${fixtures.old.version}`);
    expect(status).toBe(410);
    expect(await page.locator("h1").innerText()).toBe("@acme/old 1.0.0 is gone");
    expect(await page.locator(".notice").innerText()).toContain("it shipped a credential stealer");
    await page.getByRole("link", { name: fixtures.oldNext.version }).click();
    await page.waitForURL(/\/packages\/@acme\/old\/1\.0\.1$/);
    await page.close();
  });

  it("can be used from the keyboard: a skip link first, a visible focus ring, yanked versions behind a toggle", async () => {
    const { page } = await open("/packages/@acme/http");
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => ({
      text: document.activeElement?.textContent,
      outline: getComputedStyle(document.activeElement!).outlineStyle,
    }));
    expect(first).toEqual({ text: "Skip to content", outline: "solid" });
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
    const yanked = page.locator("details summary");
    expect(await page.locator("details").getAttribute("open")).toBeNull();
    expect(await page.getByRole("link", { name: "0.9.0", exact: true }).isVisible()).toBe(false);
    await yanked.focus();
    await page.keyboard.press("Enter");
    expect(await page.getByRole("link", { name: "0.9.0", exact: true }).isVisible()).toBe(true);
    await page.close();
  });

  const KINDS: [string, string, number][] = [
    ["home", "/", 200],
    ["search", "/search?q=json", 200],
    ["package", "/packages/@acme/http", 200],
    ["version", "/packages/@acme/json/1.0.0", 200],
    // Pins @acme/json 1.0.0, which an advisory affects: once rescanned, the page says so.
    ["version-affected-dependency", "/packages/@acme/http/1.0.0", 200],
    ["scope", "/@acme", 200],
    ["advisories", "/advisories", 200],
    ["advisory", "/advisories/ORI-2026-0001", 200],
    ["status", "/status", 200],
    ["docs", "/docs", 200],
    ["not-found", "/packages/@acme/nothing", 404],
    ["gone", "/packages/@acme/old/1.0.0", 410],
  ];

  for (const scheme of ["light", "dark"] as const) {
    it(`has no serious or critical axe-core violation on any page kind (${scheme})`, async () => {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      const found: Record<string, unknown> = {};
      for (const [kind, path, expected] of KINDS) {
        const res = await page.goto(`${server.url}${path}`);
        expect(res!.status(), path).toBe(expected);
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[kind] = violations;
        await screenshot(page, `${kind}-${scheme}`);
      }
      expect(found).toEqual({});
      await page.close();
    });
  }
});

describe.skipIf(missing !== null)("the web UI in Chromium, private mode", () => {
  let server: DevServer;
  let browser: Browser;
  let readToken: string;

  beforeAll(async () => {
    server = await startDevServer({ vars: { PRIVATE_MODE: "true" } });
    const seeder = new Seeder(server.url, server.adminToken);
    await seeder.publish({ name: "@corp/handbook", version: "1.0.0", description: "The company's own package" });
    const user = (await seeder.post("/v1/admin/users", { username: "reader" })) as { token: { token: string } };
    const minted = await fetch(`${server.url}/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "browser", scopes: ["read"] }),
    });
    readToken = ((await minted.json()) as { token: string }).token;
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("asks for a token, signs in with an HttpOnly Secure SameSite=Strict cookie, and signs out", async () => {
    const page = await browser.context.newPage();
    const first = await page.goto(`${server.url}/packages/@corp/handbook`);
    expect(first!.status()).toBe(401);
    expect(await page.locator("h1").innerText()).toBe("Sign in");
    expect(await page.content()).not.toContain("The company's own package");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "sign-in");

    await page.getByLabel("Registry token").fill("ori_wrongwrongwrongwrongwrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").innerText()).toContain("unknown, expired or revoked");

    await page.getByLabel("Registry token").fill(readToken);
    await Promise.all([
      page.waitForURL(/\/packages\/@corp\/handbook$/),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    expect(await page.locator(".description").innerText()).toBe("The company's own package");
    const cookie = (await browser.context.cookies(server.url)).find((c) => c.name === "__Host-ori_session")!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    expect(cookie.value).not.toContain(readToken);
    expect(await page.evaluate(() => document.cookie)).not.toContain("ori_session");
    await screenshot(page, "private-package");

    await Promise.all([page.waitForURL(/\/sign-in$/), page.getByRole("button", { name: "Sign out" }).click()]);
    expect((await browser.context.cookies(server.url)).some((c) => c.name === "__Host-ori_session")).toBe(false);
    const after = await page.goto(`${server.url}/packages/@corp/handbook`);
    expect(after!.status()).toBe(401);
    await page.close();
  });
});
