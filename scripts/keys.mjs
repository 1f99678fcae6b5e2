// Local secrets for development and tests: the operator token and the log's signing key, in
// the formats the Worker reads (see docs/configuration.md). Plain Node.js, no build step.
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";

/** An operator token: `ori_` + 32 random bytes, base64url. */
export function generateAdminToken() {
  return `ori_${randomBytes(32).toString("base64url")}`;
}

/**
 * An Ed25519 note signer key as golang.org/x/mod/sumdb/note writes it:
 * `PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || seed)>`, and its verifier key
 * `<name>+<8 hex key id>+<base64(0x01 || public key)>`. The name is the log origin.
 */
export function generateSignerKey(name) {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d, "base64url");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
  const typed = (k) => Buffer.concat([Buffer.from([0x01]), k]);
  const id = createHash("sha256")
    .update(Buffer.concat([Buffer.from(`${name}\n`), typed(pub)]))
    .digest()
    .subarray(0, 4)
    .toString("hex");
  return {
    signer: `PRIVATE+KEY+${name}+${id}+${typed(seed).toString("base64")}`,
    verifier: `${name}+${id}+${typed(pub).toString("base64")}`,
  };
}
