import type { SchemaCheck } from './openapi-document';
import { Problem } from './problem';

/**
 * Keyset pagination cursors: the position after the last row of a page plus the query they belong to,
 * as opaque base64url JSON. They are not signed, so they are fully checked instead: a cursor of another
 * query, or whose position does not have the endpoint's shape (a forged one), is a 400 invalid_cursor
 * and never reaches the database.
 */
export function encodeCursor(position: unknown, query: unknown): string {
  return Buffer.from(JSON.stringify({ p: position, q: query }), 'utf8').toString('base64url');
}

const notOurs = () => new Problem('invalid_cursor', 'The cursor is not one this endpoint gave out.');

/** Answers the cursor's position once `checkPosition` finds it to have the shape `P`. */
export function decodeCursor<P>(cursor: string, query: unknown, checkPosition: SchemaCheck): P {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurs();
  }
  if (typeof decoded !== 'object' || decoded === null || !('p' in decoded)) throw notOurs();
  if (JSON.stringify((decoded as { q?: unknown }).q) !== JSON.stringify(query)) {
    throw new Problem('invalid_cursor', 'The cursor belongs to another query; start again without it.');
  }
  if (checkPosition(decoded.p).length > 0) throw notOurs();
  return decoded.p as P;
}
