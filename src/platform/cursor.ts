import { Problem } from './problem';

/**
 * Keyset pagination cursors: the position after the last row of a page plus the query they belong to,
 * as opaque base64url JSON. A cursor used with another query is refused rather than silently misread.
 */
export function encodeCursor(position: unknown, query: unknown): string {
  return Buffer.from(JSON.stringify({ p: position, q: query }), 'utf8').toString('base64url');
}

export function decodeCursor<P>(cursor: string, query: unknown): P {
  let decoded: { p?: P; q?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof decoded;
  } catch {
    throw new Problem('invalid_cursor', 'The cursor is not one this endpoint gave out.');
  }
  if (decoded?.p === undefined || JSON.stringify(decoded.q) !== JSON.stringify(query)) {
    throw new Problem('invalid_cursor', 'The cursor belongs to another query; start again without it.');
  }
  return decoded.p;
}
