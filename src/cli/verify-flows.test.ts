// publish/download/verify through runCli against an in-memory registry that can be made to lie:
// each lie must end in exit code 4 with what did not match.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeRegistry } from "./fake-registry";
import { cli, sampleProject, tempDir } from "./test-io";
import { TestLog } from "../client/test-log";
import { generateKey } from "../log/note";

let home: string;
let project: string;
let registry: FakeRegistry;
let env: Record<string, string>;

beforeEach(() => {
  home = tempDir("ori-home-");
  project = sampleProject();
  registry = new FakeRegistry();
  env = {
    ORI_REGISTRY_CONFIG_DIR: join(home, "config"),
    ORI_REGISTRY_CACHE_DIR: join(home, "cache"),
    ORI_REGISTRY_URL: "http://127.0.0.1:9",
    ORI_REGISTRY_TOKEN: "ori_t",
  };
});
afterEach(() => [home, project].forEach((d) => rmSync(d, { recursive: true, force: true })));

const run = (...argv: string[]) => cli(argv, { cwd: project, env, fetch: registry.fetch });

async function published() {
  registry.logOther("@acme/first", "0.1.0");
  const res = await run("publish", "--json");
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as { sha256: string; log: { index: number } };
}

describe("publish → download → verify against a registry that tells the truth", () => {
  it("publishes, pins the log key on first use, and verifies the proof", async () => {
    const out = await published();
    expect(out.log.index).toBe(1);
    const config = JSON.parse(readFileSync(join(home, "config", "config.json"), "utf8"));
    expect(config.registries["http://127.0.0.1:9"].logKey).toBe(registry.log.key.verifier);
    const human = await run("publish");
    expect(human.stdout).toMatch(/sha256: +[0-9a-f]{64}/);
    expect(human.stdout).toMatch(/log index: +1/);
  });

  it("downloads and verifies, remembering the checkpoint; verify checks the lock file", async () => {
    const { sha256 } = await published();
    registry.logOther("@acme/later", "1.0.0");
    const dl = await run("download", "@acme/demo@1.0.0", "-o", "got.oripk");
    expect(dl.code).toBe(0);
    expect(dl.stdout).toContain("consistent with the tree of size 2 seen before");
    expect(FakeRegistry.sha(readFileSync(join(project, "got.oripk")))).toBe(sha256);
    writeFileSync(join(project, "oripk.lock"), `[checksums]\n"@acme/demo:1.0.0" = "sha256:${sha256}"\n`);
    const v = await run("verify", "--json");
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({
      verified: 1,
      entries: [{ name: "@acme/demo", ok: true, logIndex: 1 }],
    });
  });
});

describe("a registry that lies is caught (exit 4) and nothing is written", () => {
  it("a tampered archive", async () => {
    await published();
    registry.tamper = (route, body) => (route === "download" ? new Uint8Array([...(body as Uint8Array), 0]) : body);
    const res = await run("download", "@acme/demo", "1.0.0", "-o", "bad.oripk");
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("VERIFICATION FAILED for @acme/demo@1.0.0");
    expect(res.stderr).toContain("archive sha256 vs the registry's metadata");
    expect(existsSync(join(project, "bad.oripk"))).toBe(false);
  });

  it("a forged log entry in the lookup", async () => {
    await published();
    registry.tamper = (route, body) =>
      route === "lookup" ? { ...(body as object), entry: "@acme/demo 1.0.0 sha256:" + "0".repeat(64) + "\n" } : body;
    const res = await run("download", "@acme/demo", "1.0.0", "--json");
    expect(res.code).toBe(4);
    expect(JSON.parse(res.stdout).error.mismatches[0].check).toBe("log entry");
  });

  it.each([
    ["publish", "publish", (b: object) => ({ ...b, log: null }), /answer field log/],
    ["lookup", "download", () => null, /answer field \(the body\)/],
    ["metadata", "download", (b: object) => ({ ...b, sha256: 42 }), /answer field sha256/],
    ["lookup", "verify", (b: object) => ({ ...b, index: "1" }), /answer field index/],
  ] as const)("a malformed %s answer during %s", async (route, command, forge, message) => {
    const { sha256 } = await published();
    writeFileSync(join(project, "oripk.lock"), `[checksums]\n"@acme/demo:1.0.0" = "sha256:${sha256}"\n`);
    registry.tamper = (r, body) => (r === route ? forge(body as object) : body);
    const res = await run(
      ...(command === "download" ? ["download", "@acme/demo", "1.0.0", "-o", "bad.oripk"] : [command]),
    );
    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toMatch(message);
    expect(existsSync(join(project, "bad.oripk"))).toBe(false);
  });

  it("a lock file whose checksum the log does not hold", async () => {
    await published();
    writeFileSync(
      join(project, "oripk.lock"),
      `[checksums]\n"@acme/demo:1.0.0" = "sha256:${"1".repeat(64)}"\n"@acme/ghost:1.0.0" = "sha256:${"2".repeat(64)}"\n`,
    );
    const res = await run("verify");
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("2 of 2 entries");
    expect(res.stderr).toContain("@acme/ghost@1.0.0");
    expect(res.stderr).toContain("not in the log");
  });

  it("a checkpoint signed by a key other than the pinned one", async () => {
    await published();
    const res = await run("download", "@acme/demo", "1.0.0", "--log-key", generateKey("127.0.0.1/v1/log").verifier);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/checkpoint signature by the trusted key/);
  });

  it("a log that rewrote history after this machine saw it (same key, a fork)", async () => {
    await published(); // the cache now holds the tree of size 2
    registry.log = forkOf(registry.log);
    registry.versions.clear();
    registry.logOther("@acme/evil", "6.6.6");
    registry.logOther("@acme/evil", "6.6.7");
    const res = await run("publish"); // a tree of size 3 that does not extend the one seen
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/consistency of the tree of size 2 with the tree of size 3/);
  });

  it("a log that went back in time (rollback)", async () => {
    await published();
    registry.log = forkOf(registry.log);
    registry.versions.clear();
    const res = await run("publish"); // the new log holds only this entry: size 1 < 2
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/the log shrank \(rollback\)/);
  });
});

/** An empty log with the same origin and signing key: the registry starting a new history. */
function forkOf(log: TestLog): TestLog {
  const fork = new TestLog(log.origin);
  Object.assign(fork, { key: log.key });
  return fork;
}

describe("exit codes for refusals and network failures", () => {
  it("3 for a server refusal, 5 when the registry cannot be reached", async () => {
    const refused = await run("info", "@acme/nothing", "1.0.0");
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("404 version_not_found");
    const down = await cli(["info", "@acme/demo", "1.0.0", "--registry", "http://127.0.0.1:1"], { cwd: project, env });
    expect(down.code).toBe(5);
    expect(down.stderr).toContain("error: network");
  });
});
