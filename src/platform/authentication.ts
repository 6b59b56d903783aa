import type { Request, RequestHandler } from 'express';
import type { Principal, Role } from './principal';

export type KeyAuthenticator = { authenticate(rawKey: string): Promise<Principal | null> };

type Rejection = Error & { status: number };

function reject(status: 401 | 403, message: string): Rejection {
  return Object.assign(new Error(message), { status });
}

function presentedKey(req: Request): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Resolves the caller from `X-Api-Key` or `Authorization: Bearer` before the OpenAPI validator runs;
 * deciding whether the operation needs a key, and which roles it admits, is `authorizeOperation`'s job.
 * A bearer token is also copied to `X-Api-Key`, so that the validator sees one scheme whichever was used.
 */
export function resolvePrincipal(keys: KeyAuthenticator): RequestHandler {
  return async (req, _res, next) => {
    const key = presentedKey(req);
    if (key === undefined) return next();
    req.headers['x-api-key'] = key;
    req.principal = (await keys.authenticate(key)) ?? undefined;
    next();
  };
}

/**
 * The OpenAPI validator's security handler: the caller must have a valid key whose role is among the
 * operation's `x-roles`.
 */
export function authorizeOperation(req: Request): true {
  const principal = req.principal;
  if (!principal) throw reject(401, 'Send a valid API key in X-Api-Key or Authorization: Bearer.');
  const operation = (req as Request & { openapi?: { schema?: Record<string, unknown> } }).openapi?.schema;
  const roles = (operation?.['x-roles'] ?? []) as Role[];
  if (!roles.includes(principal.role)) {
    throw reject(403, `Role '${principal.role}' may not call ${String(operation?.operationId ?? 'this operation')}.`);
  }
  return true;
}
