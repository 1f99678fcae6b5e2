// scripts/provision.mjs against a fake Cloudflare account that answers as wrangler does: the dry
// run calls nothing, a first run creates everything once and writes the KV id into the config, a
// second run changes nothing, secrets travel on standard input only, and a key is never replaced.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { preflight, readRawConfig } from "./deploy-preflight.mjs";
import { ProvisionError, UsageError, checkLogOrigin, provision } from "./provision.mjs";

const ORIGIN = "registry.example.org/v1/log";
let dir;
let configPath;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ori-provision-"));
  configPath = join(dir, "wrangler.jsonc");
  copyFileSync(join(import.meta.dirname, "..", "wrangler.jsonc"), configPath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An account in memory, and a `wrangler` that reads and changes it; every call is recorded. */
function fakeAccount({ fail } = {}) {
  const account = { buckets: new Set(), queues: new Set(), kv: [], secrets: new Map(), workers: new Set(), calls: [] };
  const ok = (stdout = "") => ({ status: 0, stdout, stderr: "" });
  const no = (stderr) => ({ status: 1, stdout: "", stderr });
  account.wrangler = (args, { input } = {}) => {
    account.calls.push({ args, input });
    const cmd = args.slice(0, 3).join(" ");
    if (fail && cmd.startsWith(fail)) return no("✘ [ERROR] A request to the Cloudflare API failed. [code: 10000]");
    const envName = args[args.indexOf("--env") + 1];
    const worker = `ori-registry-${envName}`;
    if (cmd.startsWith("r2 bucket info"))
      return account.buckets.has(args[3])
        ? ok(`name: ${args[3]}`)
        : no("The specified bucket does not exist. [code: 10006]");
    if (cmd.startsWith("r2 bucket create")) return account.buckets.add(args[3]) && ok(`Created bucket '${args[3]}'`);
    if (cmd.startsWith("queues info"))
      return account.queues.has(args[2]) ? ok(`Queue Name: ${args[2]}`) : no(`Queue "${args[2]}" does not exist`);
    if (cmd.startsWith("queues create")) return account.queues.add(args[2]) && ok(`Created queue ${args[2]}.`);
    if (cmd === "kv namespace list") return ok(JSON.stringify(account.kv, null, 2));
    if (cmd === "kv namespace create") {
      const id = (account.kv.length + 1).toString(16).padStart(32, "a");
      account.kv.push({ id, title: args[3] });
      return ok(`Success!\n{ "kv_namespaces": [{ "binding": "${args[3]}", "id": "${id}" }] }`);
    }
    if (cmd.startsWith("secret list")) {
      if (!account.workers.has(worker)) return no(`This Worker does not exist on your account. [code: 10007]`);
      return ok(
        JSON.stringify(
          [...account.secrets.keys()]
            .filter((k) => k.startsWith(`${worker}:`))
            .map((k) => ({ name: k.split(":")[1], type: "secret_text" })),
        ),
      );
    }
    if (cmd.startsWith("secret put")) {
      // `wrangler secret put` creates a draft Worker when there is none.
      account.workers.add(worker);
      account.secrets.set(`${worker}:${args[2]}`, input);
      return ok("✨ Success! Uploaded secret");
    }
    return no(`unexpected wrangler ${args.join(" ")}`);
  };
  return account;
}

const quiet = () => {};

describe("provision --dry-run", () => {
  it("calls no wrangler and changes no file, and says every step it would take", () => {
    const account = fakeAccount();
    const before = readFileSync(configPath, "utf8");
    const { steps } = provision({
      env: "staging",
      logOrigin: ORIGIN,
      dryRun: true,
      configPath,
      wrangler: account.wrangler,
      log: quiet,
    });
    expect(account.calls).toEqual([]);
    expect(readFileSync(configPath, "utf8")).toBe(before);
    const text = steps.join("\n");
    for (const s of [
      "wrangler r2 bucket create ori-registry-staging",
      "wrangler queues create ori-registry-jobs-staging",
      "wrangler queues create ori-registry-jobs-dlq-staging",
      "wrangler kv namespace create ori-registry-staging-METADATA",
      "env.staging.kv_namespaces[0].id",
      "wrangler secret put ADMIN_TOKEN --env staging",
      `signing key named ${ORIGIN}`,
      "wrangler secret put LOG_SIGNING_KEY --env staging",
    ])
      expect(text).toContain(s);
  });

  it("needs no --log-origin, and says where it would go", () => {
    const { steps } = provision({
      env: "production",
      dryRun: true,
      configPath,
      wrangler: fakeAccount().wrangler,
      log: quiet,
    });
    expect(steps.join("\n")).toContain("signing key named <--log-origin>");
  });
});

describe("provision", () => {
  it("creates each resource once, writes the KV id into wrangler.jsonc, and puts both secrets on standard input", () => {
    const account = fakeAccount();
    const before = readFileSync(configPath, "utf8");
    const out = provision({ env: "staging", logOrigin: ORIGIN, configPath, wrangler: account.wrangler, log: quiet });

    expect([...account.buckets]).toEqual(["ori-registry-staging"]);
    expect([...account.queues].sort()).toEqual(["ori-registry-jobs-dlq-staging", "ori-registry-jobs-staging"]);
    expect(account.kv.map((k) => k.title)).toEqual(["ori-registry-staging-METADATA"]);

    // Only the staging KV id changed: comments, layout and production's placeholder are kept.
    const after = readFileSync(configPath, "utf8");
    const id = account.kv[0].id;
    expect(readRawConfig(configPath).env.staging.kv_namespaces[0].id).toBe(id);
    expect(readRawConfig(configPath).env.production.kv_namespaces[0].id).toMatch(/^0+$/);
    expect(after.split("\n").length).toBe(before.split("\n").length);
    expect(after.replace(id, "00000000000000000000000000000000")).toBe(before);
    expect(preflight(readRawConfig(configPath), { strict: ["staging"] }).errors).toEqual([]);

    // Secrets: never on a command line; the token is the one printed, the key is named for the origin.
    const puts = account.calls.filter((c) => c.args[0] === "secret" && c.args[1] === "put");
    expect(puts.map((c) => c.args)).toEqual([
      ["secret", "put", "ADMIN_TOKEN", "--env", "staging"],
      ["secret", "put", "LOG_SIGNING_KEY", "--env", "staging"],
    ]);
    for (const c of account.calls) for (const a of c.args) expect(a).not.toMatch(/^ori_|PRIVATE\+KEY/);
    expect(account.secrets.get("ori-registry-staging:ADMIN_TOKEN")).toBe(out.adminToken);
    expect(out.adminToken).toMatch(/^ori_[A-Za-z0-9_-]{43}$/);
    const signer = account.secrets.get("ori-registry-staging:LOG_SIGNING_KEY");
    const [, , name, keyId] = signer.split("+");
    expect(name).toBe(ORIGIN);
    expect(out.verifierKey.startsWith(`${ORIGIN}+${keyId}+`)).toBe(true);
  });

  it("changes nothing when run again: no create, no secret replaced, no token shown", () => {
    const account = fakeAccount();
    provision({ env: "production", logOrigin: ORIGIN, configPath, wrangler: account.wrangler, log: quiet });
    const secrets = new Map(account.secrets);
    const config = readFileSync(configPath, "utf8");
    account.calls.length = 0;

    const again = provision({ env: "production", configPath, wrangler: account.wrangler, log: quiet });
    const changing = account.calls.filter(
      (c) => ["create", "put"].includes(c.args[2]) || c.args[1] === "put" || c.args[1] === "create",
    );
    expect(changing).toEqual([]);
    expect(account.secrets).toEqual(secrets);
    expect(readFileSync(configPath, "utf8")).toBe(config);
    expect(again.adminToken).toBeUndefined();
    expect(again.verifierKey).toBeUndefined();
    expect(again.steps.join("\n")).toMatch(/keep secret LOG_SIGNING_KEY \(exists: the signing key is never replaced/);
  });

  it("finds a KV namespace a previous run created but did not record, instead of creating a second", () => {
    const account = fakeAccount();
    account.kv.push({ id: "b".repeat(32), title: "ori-registry-staging-METADATA" });
    provision({ env: "staging", logOrigin: ORIGIN, configPath, wrangler: account.wrangler, log: quiet });
    expect(account.kv).toHaveLength(1);
    expect(readRawConfig(configPath).env.staging.kv_namespaces[0].id).toBe("b".repeat(32));
  });

  it("refuses to start without --log-origin while the signing key is missing, before creating anything", () => {
    const account = fakeAccount();
    expect(() => provision({ env: "staging", configPath, wrangler: account.wrangler, log: quiet })).toThrow(UsageError);
    expect(account.calls.map((c) => c.args.slice(0, 2).join(" "))).toEqual(["secret list"]);
  });

  it("stops at the first wrangler failure and says which command failed", () => {
    const account = fakeAccount({ fail: "queues create" });
    expect(() =>
      provision({ env: "staging", logOrigin: ORIGIN, configPath, wrangler: account.wrangler, log: quiet }),
    ).toThrow(ProvisionError);
    expect(() =>
      provision({ env: "staging", logOrigin: ORIGIN, configPath, wrangler: account.wrangler, log: quiet }),
    ).toThrow(/wrangler queues create ori-registry-jobs-staging failed/);
    expect(account.secrets.size).toBe(0);
  });

  it("refuses an unknown environment and a log origin with a scheme", () => {
    expect(() => provision({ env: "dev", dryRun: true, configPath, log: quiet })).toThrow(
      /--env must be one of staging, production/,
    );
    expect(checkLogOrigin("https://registry.example.org/v1/log")).toMatch(/leave out the scheme/);
    expect(checkLogOrigin("registry.example.org")).toMatch(/should end with \/v1\/log/);
    expect(checkLogOrigin("registry example/v1/log")).toMatch(/must be <host>/);
    expect(checkLogOrigin("localhost:8787/v1/log")).toBeNull();
    expect(checkLogOrigin(ORIGIN)).toBeNull();
  });
});
