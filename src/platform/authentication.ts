import type { Request, RequestHandler } from 'express';
import type { Principal, Role } from './principal';
import { Problem } from './problem';

export type KeyAuthenticator = { authenticate(rawKey: string): Promise<Principal | null> };

/** Both headers sent: one method per request, so neither key is tried (see `authorizeOperation`). */
const twoMethods = (req: Request) => req.headers['x-api-key'] !== undefined && req.headers.authorization !== undefined;

/** The key the request presents, if any (not yet checked). */
export function presentedKey(req: Request): string | undefined {
  if (twoMethods(req)) return undefined;
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Resolves the caller from `X-Api-Key` or `Authorization: Bearer`, before anything else looks at the
 * request; whether the operation needs a key, and which roles it admits, is `authorizeOperation`'s job.
 */
export function resolvePrincipal(keys: KeyAuthenticator): RequestHandler {
  return async (req, _res, next) => {
    const key = presentedKey(req);
    if (key !== undefined) req.principal = (await keys.authenticate(key)) ?? undefined;
    next();
  };
}

type OpenApiOperation = { security?: unknown[]; operationId?: string; 'x-roles'?: Role[] };

/**
 * Admits the request when its operation needs no key (`security: []`), or when the caller has a valid
 * key whose role is among the operation's `x-roles`. Runs once the OpenAPI validator knows the
 * operation (`req.openapi`); requests outside the API are left to the routes that follow.
 */
export function authorizeOperation(defaultSecurity: unknown[]): RequestHandler {
  return (req, _res, next) => {
    const operation = (req as Request & { openapi?: { schema?: OpenApiOperation } }).openapi?.schema;
    if (!operation || (operation.security ?? defaultSecurity).length === 0) return next();
    if (twoMethods(req)) {
      throw new Problem('ambiguous_credentials', 'Send the API key in X-Api-Key or in Authorization: Bearer, not both.');
    }
    const principal = req.principal;
    if (!principal) throw new Problem('unauthorized', 'Send a valid API key in X-Api-Key or Authorization: Bearer.');
    if (!(operation['x-roles'] ?? []).includes(principal.role)) {
      throw new Problem('forbidden', `Role '${principal.role}' may not call ${operation.operationId ?? 'this operation'}.`);
    }
    next();
  };
}
