// The transparency log's public API: RFC 6962 tree maths in Go's tlog model, C2SP tiles,
// signed notes, checkpoints and proofs. Pure and runtime-neutral (web APIs + @noble only).
export { LogVerificationError, isLogError, type LogErrorCode } from "./errors";
export { EMPTY_TREE_HASH, HASH_SIZE, formatHash, leafHash, nodeHash, parseHash, type Hash } from "./hash";
export { bytesEqual, decodeBase64, encodeBase64, fromHex, toHex } from "./encoding";
export {
  MAX_TREE_SIZE,
  runPlan,
  runPlanAsync,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  storedHashes,
  storedHashesForBatch,
  storedHashesForRecordHash,
  storedHashesPlan,
  treeHash,
  treeHashAsync,
  treeHashPlan,
  type HashPlan,
  type HashReader,
  type HashReaderAsync,
} from "./tree";
export {
  MAX_PROOF_LENGTH,
  checkRecord,
  checkTree,
  proveRecord,
  proveRecordAsync,
  proveRecordPlan,
  proveTree,
  proveTreeAsync,
  proveTreePlan,
  type RecordProof,
  type TreeProof,
} from "./proof";
export {
  ENTRIES_LEVEL,
  MAX_ENTRY_SIZE,
  TILE_HEIGHT,
  TILE_WIDTH,
  decodeEntryBundle,
  encodeEntryBundle,
  hashFromTile,
  newTilesForSize,
  parseTilePath,
  tileForIndex,
  tileHashIndexes,
  tileHashes,
  tileHashesAsync,
  tileHashesPlan,
  tileInTree,
  tilePath,
  type Tile,
} from "./tiles";
export { MemoryLog } from "./memory-log";
export { TileHashReader, type TileFetcher, type TreeHead } from "./tile-reader";
export {
  MAX_SIGNATURES,
  generateKey,
  isValidKeyName,
  keyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierKeyFor,
  type NoteSignature,
  type NoteVerifier,
  type OpenedNote,
  type SignerKey,
} from "./note";
export { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint, type SignedCheckpoint } from "./checkpoint";
export { entryLeafHash, formatEntry, parseEntry, type LogEntry } from "./entry";
export {
  TLOG_PROOF_HEADER,
  formatProof,
  parseProof,
  verifyConsistency,
  verifyInclusion,
  verifyTlogProof,
  type InclusionClaim,
  type ProofHashes,
  type TlogProof,
} from "./proof-text";
