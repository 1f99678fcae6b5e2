// What error tracking keeps of an error's text: secrets and personal data cut out before it is
// stored, logged or sent to Sentry — registry tokens (`ori_…`), bearer credentials and
// Authorization headers, the log's signing key, URL credentials (a DSN's key), e-mail and IP
// addresses — then control characters escaped and the length capped. Pure.
import { visible } from "../domain/text";

/** The longest message kept (characters, before escaping). */
export const MAX_MESSAGE_LENGTH = 500;

const RULES: readonly [RegExp, string][] = [
  // Registry tokens anywhere (the auth middleware's own pattern, with any length).
  [/ori_[A-Za-z0-9_-]+/g, "ori_[redacted]"],
  // An Authorization header or a bearer/basic credential, whatever its scheme's value.
  [/\b(authorization)\b("?\s*[:=]\s*)("?)[^\s"',;}]+(?:\s+[^\s"',;}]+)?/gi, "$1$2$3[redacted]"],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  // A note signer key (LOG_SIGNING_KEY): PRIVATE+KEY+<name>+<id>+<base64>.
  [/PRIVATE\+KEY\+[^\s"']+/g, "PRIVATE+KEY+[redacted]"],
  // Credentials in a URL (https://<key>@host, https://user:pass@host).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, "$1[redacted]@"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  // IP addresses: IPv4, IPv6 written out (four groups at least, so times like 12:30:45 stay)
  // or compressed with `::`.
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, "[ip]"],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?![0-9a-z:])/gi, "[ip]"],
  [
    /\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![0-9a-z:])|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*(?![0-9a-z:])/gi,
    "[ip]",
  ],
];

/** The text with secrets and personal data replaced, escaped, and cut to `max` characters. */
export function redact(text: string, max = MAX_MESSAGE_LENGTH): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  if (out.length > max) out = `${out.slice(0, max)}…`;
  return visible(out);
}
