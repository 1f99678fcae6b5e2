// The C2SP tlog-proof text format and the one-call inclusion verifier.
import { codeOf as code } from "../../test/helpers/error-codes";
import { describe, expect, it } from "vitest";
import { signCheckpoint } from "./checkpoint";
import { formatEntry } from "./entry";
import { formatHash } from "./hash";
import { MemoryLog } from "./memory-log";
import { generateKey } from "./note";
import { proveRecord } from "./proof";
import { formatProof, parseProof, verifyInclusion, verifyTlogProof } from "./proof-text";

const ORIGIN = "registry.example/v1/log";
const key = generateKey(ORIGIN);

function fixture(size = 20) {
  const log = new MemoryLog();
  const entries = Array.from({ length: size }, (_, i) =>
    formatEntry(`@acme/p${i}`, "1.0.0", i.toString(16).padStart(64, "0")),
  );
  for (const e of entries) log.append(e);
  const checkpoint = signCheckpoint({ origin: ORIGIN, size, hash: log.treeHash() }, key.signer);
  return { log, entries, checkpoint };
}

describe("tlog-proof text", () => {
  it("formats as the C2SP spec shows and parses back", () => {
    const { log, checkpoint } = fixture();
    const proof = proveRecord(20, 13, log);
    const text = formatProof({ index: 13, proof, checkpoint });
    expect(text).toBe(
      `c2sp.org/tlog-proof@v1\nindex 13\n${proof.map((h) => `${formatHash(h)}\n`).join("")}\n${checkpoint}`,
    );
    expect(parseProof(text)).toEqual({ index: 13, proof, checkpoint });
    // Base64 strings (as the sequencer keeps them) format the same.
    expect(formatProof({ index: 13, proof: proof.map(formatHash), checkpoint })).toBe(text);
    const extra = new TextEncoder().encode("context");
    const withExtra = formatProof({ index: 13, proof, checkpoint, extra });
    expect(withExtra.split("\n")[1]).toBe(`extra ${btoa("context")}`);
    expect(parseProof(withExtra)).toEqual({ index: 13, proof, checkpoint, extra });
    // A one-entry tree has an empty proof.
    const one = fixture(1);
    const empty = formatProof({ index: 0, proof: [], checkpoint: one.checkpoint });
    expect(empty).toBe(`c2sp.org/tlog-proof@v1\nindex 0\n\n${one.checkpoint}`);
    expect(parseProof(empty)).toEqual({ index: 0, proof: [], checkpoint: one.checkpoint });
  });

  it("parses strictly", () => {
    const { log, checkpoint } = fixture();
    const good = formatProof({ index: 13, proof: proveRecord(20, 13, log), checkpoint });
    const lines = good.split("\n");
    const bad = [
      "",
      good.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
      good.replace("index 13", "index 013"),
      good.replace("index 13", "index  13"),
      good.replace("index 13", "index -1"),
      good.replace("index 13", "Index 13"),
      good.replace("index 13\n", ""),
      good.replace(lines[2]!, lines[2]!.slice(1)),
      good.replace(lines[2]!, `${lines[2]} `),
      good.replace(lines[2]!, "AAAA"),
      good.replace("c2sp.org/tlog-proof@v1\n", "c2sp.org/tlog-proof@v1\nextra \n"),
      good.replace("c2sp.org/tlog-proof@v1\n", "c2sp.org/tlog-proof@v1\nextra !!\n"),
      good.slice(0, good.indexOf("\n\n") + 2), // no checkpoint
      good.slice(0, good.indexOf("\n\n")), // no blank line
      `c2sp.org/tlog-proof@v1\nindex 0\n${`${lines[2]}\n`.repeat(65)}\n${checkpoint}`,
    ];
    for (const t of bad)
      expect(
        code(() => parseProof(t)),
        JSON.stringify(t.slice(0, 80)),
      ).toBe("malformed_proof");
  });
});

describe("verifyInclusion", () => {
  it("accepts each entry under the signed checkpoint", () => {
    const { log, entries, checkpoint } = fixture();
    for (let i = 0; i < 20; i++) {
      const proof = proveRecord(20, i, log).map(formatHash);
      const cp = verifyInclusion({
        entry: entries[i]!,
        index: i,
        proof,
        signedCheckpoint: checkpoint,
        verifierKey: key.verifier,
        origin: ORIGIN,
      });
      expect(cp.size).toBe(20);
      const text = formatProof({ index: i, proof, checkpoint });
      expect(verifyTlogProof(text, { entry: entries[i]!, verifierKey: key.verifier, origin: ORIGIN }).index).toBe(i);
    }
  });

  it("rejects another entry, index, proof, checkpoint, key or origin", () => {
    const { log, entries, checkpoint } = fixture();
    const proof = proveRecord(20, 5, log);
    const claim = {
      entry: entries[5]!,
      index: 5,
      proof,
      signedCheckpoint: checkpoint,
      verifierKey: key.verifier,
      origin: ORIGIN,
    };
    expect(code(() => verifyInclusion(claim))).toBeUndefined();
    expect(code(() => verifyInclusion({ ...claim, entry: entries[6]! }))).toBe("bad_proof");
    expect(code(() => verifyInclusion({ ...claim, entry: entries[5]!.replace("1.0.0", "1.0.1") }))).toBe("bad_proof");
    expect(code(() => verifyInclusion({ ...claim, index: 4 }))).toBe("bad_proof");
    expect(code(() => verifyInclusion({ ...claim, index: 20 }))).toBe("bad_proof");
    const flipped = proof.map((h, i) => (i === 2 ? Uint8Array.from(h, (b, j) => (j === 0 ? b ^ 1 : b)) : h));
    expect(code(() => verifyInclusion({ ...claim, proof: flipped }))).toBe("bad_proof");
    expect(code(() => verifyInclusion({ ...claim, proof: ["not base64"] }))).toBe("malformed_proof");
    const grown = fixture(21);
    expect(code(() => verifyInclusion({ ...claim, signedCheckpoint: grown.checkpoint }))).toBe("bad_proof");
    expect(code(() => verifyInclusion({ ...claim, verifierKey: generateKey(ORIGIN).verifier }))).toBe("unknown_key");
    expect(code(() => verifyInclusion({ ...claim, origin: "other.example/log" }))).toBe("origin_mismatch");
    expect(code(() => verifyInclusion({ ...claim, signedCheckpoint: checkpoint.replace("\n20\n", "\n21\n") }))).toBe(
      "bad_signature",
    );
  });
});
