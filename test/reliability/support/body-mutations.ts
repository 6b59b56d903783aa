import fc from 'fast-check';
import { hostileFor, hostileString, hostileValue } from './hostile-values';
import type { Schema } from './openapi-operations';

type Path = (string | number)[];
type Field = { path: Path; schema: Schema };

/** A JSON body changed in one way, with a short description of the change for the failure report. */
export type MutatedBody = { change: string; body: unknown };

const pointer = (path: Path) => `/${path.join('/')}`;

export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}... (${text.length} chars)` : text;
}

const propertiesOf = (schema: Schema): Record<string, Schema> =>
  Object.assign({}, schema.properties, ...(schema.oneOf ?? []).map((branch) => branch.properties));

/** Every field the schema names under the example: its properties (present or not) and first array items. */
function fieldsOf(schema: Schema, example: unknown, prefix: Path = []): Field[] {
  if (Array.isArray(example) && schema.items && example.length > 0) {
    return [{ path: [...prefix, 0], schema: schema.items }, ...fieldsOf(schema.items, example[0], [...prefix, 0])];
  }
  if (example === null || typeof example !== 'object') return [];
  return Object.entries(propertiesOf(schema)).flatMap(([key, sub]) => [
    { path: [...prefix, key], schema: sub },
    ...fieldsOf(sub, (example as Record<string, unknown>)[key], [...prefix, key]),
  ]);
}

/** Sets an own property (even `__proto__`) on a JSON copy of `body`, creating objects on the way. */
function withValue(body: unknown, path: Path, value: unknown, remove = false): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) delete at[last];
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const SNEAKY_KEYS = ['__proto__', 'constructor', 'prototype', 'partner_id', 'role', 'status', 'held', 'sold', 'available', 'id'];

/**
 * One change to a valid body: a field set to a hostile value aimed at its schema, a field removed, an
 * unknown field added (at the top or in a nested object), or the whole body replaced. `walk` is the
 * schema to find fields in (the body's own, or a richer one where the body's is loose).
 */
export function bodyMutations(walk: Schema, base: unknown): fc.Arbitrary<MutatedBody> {
  const fields = fieldsOf(walk, base);
  const objects: Path[] = [[], ...fields.filter((f) => f.schema.type === 'object').map((f) => f.path)];
  const set = fc.constantFrom(...fields).chain(({ path, schema }) =>
    hostileFor(schema).map((value) => ({ change: `${pointer(path)} = ${preview(value)}`, body: withValue(base, path, value) })),
  );
  const drop = fc
    .constantFrom(...fields)
    .map(({ path }) => ({ change: `without ${pointer(path)}`, body: withValue(base, path, undefined, true) }));
  const extra = fc
    .record({
      at: fc.constantFrom(...objects),
      key: fc.oneof(fc.constantFrom(...SNEAKY_KEYS), hostileString.filter((key) => key.length < 100)),
      value: hostileValue,
    })
    .map(({ at, key, value }) => {
      const path = [...at, key];
      return { change: `extra ${pointer(path)} = ${preview(value)}`, body: withValue(base, path, value) };
    });
  const whole = hostileValue.map((value) => ({ change: `body = ${preview(value)}`, body: value }));
  return fc.oneof(
    { weight: 5, arbitrary: set },
    { weight: 2, arbitrary: drop },
    { weight: 2, arbitrary: extra },
    { weight: 1, arbitrary: whole },
  );
}
