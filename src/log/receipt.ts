// What the registry hands back for a logged entry: its index and an inclusion proof against a
// signed checkpoint. Shared by the sequencer (which builds it) and clients (which verify it).

export interface InclusionReceipt {
  index: number;
  /** The entry's exact bytes: `<name> <version> sha256:<hex>\n`. */
  entry: string;
  /** Size of the tree the proof and checkpoint are for. */
  treeSize: number;
  /** The signed checkpoint (a C2SP signed note) the proof is against. */
  checkpoint: string;
  /** Inclusion proof hashes, base64, from the leaf's sibling up to the root. */
  proof: string[];
}
