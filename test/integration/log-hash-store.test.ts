// The HashReader contract (test/helpers/hash-reader-contract.ts) against the LogSequencer's
// SQLite store, inside workerd: the hashes sequence() stores are the ones RFC 6962 defines.
import { env, runInDurableObject } from "cloudflare:test";
import { hashReaderContract } from "../helpers/hash-reader-contract";
import { SqliteHashStore } from "../../src/objects/log-hash-store";
import type { LogSequencer } from "../../src/objects/log-sequencer";

let instance = 0;

hashReaderContract("SqliteHashStore (the LogSequencer's)", async (entries) => {
  // A sequencer of its own, never the registry's log: only its SQLite store is used.
  const stub = env.LOG_SEQUENCER.getByName(`hash-reader-contract-${instance++}`);
  await runInDurableObject(stub, (_: LogSequencer, state) => {
    const store = new SqliteHashStore(state.storage);
    store.sequence(entries);
    store.markPublished(entries.length, "no checkpoint: nothing publishes this log");
  });
  return {
    readHashes: (indexes: number[]) =>
      runInDurableObject(stub, (_: LogSequencer, state) => new SqliteHashStore(state.storage).readHashes(indexes)),
  };
});
