// Everything a command needs from its surroundings, resolved lazily: the environment, the
// project directory, the registry and its token, the config and cache files, and the trusted
// log key (pinned on first contact). Tests build one with injected streams and fetch.
import { isAbsolute, join } from "node:path";
import { RegistryClient } from "../client/registry-client";
import { LogWitness } from "../client/consistency";
import { originOfKey } from "../client/verify";
import type { OptionValues } from "./command";
import { stringOpt } from "./command";
import { cacheDir, configDir, ConfigFile } from "./config";
import { FileCheckpointStore } from "./checkpoint-cache";
import { forTerminal, type Streams } from "./output";
import { readProjectRegistries, resolveRegistry, type ResolvedRegistry } from "./registries";

export const USER_AGENT = "ori-registry-cli/0.1";

export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
  streams: Streams;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Reads all of standard input (for `login` without --token). */
  readStdin?: () => Promise<string>;
}

export class CliContext {
  readonly json: boolean;
  readonly projectDir: string;
  readonly config: ConfigFile;
  readonly cacheDir: string;
  private resolved: ResolvedRegistry | null = null;
  /** What a 401 means when it is not about the registry's usual token (`login` checks the one it was given). */
  unauthorizedHint: string | null = null;

  constructor(
    readonly io: CliIo,
    readonly globals: OptionValues,
  ) {
    this.json = globals.json === true;
    const dir = stringOpt(globals, "dir");
    this.projectDir = dir === undefined ? io.cwd : isAbsolute(dir) ? dir : join(io.cwd, dir);
    this.config = new ConfigFile(configDir(io.env));
    this.cacheDir = cacheDir(io.env);
  }

  get env() {
    return this.io.env;
  }

  get streams(): Streams {
    return this.io.streams;
  }

  /** A notice for people, on stderr (so --json output on stdout stays clean). */
  note(text: string): void {
    this.io.streams.stderr(`${forTerminal(text)}\n`);
  }

  registry(): ResolvedRegistry {
    this.resolved ??= resolveRegistry({
      flag: stringOpt(this.globals, "registry"),
      named: readProjectRegistries(this.projectDir),
      config: this.config.read(),
      env: this.io.env,
    });
    return this.resolved;
  }

  /** The registry, if a command already resolved it (error messages must not re-read files). */
  resolvedRegistry(): ResolvedRegistry | undefined {
    return this.resolved ?? undefined;
  }

  client(): RegistryClient {
    const r = this.registry();
    return new RegistryClient({
      baseUrl: r.url,
      token: r.token,
      userAgent: USER_AGENT,
      ...(this.io.fetch ? { fetch: this.io.fetch } : {}),
    });
  }

  /**
   * The log verifier key to trust for this registry: --log-key / $ORI_REGISTRY_LOG_KEY, else
   * the key pinned in the config, else the registry's key fetched now and pinned (trust on
   * first use: later answers signed by any other key fail verification).
   */
  async trustedLogKey(client: RegistryClient): Promise<string> {
    const explicit = stringOpt(this.globals, "log-key") ?? this.io.env.ORI_REGISTRY_LOG_KEY;
    if (explicit) {
      originOfKey(explicit);
      return explicit;
    }
    const url = this.registry().url;
    const pinned = this.config.entry(url).logKey;
    if (pinned) return pinned;
    const served = await client.logKey();
    originOfKey(served); // refuse to pin something that is not a key
    this.config.update(url, (e) => ({ ...e, logKey: served }));
    this.note(
      `Pinned the transparency-log key of ${url} (trust on first use):\n  ${served}\n  Compare it with the key the registry's operator publishes; it is kept in ${this.config.path}.`,
    );
    return served;
  }

  /** Checks new checkpoints against the last one this machine saw, and remembers them. */
  witness(client: RegistryClient, verifierKey: string): LogWitness {
    return new LogWitness(
      verifierKey,
      new FileCheckpointStore(this.cacheDir, verifierKey),
      async (from, to) => (await client.consistency(from, to)).proof,
    );
  }
}
