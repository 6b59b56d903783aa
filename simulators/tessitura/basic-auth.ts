import type { RequestHandler, Response } from 'express';
import { TessituraError, errorItem } from './tessitura-error';

export interface TessituraCredentials {
  username: string;
  userGroup: string;
  location: string;
  password: string;
}

/** Documented demo credentials: `Authorization: Basic base64("gateway:webapi:simulator:tessitura-demo")`. */
export const TESSITURA_DEMO_CREDENTIALS: TessituraCredentials = {
  username: 'gateway',
  userGroup: 'webapi',
  location: 'simulator',
  password: 'tessitura-demo',
};

/**
 * HTTP Basic where the user part is `username:usergroup:location`: 401 when missing or wrong,
 * 403 when the header is malformed.
 */
export function basicAuth(expected: TessituraCredentials): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) throw unauthorized(res, 'Authorization is required');
    const given = parseHeader(header);
    if (!given) {
      throw new TessituraError(403, [errorItem('TESSITURA_MALFORMED_AUTHORIZATION', 'The Authorization header is malformed')]);
    }
    const matches = (Object.keys(expected) as (keyof TessituraCredentials)[]).every((key) => given[key] === expected[key]);
    if (!matches) throw unauthorized(res, 'Invalid credentials');
    next();
  };
}

function parseHeader(header: string): TessituraCredentials | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (!match) return undefined;
  const [username, userGroup, location, ...passwordParts] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
  if (passwordParts.length === 0 || !username || !userGroup || !location) return undefined;
  return { username, userGroup, location, password: passwordParts.join(':') };
}

function unauthorized(res: Response, description: string): TessituraError {
  res.set('WWW-Authenticate', 'Basic realm="TessituraService"');
  return new TessituraError(401, [errorItem('TESSITURA_UNAUTHORIZED', description)]);
}
