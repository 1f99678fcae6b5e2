// The user config file (mode 0600) and which registry and token a command uses.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cacheDir, ConfigFile, configDir, normalizeUrl } from "./config";
import { resolveRegistry, tokenVariable, readProjectRegistries } from "./registries";
import { cli, tempDir } from "./test-io";

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), "ori-cli-test-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("ConfigFile", () => {
  it("writes the token file with mode 0600 in a 0700 directory", () => {
    const dir = join(temp(), "nested", "ori-registry");
    const cfg = new ConfigFile(dir);
    cfg.update("http://127.0.0.1:8787/", (e) => ({ ...e, token: "ori_secret" }));
    expect(statSync(cfg.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(cfg.entry("http://127.0.0.1:8787").token).toBe("ori_secret");
    expect(JSON.parse(readFileSync(cfg.path, "utf8")).registries["http://127.0.0.1:8787"].token).toBe("ori_secret");
  });

  it("keeps 0600 when rewriting a file that was more open", () => {
    const cfg = new ConfigFile(temp());
    writeFileSync(cfg.path, '{"registries":{}}', { mode: 0o644 });
    cfg.update("http://r.test", () => ({ token: "t" }));
    expect(statSync(cfg.path).mode & 0o777).toBe(0o600);
  });

  it("makes an existing, more open config directory private, but leaves a sticky shared one alone", () => {
    const dir = join(temp(), "ori-registry");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    new ConfigFile(dir).update("http://r.test", () => ({ token: "t" }));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const shared = join(temp(), "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    new ConfigFile(shared).update("http://r.test", () => ({ token: "t" }));
    expect(statSync(shared).mode & 0o1777).toBe(0o1777);
  });

  it("finds its directories from the environment", () => {
    expect(configDir({ ORI_REGISTRY_CONFIG_DIR: "/x" })).toBe("/x");
    expect(configDir({ HOME: "/home/u" })).toBe("/home/u/.config/ori-registry");
    expect(cacheDir({ ORI_REGISTRY_CACHE_DIR: "/c" })).toBe("/c");
    expect(cacheDir({ HOME: "/home/u" })).toBe("/home/u/.cache/ori-registry");
    expect(normalizeUrl("HTTP://Reg.Example:443/")).toBe("http://reg.example:443");
  });
});

describe("resolveRegistry", () => {
  const config = {
    registries: { "http://127.0.0.1:8787": { token: "stored" }, "https://acme.example": { token: "acme-stored" } },
  };
  const named = { acme: "https://acme.example/" };

  it("uses the built-in default with the stored token, ORI_REGISTRY_TOKEN winning", () => {
    expect(resolveRegistry({ flag: undefined, named: {}, config, env: {} })).toMatchObject({
      url: "http://127.0.0.1:8787",
      token: "stored",
    });
    expect(resolveRegistry({ flag: undefined, named: {}, config, env: { ORI_REGISTRY_TOKEN: "env" } })).toMatchObject({
      token: "env",
      tokenSource: "$ORI_REGISTRY_TOKEN",
    });
  });

  it("resolves a named registry from the manifest, ORI_REGISTRY_<NAME>_TOKEN winning", () => {
    expect(resolveRegistry({ flag: "acme", named, config, env: {} })).toMatchObject({
      url: "https://acme.example",
      name: "acme",
      token: "acme-stored",
    });
    const r = resolveRegistry({
      flag: "acme",
      named,
      config,
      env: { ORI_REGISTRY_ACME_TOKEN: "acme-env", ORI_REGISTRY_TOKEN: "default-env" },
    });
    expect(r).toMatchObject({ token: "acme-env", tokenSource: "$ORI_REGISTRY_ACME_TOKEN" });
  });

  it("never sends the default registry's ORI_REGISTRY_TOKEN to another registry, and says so", () => {
    const r = resolveRegistry({
      flag: "https://elsewhere.example",
      named: {},
      config,
      env: { ORI_REGISTRY_TOKEN: "default-env" },
    });
    expect(r).toMatchObject({ url: "https://elsewhere.example", token: null });
    expect(r.tokenHint).toBe(
      "run `ori-registry login --registry https://elsewhere.example`, or set ORI_REGISTRY_URL=https://elsewhere.example together with ORI_REGISTRY_TOKEN holding a token of that registry (the ORI_REGISTRY_TOKEN set now goes only to the default registry, http://127.0.0.1:8787)",
    );
  });

  it("hints at the variable that would reach the registry", () => {
    expect(resolveRegistry({ flag: undefined, named: {}, config: { registries: {} }, env: {} }).tokenHint).toMatch(
      /login --registry http:\/\/127\.0\.0\.1:8787`, or set ORI_REGISTRY_TOKEN$/,
    );
    expect(resolveRegistry({ flag: "acme", named, config, env: {} }).tokenHint).toMatch(
      /or set ORI_REGISTRY_ACME_TOKEN$/,
    );
    expect(resolveRegistry({ flag: "https://elsewhere.example", named: {}, config, env: {} }).tokenHint).not.toMatch(
      /goes only to the default/,
    );
  });

  it("never sends ORI_REGISTRY_TOKEN to a default that the project's oripk.toml chose", () => {
    const evil = { default: "https://evil.example" };
    const r = resolveRegistry({ flag: undefined, named: evil, config, env: { ORI_REGISTRY_TOKEN: "default-env" } });
    expect(r).toMatchObject({ url: "https://evil.example", name: "default", token: null });
    // The user's own choice of default still wins over the project's.
    const mine = resolveRegistry({
      flag: undefined,
      named: evil,
      config,
      env: { ORI_REGISTRY_URL: "http://127.0.0.1:8787", ORI_REGISTRY_TOKEN: "default-env" },
    });
    expect(mine).toMatchObject({ url: "http://127.0.0.1:8787", token: "default-env" });
  });

  it("honours ORI_REGISTRY_URL as the default and refuses unknown names", () => {
    expect(
      resolveRegistry({ flag: undefined, named: {}, config, env: { ORI_REGISTRY_URL: "https://acme.example" } }).token,
    ).toBe("acme-stored");
    expect(() => resolveRegistry({ flag: "nope", named, config, env: {} })).toThrow(/unknown registry "nope".*acme/);
    expect(tokenVariable("my-corp")).toBe("ORI_REGISTRY_MY_CORP_TOKEN");
  });

  it("reads [registries.NAME] tables from oripk.toml (with Ori's bare std lines)", () => {
    const dir = temp();
    writeFileSync(
      join(dir, "oripk.toml"),
      '[project]\nname = "@a/b"\n[dependencies]\nstd.json\n[registries.acme]\nurl = "https://acme.example"\n',
    );
    expect(readProjectRegistries(dir)).toEqual({ acme: "https://acme.example" });
    expect(readProjectRegistries(temp())).toEqual({});
  });
});

describe("a 401 says how to give this registry a token", () => {
  it("points out an ORI_REGISTRY_TOKEN that does not apply to a registry given by URL", async () => {
    const home = tempDir("ori-home-");
    const refuse: typeof fetch = async () =>
      Response.json({ error: { code: "unauthorized", message: "this action needs a token" } }, { status: 401 });
    const env = {
      ORI_REGISTRY_CONFIG_DIR: join(home, "config"),
      ORI_REGISTRY_CACHE_DIR: join(home, "cache"),
      ORI_REGISTRY_TOKEN: "ori_t",
    };
    try {
      const res = await cli(["token", "list", "--registry", "https://elsewhere.example"], {
        cwd: home,
        env,
        fetch: refuse,
      });
      expect(res.code).toBe(3);
      expect(res.stderr).toContain(
        "hint: run `ori-registry login --registry https://elsewhere.example`, or set ORI_REGISTRY_URL=https://elsewhere.example together with ORI_REGISTRY_TOKEN holding a token of that registry",
      );
      expect(res.stderr).toContain("the ORI_REGISTRY_TOKEN set now goes only to the default registry");
      const who = await cli(["whoami", "--registry", "https://elsewhere.example"], { cwd: home, env, fetch: refuse });
      expect(who.code).toBe(2);
      expect(who.stderr).toContain(
        "no token for https://elsewhere.example: run `ori-registry login --registry https://elsewhere.example`",
      );
      // A token that was sent and refused is named as such.
      const refused = await cli(["token", "list"], {
        cwd: home,
        env: { ...env, ORI_REGISTRY_URL: "https://elsewhere.example" },
        fetch: refuse,
      });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        "hint: the token in $ORI_REGISTRY_TOKEN was not accepted (unknown, expired or revoked): replace it, or unset ORI_REGISTRY_TOKEN",
      );
      expect(refused.stderr).not.toContain("ori_t");
      new ConfigFile(join(home, "stored")).update("https://elsewhere.example", (e) => ({ ...e, token: "ori_stored" }));
      const stored = await cli(["token", "list", "--registry", "https://elsewhere.example"], {
        cwd: home,
        env: { ...env, ORI_REGISTRY_CONFIG_DIR: join(home, "stored") },
        fetch: refuse,
      });
      expect(stored.stderr).toContain(
        "hint: the token stored by `ori-registry login` was not accepted (unknown, expired or revoked): run `ori-registry login --registry https://elsewhere.example` with a new one",
      );
      // login says the token it was given was refused, and stores nothing.
      const login = await cli(["login", "--registry", "https://elsewhere.example"], {
        cwd: home,
        env,
        fetch: refuse,
        stdin: "ori_bad",
      });
      expect(login.code).toBe(3);
      expect(login.stderr).toContain(
        "hint: the registry did not accept the token you gave (unknown, expired or revoked); nothing was stored",
      );
      expect(existsSync(join(home, "config", "config.json"))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
