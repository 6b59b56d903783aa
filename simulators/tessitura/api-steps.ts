import type { Request, RequestHandler } from 'express';
import type { TessituraOperation } from './operations';
import type { SessionStore } from './session-store';
import { TessituraError, errorItem } from './tessitura-error';
import type { WebSession } from './web-session';

/** The handlers every call of an operation passes before its own: naming it, faults, authentication. */
export type OperationSteps = (operation: TessituraOperation) => RequestHandler[];

/** The live session named by the `sessionKey` path parameter; an expired session is unknown (404). */
export function sessionOf(sessions: SessionStore, req: Request): WebSession {
  const session = sessions.use(String(req.params.sessionKey));
  if (!session) {
    throw new TessituraError(404, [errorItem('TESSITURA_SESSION_NOT_FOUND', 'Session key not found or expired', 'sessionKey')]);
  }
  return session;
}
