// bench-scale's seeded registry (one child process per size, Node 22): the Worker in workerd
// through Miniflare's API as `npm start` runs it (scripts/lean-runtime.mjs), `real` packages
// published through the API, and the rest of `size` written through the real storage layout
// with Miniflare's API: for each seeded package, its version list and its 1.0.0 metadata in KV
// (the real package @real0/r0's documents with the name changed, under the keys of
// src/storage/keys.ts) and its search document in the SearchIndex (`save(doc, revision)`, as the
// reindex job calls it). Not seeded: archives in R2, PackageWriter objects, log entries — the
// reads measured never reach them for a package whose documents are in KV.
import { loadArchiveBuilder, startInProcess } from "./bench-lib.mjs";

const versionListKey = (pkg) => `pkg:${pkg}:versions`;
const versionMetadataKey = (pkg, version) => `pkg:${pkg}:v:${version}`;
/** Seeded packages with the word "rare": the same 50 at every size, so that search's matches do not grow. */
const RARE = 50;

function seededDocument(i, name) {
  return {
    name,
    version: "1.0.0",
    description: `Seeded package ${i}: a library of helpers`,
    keywords: i < RARE ? ["rare", "seeded"] : ["seeded"],
    categories: [],
    deprecated: null,
    updatedAt: new Date(Date.parse("2026-11-01T00:00:00Z") + i * 25_700).toISOString(),
  };
}

async function pool(n, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

export async function serveSeeded(size, dir, port, real, concurrency) {
  const { runtime, vars } = await startInProcess(dir, port);
  const { buildArchive } = await loadArchiveBuilder(dir);
  const t0 = performance.now();
  await pool(real, 8, async (k) => {
    const name = `@real${k % 10}/r${k}`;
    const res = await fetch(`${runtime.url}/v1/packages/${name}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${vars.ADMIN_TOKEN}`, "content-type": "application/gzip" },
      body: await buildArchive({ name, version: "1.0.0" }),
    });
    if (res.status !== 201) throw new Error(`publish ${name}: ${res.status} ${await res.text()}`);
  });
  const kv = await runtime.miniflare.getKVNamespace("METADATA");
  const ns = await runtime.miniflare.getDurableObjectNamespace("SEARCH_INDEX");
  const index = ns.get(ns.idFromName("search"));
  // The template: a real package's documents as its writer projected them.
  const template = "@real0/r0";
  const list = await kv.get(versionListKey(template));
  const meta = await kv.get(versionMetadataKey(template, "1.0.0"));
  if (list === null || meta === null) throw new Error(`${template}'s documents are not in KV`);
  const seeded = Math.max(0, size - real);
  await pool(seeded, concurrency, async (i) => {
    const name = `@seed${i % 1000}/s${i}`;
    await Promise.all([
      kv.put(versionListKey(name), list.replaceAll(template, name)),
      kv.put(versionMetadataKey(name, "1.0.0"), meta.replaceAll(template, name)),
      index.save(seededDocument(i, name), 1),
    ]);
  });
  // The real packages' reindex jobs ran on the queue: wait until search lists every package.
  let listed = 0;
  for (let tries = 0; tries < 600; tries++) {
    listed = (await index.stats()).listed;
    if (listed >= size) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // The local KV alone, without the Worker: 1,000 reads of seeded packages' version lists in
  // turn through Miniflare's API (its cost beside the Worker's tells whether a slower read at a
  // larger size is the local KV's storage or our code).
  const probes = Array.from(
    { length: 1000 },
    (_, j) => `@seed${Math.floor((j * seeded) / 1000) % 1000}/s${Math.floor((j * seeded) / 1000)}`,
  );
  const kv0 = performance.now();
  for (const name of probes) if ((await kv.get(versionListKey(name))) === null) throw new Error(`${name} not in KV`);
  const kvGetMs = (performance.now() - kv0) / probes.length;
  const how = "KV version list + metadata and the search document, through Miniflare's API";
  console.log(
    `READY ${JSON.stringify({ url: runtime.url, real, seeded, listed, how, kvGetMs, seedMs: performance.now() - t0 })}`,
  );
  const stop = async () => {
    await runtime.dispose();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
