// Rate limits: 1000 requests/min per token, 100/min per IP for anonymous callers, and a
// separate per-IP budget (2000/min) for archive downloads and log reads, so that `ori sync` of
// a project with hundreds of dependencies succeeds anonymously (see docs/rate-limits.md).
// Failed authentication attempts are limited per IP too. Counters live in RateLimitCounter
// Durable Objects, so the X-RateLimit-* headers are exact and concurrency cannot slip past.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Env } from "../../env";
import { RegistryError } from "../../domain/errors";
import type { RateLimitDecision } from "../../objects/rate-limit-counter";
import { rateLimitName } from "../../storage/keys";

/** Failed authentication attempts allowed per IP per minute. */
export const AUTH_FAILURES_PER_MINUTE = 20;

const BULK_READ = /^\/v1\/(packages\/[^/]+\/[^/]+\/[^/]+\/download|log\/(tile\/.*|checkpoint|lookup\/.*))$/;

export function limits(env: Env) {
  const num = (v: string | undefined, d: number) => (v && Number.isSafeInteger(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    authenticated: num(env.RATE_LIMIT_AUTHENTICATED_PER_MINUTE, 1000),
    anonymous: num(env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, 100),
    downloads: num(env.RATE_LIMIT_DOWNLOADS_PER_MINUTE, 2000),
  };
}

function clientIp(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/** Which counter a request is charged to, and its limit. */
function bucketFor(c: Context<AppEnv>): { key: string; limit: number } {
  const l = limits(c.env);
  const principal = c.get("principal");
  if (principal) return { key: `token:${principal.tokenId ?? principal.username}`, limit: l.authenticated };
  const path = new URL(c.req.url).pathname;
  if ((c.req.method === "GET" || c.req.method === "HEAD") && BULK_READ.test(path)) return { key: `bulk:${clientIp(c)}`, limit: l.downloads };
  return { key: `ip:${clientIp(c)}`, limit: l.anonymous };
}

export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { key, limit } = bucketFor(c);
  const decision = await counter(c.env, key).hit(limit);
  if (!decision.allowed) refuse(c, decision, `rate limit of ${limit} requests per minute exceeded; retry after the window resets`);
  await next();
  setHeaders(c, decision);
};

/**
 * Before a token lookup that needs the AccountDirectory (a KV miss: an unknown, revoked or brand
 * new token), refuses an address that failed authentication too often, so guessing tokens
 * cannot load the directory.
 */
export async function guardAuthFailures(c: Context<AppEnv>): Promise<void> {
  const decision = await counter(c.env, authFailKey(c)).peek(AUTH_FAILURES_PER_MINUTE);
  if (!decision.allowed) refuse(c, decision, "too many failed authentication attempts from this address; retry later");
}

/** Counts a failed authentication; the 401 carries that budget's X-RateLimit-* headers. */
export async function recordAuthFailure(c: Context<AppEnv>): Promise<void> {
  const decision = await counter(c.env, authFailKey(c)).hit(AUTH_FAILURES_PER_MINUTE);
  if (!decision.allowed) refuse(c, decision, "too many failed authentication attempts from this address; retry later");
  setHeaders(c, decision);
}

function authFailKey(c: Context<AppEnv>): string {
  return `authfail:${clientIp(c)}`;
}

function refuse(c: Context<AppEnv>, decision: RateLimitDecision, message: string): never {
  setHeaders(c, decision);
  c.header("Retry-After", String(Math.max(1, decision.reset - Math.floor(Date.now() / 1000))));
  throw new RegistryError("rate_limited", message);
}

function counter(env: Env, key: string) {
  return env.RATE_LIMITER.getByName(rateLimitName(key));
}

function setHeaders(c: Context<AppEnv>, d: RateLimitDecision): void {
  c.header("X-RateLimit-Limit", String(d.limit));
  c.header("X-RateLimit-Remaining", String(d.remaining));
  c.header("X-RateLimit-Reset", String(d.reset));
}
