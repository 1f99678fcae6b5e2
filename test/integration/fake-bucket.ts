// An in-memory stand-in for an R2 bucket for the integration tests (the calls the stores make: head, get, put, delete)
// that enforces what the registry promises about R2: a key under an immutable prefix
// (archives, quarantine, log tiles) is never rewritten with other bytes — such a put throws,
// as Sunlight's test fakes do — and writing the same bytes again is allowed but counted.
// It also checks the sha256 a put declares, as R2 does.
import { sha256 } from "@noble/hashes/sha2.js";

const IMMUTABLE = [/^archives\/sha256\//, /^quarantine\/sha256\//, /^log\/tile\//];

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

export class ImmutableKeyRewritten extends Error {
  override readonly name = "ImmutableKeyRewritten";
}

interface Stored {
  bytes: Uint8Array;
  httpMetadata?: R2HTTPMetadata;
}

export class FakeBucket {
  readonly objects = new Map<string, Stored>();
  /** Puts of the same bytes to an immutable key that already held them. */
  readonly sameBytesRewrites: string[] = [];

  get bucket(): R2Bucket {
    return this as unknown as R2Bucket;
  }

  async head(key: string) {
    const o = this.objects.get(key);
    return o ? this.meta(key, o) : null;
  }

  async get(key: string) {
    const o = this.objects.get(key);
    if (!o) return null;
    const bytes = o.bytes.slice();
    return {
      ...this.meta(key, o),
      body: new Response(bytes).body!,
      text: async () => new TextDecoder().decode(bytes),
      arrayBuffer: async () => bytes.buffer,
    };
  }

  async put(key: string, value: string | Uint8Array | ReadableStream, options: R2PutOptions = {}) {
    const bytes =
      typeof value === "string"
        ? new TextEncoder().encode(value)
        : value instanceof Uint8Array
          ? value.slice()
          : new Uint8Array(await new Response(value).arrayBuffer());
    if (typeof options.sha256 === "string" && options.sha256 !== hex(sha256(bytes)))
      throw new Error(`put ${key}: the bytes do not have the declared sha256`);
    const existing = this.objects.get(key);
    if (existing && IMMUTABLE.some((p) => p.test(key))) {
      if (hex(existing.bytes) !== hex(bytes))
        throw new ImmutableKeyRewritten(`put ${key}: an immutable key was rewritten with other bytes`);
      this.sameBytesRewrites.push(key);
    }
    const stored: Stored = { bytes };
    if (options.httpMetadata && !(options.httpMetadata instanceof Headers)) stored.httpMetadata = options.httpMetadata;
    this.objects.set(key, stored);
    return this.meta(key, stored);
  }

  async delete(keys: string | string[]) {
    for (const key of Array.isArray(keys) ? keys : [keys]) this.objects.delete(key);
  }

  private meta(key: string, o: Stored) {
    return {
      key,
      size: o.bytes.length,
      httpMetadata: o.httpMetadata ?? {},
      checksums: { sha256: sha256(o.bytes).buffer },
    };
  }
}
