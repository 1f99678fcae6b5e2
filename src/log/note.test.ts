// Signed notes: byte-for-byte interop with Go's sumdb/note test vectors, and strict parsing.
import { codeOf as code } from "../../test/helpers/error-codes";
import { describe, expect, it } from "vitest";
import { generateKey, keyId, openNote, parseSignerKey, parseVerifierKey, signNote, verifierKeyFor } from "./note";

// Interop vectors from golang.org/x/mod/sumdb/note (note.go's package doc and note_test.go).
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

describe("signed notes: Go sumdb/note interop", () => {
  it("derives Go's key id and verifier key from Go's signer key", () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(signer.name).toBe("PeterNeumann");
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.verifierKey).toBe(PETER_VKEY);
    const v = parseVerifierKey(PETER_VKEY);
    expect([v.name, v.keyId]).toEqual(["PeterNeumann", 0xc74f20a3]);
  });

  it("signs exactly as Go's note.Sign does (Ed25519 is deterministic)", () => {
    expect(signNote(TEXT, PETER_SKEY)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it("opens Go's signed notes, ignoring signatures by unknown keys", () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    const msg = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const one = openNote(msg, [peter]);
    expect(one.text).toBe(TEXT);
    expect(one.signatures).toEqual([{ name: "PeterNeumann", keyId: 0xc74f20a3, base64: PETER_SIG.slice(15, -1) }]);
    expect(one.unverified.map((s) => [s.name, s.keyId])).toEqual([["EnochRoot", 0xaf0cfe78]]);
    const both = openNote(msg, [peter, enoch]);
    expect(both.signatures.map((s) => s.name)).toEqual(["PeterNeumann", "EnochRoot"]);
    expect(both.unverified).toEqual([]);
    // As bytes, too.
    expect(openNote(new TextEncoder().encode(msg), peter).text).toBe(TEXT);
  });

  it("rejects what Go rejects", () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    expect(code(() => openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, []))).toBe("unknown_key");
    expect(code(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [enoch, peter, enoch]))).toBe("invalid_argument"); // ambiguous
    expect(code(() => openNote(`${TEXT}\n${PETER_SIG}`, [enoch, peter, enoch]))).toBeUndefined(); // unused duplicate
    expect(code(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [peter]))).toBe("malformed_note");
    expect(code(() => openNote(`${TEXT}\n${PETER_SIG.repeat(100)}`, [peter]))).toBeUndefined();
    expect(code(() => openNote(`${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`, [peter]))).toBe(
      "bad_signature",
    );
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
    ];
    for (const msg of bad)
      expect(
        code(() => openNote(msg, [peter])),
        JSON.stringify(msg),
      ).toBe("malformed_note");
    expect(
      code(() => openNote(new Uint8Array([0xff, ...new TextEncoder().encode(`${TEXT}\n${PETER_SIG}`)]), [peter])),
    ).toBe("malformed_note");
  });

  it("accepts repeated signatures once, as Go does, even after a bad duplicate", () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enochBad = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
    const n = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochBad}`, [peter]);
    expect(n.signatures).toHaveLength(1);
    expect(n.unverified).toHaveLength(2);
  });

  it("rejects every truncation and every one-character change of Go's keys", () => {
    for (const [key, parse] of [
      [PETER_VKEY, parseVerifierKey],
      [PETER_SKEY, parseSignerKey],
    ] as const) {
      for (let i = 0; i <= key.length; i++) {
        for (let j = i + 1; j <= key.length; j++) {
          if (i === 0 && j === key.length) continue;
          expect(
            code(() => parse(key.slice(i, j))),
            key.slice(i, j),
          ).toBe("malformed_key");
        }
      }
      for (let i = 0; i < key.length; i++) {
        const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
        expect(
          code(() => parse(changed)),
          changed,
        ).toBe("malformed_key");
      }
    }
    // Wrong key length and unknown algorithm, each with a matching id (from Go's note_test.go).
    expect(
      code(() => parseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")),
    ).toBe("malformed_key");
    expect(code(() => parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))).toBe(
      "malformed_key",
    );
  });
});

describe("signed notes", () => {
  it("round-trips with a generated key in Go's key formats", () => {
    const { signer, verifier } = generateKey("registry.example/v1/log");
    expect(signer).toMatch(/^PRIVATE\+KEY\+registry\.example\/v1\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(verifier).toMatch(/^registry\.example\/v1\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(parseSignerKey(signer).verifierKey).toBe(verifier);
    const msg = signNote("hello\nworld\n", signer);
    expect(msg).toMatch(/^hello\nworld\n\n— registry\.example\/v1\/log [A-Za-z0-9+/]{91}=\n$/);
    const opened = openNote(msg, parseVerifierKey(verifier));
    expect(opened.text).toBe("hello\nworld\n");
    expect(opened.signatures[0]!.keyId).toBe(parseVerifierKey(verifier).keyId);
  });

  it("computes the key id as SHA-256(name \\n 0x01 key)[:4]", () => {
    const v = parseVerifierKey(PETER_VKEY);
    const pub = Uint8Array.from(atob(PETER_VKEY.split("+")[2]!), (c) => c.charCodeAt(0)).subarray(1);
    expect(keyId("PeterNeumann", pub)).toBe(v.keyId);
    expect(verifierKeyFor("PeterNeumann", pub)).toBe(PETER_VKEY);
  });

  it("rejects a wrong key, a changed text or signature, and an unknown key name", () => {
    const a = generateKey("log.example/a");
    const b = generateKey("log.example/a"); // same name, another key: another id
    const msg = signNote("size 1\n", a.signer);
    expect(code(() => openNote(msg, parseVerifierKey(b.verifier)))).toBe("unknown_key");
    expect(code(() => openNote(msg.replace("size 1", "size 2"), parseVerifierKey(a.verifier)))).toBe("bad_signature");
    const sig = msg.slice(msg.lastIndexOf(" ") + 1, -1);
    const raw = Uint8Array.from(atob(sig), (c) => c.charCodeAt(0));
    for (const at of [4, 20, 67]) {
      const flipped = raw.slice();
      flipped[at]! ^= 1;
      const forged = msg.replace(sig, btoa(String.fromCharCode(...flipped)));
      expect(
        code(() => openNote(forged, parseVerifierKey(a.verifier))),
        `byte ${at}`,
      ).toBe("bad_signature");
    }
    const renamed = msg.replace("— log.example/a ", "— log.example/b ");
    expect(code(() => openNote(renamed, parseVerifierKey(a.verifier)))).toBe("unknown_key");
  });

  it("parses strictly", () => {
    const k = generateKey("n");
    const v = parseVerifierKey(k.verifier);
    const msg = signNote("t\n", k.signer);
    const sigLine = msg.slice(3);
    const bad = [
      `t\r\n\n${sigLine}`, // control character
      `t\n\n${sigLine.replace("— ", "-- ")}`, // not an em dash
      `t\n\n${sigLine.replace("— ", "—")}`,
      `t\n\n— n  ${sigLine.split(" ")[2]}`, // two spaces before the signature
      `t\n\n${sigLine.replace(/=\n$/, "\n")}`, // unpadded base64
      `t\n\n${sigLine}\n`, // blank line after signatures
      `t\n\n— n AAAA\n`, // signature shorter than id + 1 byte
      `t\n\n— n+x ${sigLine.split(" ")[2]}`, // "+" in a name
      `t\n\n${sigLine.slice(0, -1)}`, // no final newline
      "t\ud800\n\n" + sigLine, // lone surrogate
    ];
    for (const m of bad)
      expect(
        code(() => openNote(m, v)),
        JSON.stringify(m),
      ).toBe("malformed_note");
    // The text may hold empty lines: the signatures start after the last blank line.
    const multi = signNote("a\n\nb\n", k.signer);
    expect(openNote(multi, v).text).toBe("a\n\nb\n");
    expect(code(() => signNote("no newline", k.signer))).toBe("malformed_note");
    expect(code(() => signNote("bad\tchar\n", k.signer))).toBe("malformed_note");
    expect(code(() => generateKey("has space"))).toBe("malformed_key");
    expect(code(() => generateKey("has+plus"))).toBe("malformed_key");
    expect(code(() => generateKey(""))).toBe("malformed_key");
    expect(code(() => generateKey("nbsp\u00a0name"))).toBe("malformed_key");
  });
});
