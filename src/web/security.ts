// The headers every web answer carries: a strict Content-Security-Policy (no inline script or
// style at all; the one script allowed by its hash, the one stylesheet from this origin; no
// framing, no plugins, no base-URI or form target elsewhere), nosniff, no Referer to other
// sites, and cache rules: pages briefly and publicly (privately, never stored, in private mode),
// static files immutable under their content-hashed names.
import { STATIC_ASSETS } from "./static-assets";

/**
 * DECISION: img-src is this origin only, so a README's image from another host is not loaded
 * (its alt text shows): no third party learns who reads which page (no tracking, ever). An
 * image proxy could lift this later.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src '${STATIC_ASSETS.js.sri}'`,
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'none'",
  "connect-src 'none'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  // Nothing leaves for other sites; same-origin requests keep their Origin (the forms need it).
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

export const CACHE = {
  /** A public registry's pages: shared caches may keep them a minute (KV is that fresh anyway). */
  publicPage: "public, max-age=60",
  /** Private mode, sign-in and sign-out, faults: never stored anywhere. */
  private: "private, no-store",
  /** Static files under content-hashed names never change. */
  immutable: "public, max-age=31536000, immutable",
} as const;

export function applySecurityHeaders(headers: Headers): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) headers.set(k, v);
}
