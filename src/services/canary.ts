// The probes' canary: one package, @registry-probe/canary 1.0.0, that the scheduled probes read
// as any client would (versions, metadata, download, search). The first run publishes it with
// the operator token (ADMIN_TOKEN; the scope @registry-probe is reserved to the operator, so no
// one else can take it or change the canary). Its bytes are packed deterministically, so a
// publish after a lost answer sends the same bytes again, which the registry accepts (200).
import { packArchive } from "../processing/pack";
import { sha256Hex } from "../util/bytes";

export const CANARY_SCOPE = "@registry-probe";
export const CANARY_PACKAGE = `${CANARY_SCOPE}/canary`;
export const CANARY_VERSION = "1.0.0";

const FILES: Record<string, string> = {
  "oripk.toml": [
    "[project]",
    `name = "${CANARY_PACKAGE}"`,
    `version = "${CANARY_VERSION}"`,
    'description = "The registry\'s canary: published once by its operator and read by the scheduled endpoint probes. Not for use."',
    'license = "CC0-1.0"',
    'keywords = ["registry-probe", "canary"]',
    'ori = "0.5.0"',
    "",
  ].join("\n"),
  "oripk.lock": "[checksums]\n",
  "README.md":
    "# @registry-probe/canary\n\nThe registry's own canary package. Its scheduled probes download it every minute to check that\nreads, downloads and search work as a client sees them (docs/monitoring.md). Do not depend on it.\n",
  "src/lib.ori": "// The canary has no code worth using.\npub fn canary() -> Int { 1 }\n",
};

let packed: { bytes: Uint8Array; sha256: string } | null = null;

/** The canary's archive and its sha256 (packed once per isolate; always the same bytes). */
export async function canaryArchive(): Promise<{ bytes: Uint8Array; sha256: string }> {
  if (!packed) {
    const bytes = await packArchive(FILES);
    packed = { bytes, sha256: await sha256Hex(bytes) };
  }
  return packed;
}
