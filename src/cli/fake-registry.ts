// An in-memory stand-in for the registry's HTTP API, as a fetch function, for CLI unit tests:
// publish, metadata, download, log key, lookup and consistency, over a TestLog. Each answer can
// be tampered with through `tamper`, to check that the CLI notices. Not used by production code.
import { sha256 } from "@noble/hashes/sha2.js";
import { processArchive } from "../processing/archive";
import { encodeBase64, toHex } from "../util/bytes";
import { TestLog } from "../client/test-log";

interface Stored {
  name: string;
  version: string;
  bytes: Uint8Array;
  sha256: string;
  index: number;
}

export type Tamper = (route: string, body: unknown) => unknown;

export class FakeRegistry {
  readonly versions = new Map<string, Stored>();
  tamper: Tamper = (_route, body) => body;

  constructor(public log = new TestLog("127.0.0.1/v1/log")) {}

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (p === "/v1/log/key") return new Response(`${this.log.key.verifier}\n`);
    if ((m = /^\/v1\/packages\/(@[^/]+\/[^/]+)\/publish$/.exec(p))) {
      const bytes = new Uint8Array(await req.arrayBuffer());
      const processed = await processArchive(bytes);
      const key = `${m[1]}@${processed.manifest.version}`;
      let v = this.versions.get(key);
      if (!v) {
        this.log.publish(m[1]!, processed.manifest.version, bytes);
        v = {
          name: m[1]!,
          version: processed.manifest.version,
          bytes,
          sha256: processed.sha256,
          index: this.log.log.size - 1,
        };
        this.versions.set(key, v);
      }
      const body = {
        name: v.name,
        version: v.version,
        sha256: v.sha256,
        size: bytes.length,
        created: true,
        publishedAt: "2026-01-01T00:00:00Z",
        log: this.log.receipt(v.index),
      };
      return Response.json(this.tamper("publish", body), { status: 201 });
    }
    if ((m = /^\/v1\/packages\/(@[^/]+\/[^/]+)\/([^/]+)\/metadata$/.exec(p))) {
      const v = this.find(m[1]!, m[2]!);
      if (!v) return notFound();
      return Response.json(
        this.tamper("metadata", {
          name: v.name,
          version: v.version,
          sha256: v.sha256,
          size: v.bytes.length,
          logIndex: v.index,
        }),
      );
    }
    if ((m = /^\/v1\/packages\/(@[^/]+\/[^/]+)\/([^/]+)\/download$/.exec(p))) {
      const v = this.find(m[1]!, m[2]!);
      if (!v) return notFound();
      const bytes = this.tamper("download", v.bytes) as Uint8Array;
      return new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { etag: `"${v.sha256}"`, "repr-digest": `sha-256=:${encodeBase64(sha256(v.bytes))}:` },
      });
    }
    if ((m = /^\/v1\/log\/lookup\/(@[^/]+\/[^/]+)\/([^/]+)$/.exec(p))) {
      const v = this.find(m[1]!, m[2]!);
      if (!v) return notFound();
      return Response.json(this.tamper("lookup", this.log.receipt(v.index)));
    }
    if (p === "/v1/log/proof/consistency") {
      const from = Number(url.searchParams.get("from"));
      const to = Number(url.searchParams.get("to"));
      if (to > this.log.log.size)
        return Response.json(
          { error: { code: "bad_request", message: `the log has ${this.log.log.size} entries` } },
          { status: 400 },
        );
      return Response.json(this.tamper("consistency", { from, to, proof: this.log.consistency(from, to) }));
    }
    return notFound();
  }) as typeof fetch;

  find(name: string, version: string): Stored | undefined {
    return this.versions.get(`${name}@${version}`);
  }

  /** Stores and logs `bytes` without checking them, like an archive published before a rule existed. */
  storeUnchecked(name: string, version: string, bytes: Uint8Array): void {
    this.log.publish(name, version, bytes);
    this.versions.set(`${name}@${version}`, {
      name,
      version,
      bytes,
      sha256: FakeRegistry.sha(bytes),
      index: this.log.log.size - 1,
    });
  }

  /** Logs an entry directly (e.g. another package), growing the tree. */
  logOther(name: string, version: string): string {
    return this.log.publish(name, version, `${name}${version}`);
  }

  static sha(bytes: Uint8Array): string {
    return toHex(sha256(bytes));
  }
}

function notFound(): Response {
  return Response.json({ error: { code: "version_not_found", message: "no such version" } }, { status: 404 });
}
