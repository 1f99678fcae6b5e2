// Rate limits: 1000 requests/min per token and 3000/min per account (all its tokens together,
// so minting more tokens buys no more), 100/min per IP for anonymous callers, and a separate
// per-IP budget (2000/min) for archive downloads and log reads, so that `ori sync` of a project
// with hundreds of dependencies succeeds anonymously (see docs/access.md). Which budget a call
// is charged to comes from the matched route's access declaration, not from its URL. Failed
// authentication attempts are limited per IP too. Counters live in RateLimitCounter Durable
// Objects: writes and failed authentication ask them on every request (exact, concurrency cannot
// slip past); reads (GET, HEAD) are counted per isolate and sent in batches, so a read rarely
// waits for one — the overshoot this allows is bounded and documented (docs/access.md).
import type { Context } from "hono";
import type { Layer } from "../in-order";
import type { AppEnv, Env } from "../../env";
import { RegistryError } from "../../domain/errors";
import { ACCOUNT_LIMITS } from "../../domain/accounts";
import { RateLimits, type Bucket, type RateLimitDecision } from "../../services/rate-limits";
import { routeAccessOf } from "./route-policy";
import { addResponseHeaders } from "../response-headers";

/** Failed authentication attempts allowed per IP per minute. */
export const AUTH_FAILURES_PER_MINUTE = 20;

/** The budgets an env sets, read once per env object (every request asks). */
const budgets = new WeakMap<Env, ReturnType<typeof readLimits>>();

export function limits(env: Env): ReturnType<typeof readLimits> {
  let found = budgets.get(env);
  if (!found) budgets.set(env, (found = readLimits(env)));
  return found;
}

function readLimits(env: Env) {
  const num = (v: string | undefined, d: number) =>
    v && Number.isSafeInteger(Number(v)) && Number(v) > 0 ? Number(v) : d;
  return {
    authenticated: num(env.RATE_LIMIT_AUTHENTICATED_PER_MINUTE, 1000),
    account: num(env.RATE_LIMIT_ACCOUNT_PER_MINUTE, ACCOUNT_LIMITS.requestsPerMinute),
    anonymous: num(env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, 100),
    downloads: num(env.RATE_LIMIT_DOWNLOADS_PER_MINUTE, 2000),
  };
}

function clientIp(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/** The account bucket's name inside an account's counter (token buckets are `token:<id>`). */
const ACCOUNT_BUCKET = "account";

/**
 * Which counter a request is charged to, and its buckets: an account's tokens share one counter
 * holding the account's budget and each token's own; the operator token (no account) has its
 * own; anonymous callers are counted per IP, downloads and log reads (routes that declare the
 * bulk budget) apart from the rest.
 */
function chargeFor(c: Context<AppEnv>): { key: string; buckets: Bucket[] } {
  const l = limits(c.env);
  const principal = c.get("principal");
  if (principal?.tokenId) {
    return {
      key: `account:${principal.username}`,
      buckets: [
        { name: ACCOUNT_BUCKET, limit: l.account },
        { name: `token:${principal.tokenId}`, limit: l.authenticated },
      ],
    };
  }
  if (principal) return { key: `token:${principal.username}`, buckets: [{ name: "", limit: l.authenticated }] };
  const bulk = isRead(c) && routeAccessOf(c)?.budget === "bulk";
  return bulk
    ? { key: `bulk:${clientIp(c)}`, buckets: [{ name: "", limit: l.downloads }] }
    : { key: `ip:${clientIp(c)}`, buckets: [{ name: "", limit: l.anonymous }] };
}

/** GET and HEAD: charged in batches per isolate; every other method on each request (exact). */
function isRead(c: Context<AppEnv>): boolean {
  return c.req.method === "GET" || c.req.method === "HEAD";
}

export const rateLimit: Layer<AppEnv> = async (c, next) => {
  // Liveness is never charged: it touches no storage, and must answer when a counter cannot.
  if (routeAccessOf(c)?.budget === "none") return next();
  const { key, buckets } = chargeFor(c);
  const limits = new RateLimits(c.env);
  const decision = isRead(c)
    ? await limits.chargeRead(key, buckets, (p) => c.executionCtx.waitUntil(p))
    : await limits.hitAll(key, buckets);
  if (!decision.allowed) {
    if (decision.bucket === ACCOUNT_BUCKET)
      refuse(
        c,
        decision,
        `this account's tokens together made ${decision.limit} requests this minute, the account's budget; retry after the window resets`,
        "account_rate_limited",
      );
    refuse(c, decision, `rate limit of ${decision.limit} requests per minute exceeded; retry after the window resets`);
  }
  await next();
  setHeaders(c, decision);
};

/**
 * Before a token lookup that needs the AccountDirectory (a KV miss: an unknown, revoked or brand
 * new token), refuses an address that failed authentication too often, so guessing tokens
 * cannot load the directory.
 */
export async function guardAuthFailures(c: Context<AppEnv>): Promise<void> {
  const decision = await new RateLimits(c.env).peek(authFailKey(c), AUTH_FAILURES_PER_MINUTE);
  if (!decision.allowed) refuse(c, decision, "too many failed authentication attempts from this address; retry later");
}

/** Counts a failed authentication; the 401 carries that budget's X-RateLimit-* headers. */
export async function recordAuthFailure(c: Context<AppEnv>): Promise<void> {
  const decision = await new RateLimits(c.env).hit(authFailKey(c), AUTH_FAILURES_PER_MINUTE);
  if (!decision.allowed) refuse(c, decision, "too many failed authentication attempts from this address; retry later");
  setHeaders(c, decision);
}

function authFailKey(c: Context<AppEnv>): string {
  return `authfail:${clientIp(c)}`;
}

function refuse(
  c: Context<AppEnv>,
  decision: RateLimitDecision,
  message: string,
  code: "rate_limited" | "account_rate_limited" = "rate_limited",
): never {
  setHeaders(c, decision);
  const error = new RegistryError(code, message);
  error.retryAfter = Math.max(1, decision.reset - Math.floor(Date.now() / 1000));
  throw error;
}

function setHeaders(c: Context<AppEnv>, d: RateLimitDecision): void {
  addResponseHeaders(c, {
    "X-RateLimit-Limit": String(d.limit),
    "X-RateLimit-Remaining": String(d.remaining),
    "X-RateLimit-Reset": String(d.reset),
  });
}
