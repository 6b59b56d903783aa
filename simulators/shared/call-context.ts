import type { Response } from 'express';

export type FaultKind = 'down' | 'failed' | 'dropped';

/** What the simulator knows about the call in flight, kept on `res.locals` for the recorder. */
export interface CallContext {
  operation?: string;
  fault?: FaultKind;
}

export function callContext(res: Response): CallContext {
  return res.locals as CallContext;
}
