import fc from 'fast-check';
import type { Schema } from './openapi-operations';

/*
 * The first fuzz runs found each of these answered with a 500 (hostile-fuzz.test.ts keeps them as
 * regression tests): timestamps of the right shape but no such date, hour or offset (the validator's
 * 'fast' format mode checked only the shape); RFC 3339 timestamps PostgreSQL cannot store; `urn:uuid:`
 * ids (ajv-formats takes them for uuids, PostgreSQL does not); delivery ids that coerce to Infinity.
 */
export const INFINITE_INTEGERS = ['1e400', 'Infinity', '-1e400'];
/** Not RFC 3339 date-times (no such date, hour or offset), though shaped like one. */
export const IMPOSSIBLE_TIMESTAMPS = [
  '2027-02-29T10:00:00Z', '2026-04-31T10:00:00Z', '2026-13-01T10:00:00Z', '2026-00-10T10:00:00Z', '2026-01-01T29:00:00Z',
  '2026-11-23T10:00:00+2400', '2026-11-23T10:00:00+99:99',
];
/** RFC 3339 date-times (valid by the schema) that PostgreSQL cannot store. */
export const OUT_OF_RANGE_TIMESTAMPS = ['0000-01-01T00:00:00Z', '2027-03-12T19:30:00+23:59', '9999-12-31T23:59:59-20:00'];

const SPECIAL_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\t', '\r\n', '\u007f', '\u202eevil', 'é', '😀', '\ufeffid', 'ｆｕｌｌ', 'null', 'undefined', 'NaN',
  "x'); DROP TABLE holds; --", "1' OR '1'='1", '../../etc/passwd', '%00', '%2e%2e%2f', '${jndi:ldap://x/a}', '<script>alert(1)</script>',
  '{{7*7}}', 'a b', '\\', '"', '__proto__', 'constructor',
];

const controlHeavy = fc.string({
  unit: fc.constantFrom('\u0000', '\u0001', '\u001b', '\u001f', '\u007f', ' ', 'a', '\u00a0'),
  minLength: 1,
  maxLength: 12,
});

/** Strings meant to break ids, text fields and parsers: control characters, unicode, injections, huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }) },
  { weight: 2, arbitrary: controlHeavy },
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, -0.5, 0.5, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, Number.MIN_VALUE),
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.integer({ min: 100_001, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function nested(depth: number, kind: 'object' | 'array'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'object' ? { a: value } : [value];
  return value;
}

/** Nested objects or arrays, deep enough to hurt a recursive validator (deeper still as raw text: see hostile-requests). */
export const deeplyNested = fc
  .record({ depth: fc.integer({ min: 20, max: 1_000 }), kind: fc.constantFrom<'object' | 'array'>('object', 'array') })
  .map(({ depth, kind }) => nested(depth, kind));

/** An own `__proto__` key, as JSON.parse makes it (an object literal would set the prototype instead). */
const protoPollution = JSON.parse('{"__proto__": {"role": "admin", "polluted": true}}') as unknown;

/** Any JSON value a hostile client may send in place of the one expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[]], protoPollution, { $ne: null }, { $gt: '' }) },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
);

const badTimestamps = fc.constantFrom(
  'yesterday', '2026-11-23', '2026-11-23T10:00:00', '2026-11-23 10:00:00Z', '23/11/2026 10:00', '1700000000', 'T10:00:00Z',
  '2026-11-23T10:00:00ZZ', '+002026-11-23T10:00:00Z', '2026-11-23T10:00Z', '2026-1-3T10:00:00Z', '2026-11-23T10:00:00+1',
  ...IMPOSSIBLE_TIMESTAMPS,
);

/** Values aimed at one schema's limits (its format, pattern, length and range), beside the generic hostile ones. */
export function hostileFor(schema: Schema): fc.Arbitrary<unknown> {
  const aimed: fc.Arbitrary<unknown>[] = [];
  if (schema.format === 'date-time') aimed.push(badTimestamps);
  if (schema.format === 'uuid') aimed.push(hostileUuid);
  const { maxLength } = schema;
  if (maxLength !== undefined) aimed.push(fc.integer({ min: 1, max: 64 }).map((extra) => 'a'.repeat(maxLength + extra)));
  if (schema.enum) aimed.push(fc.constantFrom(...schema.enum.map((value) => String(value).toUpperCase()), 'other', ''));
  if (schema.type === 'integer') {
    aimed.push(fc.constantFrom<unknown>(1.5, '1', true, null, (schema.minimum ?? 0) - 1, (schema.maximum ?? 2 ** 53) + 1));
  }
  if (schema.type === 'array') {
    const items = schema.maxItems ?? 0;
    aimed.push(fc.constantFrom<unknown>('1,2', { 0: 1 }, [[1]], Array.from({ length: items + 1 }, (_, i) => i + 1), [1, 1]));
  }
  return aimed.length ? fc.oneof({ weight: 2, arbitrary: fc.oneof(...aimed) }, { weight: 3, arbitrary: hostileValue }) : hostileValue;
}

/** Ids for path segments: not an `Id` (printable ASCII without spaces, 1-128) however they are decoded. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.string({ unit: fc.constantFrom('a', '/', '.', '%', '?', '#', ' ', '\u0000'), minLength: 1, maxLength: 8 }),
);

export const hostileUuid: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.uuid().map((uuid) => uuid.replace(/-/g, '')),
  fc.uuid().map((uuid) => `${uuid}0`),
  fc.uuid().map((uuid) => uuid.slice(1)),
  fc.uuid().map((uuid) => `{${uuid}}`),
  fc.uuid().map((uuid) => uuid.replace(/[0-9a-f]/, 'g')),
  fc.uuid().map((uuid) => `urn:uuid:${uuid}`),
);

/** Integer ids in a path (a delivery id): fractions, signs, exponents, overflow, words. */
export const hostileInteger: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '-0', '1.5', '9007199254740992', '99999999999999999999', 'NaN', 'abc', '1;DROP TABLE deliveries'),
  fc.constantFrom('[1]', '{}', 'null', 'true', ...INFINITE_INTEGERS),
  fc.string({ minLength: 1, maxLength: 10 }).filter((s) => Number.isNaN(Number(s))),
  fc.integer({ max: 0 }).map(String),
);
