// The HashReader contract (test/helpers/hash-reader-contract.ts) against the readers that run in
// Node: MemoryLog, and TileHashReader over the tiles a MemoryLog serves. (The sequencer's SQLite
// store runs the same suite inside workerd: test/integration/log-hash-store.test.ts.)
import { hashReaderContract } from "../../test/helpers/hash-reader-contract";
import { MemoryLog } from "./memory-log";
import { TileHashReader } from "./tile-reader";
import { newTilesForSize, tilePath } from "./tiles";

function memoryLog(entries: string[]): MemoryLog {
  const log = new MemoryLog();
  for (const e of entries) log.append(e);
  return log;
}

hashReaderContract("MemoryLog", async (entries) => memoryLog(entries));

hashReaderContract("TileHashReader", async (entries) => {
  const log = memoryLog(entries);
  const tiles = new Map(newTilesForSize(0, log.size).map((t) => [tilePath(t), log.tileData(t)]));
  return new TileHashReader({ size: log.size, hash: log.treeHash() }, async (path) => {
    const data = tiles.get(path);
    if (!data) throw new Error(`404 ${path}`);
    return data.slice();
  });
});
