import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { presentedKey } from './authentication';
import type { Principal, Role } from './principal';
import { Problem } from './problem';

/** Requests allowed per window: per key by its role, and per client address for callers without a valid key. */
export type RateLimitSettings = { windowMs: number; perRole: Record<Role, number>; perAddress: number };

/** What the address limit asks of the key cache: is this a key known to be valid, without a lookup? */
export type KnownKeys = { cachedPrincipal(rawKey: string): Principal | undefined };

/** Probes answer load balancers and orchestrators, whatever the load: never limited. */
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz']);

const rateLimited = (who: string) =>
  new Problem('rate_limited', `Too many requests from ${who}; wait for the time Retry-After gives, then retry.`);

/** Fixed windows counted in this process's memory: see the README ("Limits") for what a fleet needs. */
const commonOptions = (windowMs: number) => ({ windowMs, standardHeaders: 'draft-8' as const, legacyHeaders: false });

/**
 * Each key may make `perRole[role]` requests per window; over it, `429 rate_limited` with `Retry-After`
 * and the IETF `RateLimit` and `RateLimit-Policy` headers (policy named after the role).
 */
export function limitPerKey(settings: RateLimitSettings): RequestHandler {
  return rateLimit({
    ...commonOptions(settings.windowMs),
    skip: (req) => !req.principal || UNLIMITED_PATHS.has(req.path),
    keyGenerator: (req) => `key:${(req.principal as Principal).keyId}`,
    limit: (req) => settings.perRole[(req.principal as Principal).role],
    identifier: (req) => (req.principal as Principal).role,
    handler: (_req, _res, next) => next(rateLimited('this API key')),
  });
}

const knownValid = (keys: KnownKeys, req: Request): boolean => {
  const key = presentedKey(req);
  return key !== undefined && keys.cachedPrincipal(key) !== undefined;
};

/**
 * Callers without a key known to be valid may make `perAddress` requests per window from one address
 * (an IPv6 /56 counts as one). It runs before the key lookup, so that a flood of made-up keys reaches the
 * database at most that often; a valid key's lookup (once per key-cache lifetime) counts too.
 */
export function limitPerAddress(settings: RateLimitSettings, keys: KnownKeys): RequestHandler {
  return rateLimit({
    ...commonOptions(settings.windowMs),
    skip: (req) => UNLIMITED_PATHS.has(req.path) || knownValid(keys, req),
    keyGenerator: (req) => `address:${ipKeyGenerator(req.ip ?? '')}`,
    limit: settings.perAddress,
    identifier: 'address',
    handler: (_req, _res, next) => next(rateLimited('this address without a valid API key')),
  });
}
