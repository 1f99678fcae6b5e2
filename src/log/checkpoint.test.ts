// Checkpoints: the tlog-checkpoint format, signing by the origin's key, and consistency of every
// checkpoint with every earlier one as a log grows (and detection of forks).
import { codeOf as code } from "../../test/helpers/error-codes";
import { describe, expect, it } from "vitest";
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from "./checkpoint";
import { EMPTY_TREE_HASH, parseHash } from "./hash";
import { MemoryLog } from "./memory-log";
import { generateKey, parseVerifierKey, signNote } from "./note";
import { proveTree } from "./proof";
import { verifyConsistency } from "./proof-text";

const ORIGIN = "registry.example/v1/log";
const key = generateKey(ORIGIN);

describe("checkpoints (tlog-checkpoint)", () => {
  const hash = parseHash("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")!;
  const text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  it("format and parse the spec's example", () => {
    const c: Checkpoint = { origin: "example.com/behind-the-sofa", size: 20852163, hash };
    expect(formatCheckpoint(c)).toBe(text);
    expect(parseCheckpoint(text)).toEqual(c);
    const ext = `${text}ext one\nexts two\n`;
    expect(parseCheckpoint(ext)).toEqual({ ...c, extensions: ["ext one", "exts two"] });
    expect(formatCheckpoint(parseCheckpoint(ext))).toBe(ext);
    expect(parseCheckpoint(`o\n0\n${btoa(String.fromCharCode(...EMPTY_TREE_HASH))}\n`).size).toBe(0);
  });

  it("parse strictly", () => {
    const h = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    const bad = [
      "",
      "o\n1\n",
      `o\n1\n${h}`, // no final newline
      `\n1\n${h}\n`, // empty origin
      `o\n01\n${h}\n`, // leading zero
      `o\n-1\n${h}\n`,
      `o\n+1\n${h}\n`,
      `o\n1.0\n${h}\n`,
      `o\n 1\n${h}\n`,
      `o\n9007199254740993\n${h}\n`, // not a safe integer
      `o\n${2 ** 51 + 1}\n${h}\n`, // beyond the largest tree
      `o\n1\n${h.slice(0, -1)}\n`,
      `o\n1\n${h.replace("=", "")}\n`,
      `o\n1\nAAAA\n`, // not 32 bytes
      `o\n1\n${h}\n\n`, // empty extension line
      `o\n1\n${h}\n\next\n`,
      `o\n1\n${h}\nx`, // a last line without its newline
    ];
    for (const t of bad)
      expect(
        code(() => parseCheckpoint(t)),
        JSON.stringify(t),
      ).toBe("malformed_checkpoint");
  });

  it("sign and open with the origin's key", () => {
    const log = new MemoryLog();
    log.append("a\n");
    const c = { origin: ORIGIN, size: 1, hash: log.treeHash() };
    const note = signCheckpoint(c, key.signer);
    expect(note.startsWith(`${ORIGIN}\n1\n`)).toBe(true);
    expect(openCheckpoint(note, key.verifier, ORIGIN)).toEqual({ checkpoint: c, note });
    // Witness cosignatures (unknown keys) are ignored.
    const witness = generateKey("witness.example");
    const cosigned = note + signNote(formatCheckpoint(c), witness.signer).split("\n\n")[1];
    expect(openCheckpoint(cosigned, parseVerifierKey(key.verifier), ORIGIN).checkpoint).toEqual(c);
  });

  it("reject another origin, another key, and a tampered checkpoint", () => {
    const c = { origin: ORIGIN, size: 5, hash: EMPTY_TREE_HASH };
    const note = signCheckpoint(c, key.signer);
    expect(code(() => openCheckpoint(note, key.verifier, "other.example/log"))).toBe("origin_mismatch");
    const other = generateKey("other.example/log");
    expect(code(() => signCheckpoint(c, other.signer))).toBe("origin_mismatch");
    // A checkpoint whose text names another origin, signed by our key.
    const foreign = signNote(formatCheckpoint({ ...c, origin: "other.example/log" }), key.signer);
    expect(code(() => openCheckpoint(foreign, key.verifier, ORIGIN))).toBe("origin_mismatch");
    expect(code(() => openCheckpoint(note, generateKey(ORIGIN).verifier, ORIGIN))).toBe("unknown_key");
    expect(code(() => openCheckpoint(note.replace("\n5\n", "\n6\n"), key.verifier, ORIGIN))).toBe("bad_signature");
    expect(code(() => openCheckpoint(note.replace("\n\n", "\n"), key.verifier, ORIGIN))).toBe("malformed_checkpoint");
    const notACheckpoint = signNote(`${ORIGIN}\nfive\n`, key.signer);
    expect(code(() => openCheckpoint(notACheckpoint, key.verifier, ORIGIN))).toBe("malformed_checkpoint");
  });

  it("are each consistent with every earlier one as the tree grows", () => {
    const log = new MemoryLog();
    const notes: string[] = [signCheckpoint({ origin: ORIGIN, size: 0, hash: log.treeHash() }, key.signer)];
    for (const grow of [1, 1, 2, 3, 10, 50, 190, 1, 255, 300]) {
      for (let i = 0; i < grow; i++) log.append(`@acme/p${log.size} 1.0.0 sha256:${"1".repeat(64)}\n`);
      notes.push(signCheckpoint({ origin: ORIGIN, size: log.size, hash: log.treeHash() }, key.signer));
    }
    for (let j = 0; j < notes.length; j++) {
      for (let i = 0; i <= j; i++) {
        const older = openCheckpoint(notes[i]!, key.verifier, ORIGIN).checkpoint;
        const newer = openCheckpoint(notes[j]!, key.verifier, ORIGIN).checkpoint;
        const proof = proveTree(newer.size, older.size, log);
        expect(verifyConsistency(notes[i]!, notes[j]!, proof, key.verifier, ORIGIN)).toEqual({ older, newer });
        if (i < j && proof.length > 0) {
          expect(code(() => verifyConsistency(notes[j]!, notes[i]!, proof, key.verifier, ORIGIN))).toBe(
            "inconsistent_tree",
          );
        }
      }
    }
  });

  it("expose a fork: two checkpoints of one size with different roots, or a rewritten prefix", () => {
    const a = new MemoryLog();
    const b = new MemoryLog();
    for (let i = 0; i < 10; i++) {
      a.append(`e${i}\n`);
      b.append(i === 3 ? "forged\n" : `e${i}\n`);
    }
    const ca = signCheckpoint({ origin: ORIGIN, size: 10, hash: a.treeHash() }, key.signer);
    const cb = signCheckpoint({ origin: ORIGIN, size: 10, hash: b.treeHash() }, key.signer);
    expect(code(() => verifyConsistency(ca, cb, [], key.verifier, ORIGIN))).toBe("inconsistent_tree");
    const old = signCheckpoint({ origin: ORIGIN, size: 5, hash: a.treeHash(5) }, key.signer);
    expect(code(() => verifyConsistency(old, cb, proveTree(10, 5, b), key.verifier, ORIGIN))).toBe("inconsistent_tree");
    expect(code(() => verifyConsistency(old, ca, proveTree(10, 5, a), key.verifier, ORIGIN))).toBeUndefined();
  });
});
