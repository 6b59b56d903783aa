import fc from 'fast-check';
import type { Role } from '../../../src/platform/principal';
import { bodyMutations, type MutatedBody, preview } from './body-mutations';
import { hostileFor, hostileId, hostileInteger, hostileString, hostileUuid } from './hostile-values';
import { bodyIsValid, componentSchema, type Operation, type Parameter, parameterIsValid, rolesRefused, type Schema } from './openapi-operations';

/** One request that the spec says is wrong, and the statuses that would answer it correctly. */
export type HostileRequest = {
  kind: 'body' | 'batch item' | 'raw body' | 'path' | 'query' | 'auth';
  change: string;
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  body?: string;
  expected: number[];
};

/** What makes an operation's request valid and effective: real ids, a body that would succeed, the caller's role. */
export type ValidRequest = { path: Record<string, string>; body?: unknown; role: Role };
export type FuzzKeys = Record<Role, string> & { unknown: string; revoked: string };

type MakeRequest = (kind: HostileRequest['kind'], change: string, expected: number[], parts?: Partial<HostileRequest>) => HostileRequest;

const BODY_LIMIT_BYTES = 1024 * 1024;
/** Node answers a bare 431 to request lines over 16 KB, before the gateway sees them; stay well under. */
const MAX_URL_VALUE = 4_000;
const BATCH_OPERATION = 'upsertListingsBatch';
const MALFORMED_ESCAPES = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%uD800', '%%', 'a%0'];
const GARBAGE_BODIES = ['{', '{"a":}', "{'a':1}", '{"a":1,}', '[1,2', 'NaN', '{"a":NaN}', '\u0000', '{"a":"\\x41"}', '<xml/>'];
const WRONG_MEDIA_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'image/png',
];
const UNKNOWN_QUERY_NAMES = ['surprise', '__proto__', 'constructor', 'limit[]', 'status[0]', 'X-Api-Key', 'api_key'];

/** Fits in a URL: no lone surrogate (encodeURIComponent throws on one) and not too long. */
const encodable = (value: string) => !/\p{Surrogate}/u.test(value) && encodeURIComponent(value).length <= MAX_URL_VALUE;

/** A short summary for reports, which fast-check prints as the counterexample instead of a 200 kB string. */
export const summary = (request: HostileRequest): string =>
  `${request.kind}: ${request.change} -> ${request.method.toUpperCase()} ${request.url.slice(0, 200)}`;

const described = (request: HostileRequest): HostileRequest => Object.assign(request, { [fc.toStringMethod]: () => summary(request) });

/** Adds one member to a JSON object's text, after the others. */
const withMember = (json: string, member: string) => `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${member}}`;

/** A batch item is an `Id` `remote_id` plus a `ListingInput`; the gateway judges each item on its own. */
function batchItemSchema(): Schema {
  const listing = componentSchema('ListingInput');
  return {
    ...listing,
    properties: { remote_id: componentSchema('Id'), ...listing.properties },
    required: ['remote_id', ...(listing.required ?? [])],
  };
}

const BATCH_ITEM = batchItemSchema();

const batchItemsAllInvalid = (body: unknown): boolean =>
  (body as { listings: unknown[] }).listings.every((item) => !bodyIsValid(BATCH_ITEM, item));

/**
 * Requests to one operation, each wrong in one way: its body (a field, a missing or extra member, the
 * whole of it), its raw text or media type, a path id, a query parameter, or its credentials. Everything
 * else is the valid request, so that a mutation the gateway let through would succeed and show.
 */
export function hostileRequests(op: Operation, valid: ValidRequest, keys: FuzzKeys): fc.Arbitrary<HostileRequest> {
  const urlWith = (path: Record<string, string>, query = '') =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => path[name]) + (query && `?${query}`);
  const validPath = Object.fromEntries(Object.entries(valid.path).map(([name, value]) => [name, encodeURIComponent(value)]));
  const json = valid.body === undefined ? undefined : JSON.stringify(valid.body);
  const contentType: Record<string, string> = json ? { 'Content-Type': 'application/json' } : {};
  const headers = { ...(op.secured && { 'X-Api-Key': keys[valid.role] }), ...contentType };
  const request: MakeRequest = (kind, change, expected, parts = {}) =>
    described({ kind, change, method: op.method, url: urlWith(validPath), headers, body: json, expected, ...parts });

  const variants: fc.WeightedArbitrary<HostileRequest>[] = [];
  if (op.body && json) {
    const schema = op.body.schema;
    const isBatch = op.operationId === BATCH_OPERATION;
    const walk = isBatch ? { ...schema, properties: { listings: { type: 'array', items: BATCH_ITEM } } } : schema;
    const isInvalid = ({ body }: MutatedBody) => !bodyIsValid(schema, body) || (isBatch && batchItemsAllInvalid(body));
    const toRequest = ({ change, body }: MutatedBody) => {
      const text = JSON.stringify(body) ?? 'null';
      if (bodyIsValid(schema, body)) return request('batch item', change, [200], { body: text });
      return request('body', change, [400], { body: text });
    };
    variants.push({ weight: 5, arbitrary: bodyMutations(walk, valid.body).filter(isInvalid).map(toRequest) });
    variants.push({ weight: 2, arbitrary: rawBodies(json, headers, request) });
  }
  const pathParameters = op.parameters.filter((p) => p.in === 'path');
  if (pathParameters.length) {
    const segment = fc.constantFrom(...pathParameters).chain(({ name, ...parameter }) =>
      fc.oneof(
        hostileSegment({ name, ...parameter }, valid.path[name]).map((value) => ({ name, value, encoded: encodeURIComponent(value) })),
        fc.constantFrom(...MALFORMED_ESCAPES).map((escape) => ({ name, value: escape, encoded: `${validPath[name]}${escape}` })),
      ),
    );
    const toRequest = ({ name, value, encoded }: { name: string; value: string; encoded: string }) =>
      request('path', `{${name}} = ${preview(value)}`, [400, 404], { url: urlWith({ ...validPath, [name]: encoded }) });
    variants.push({ weight: 3, arbitrary: segment.map(toRequest) });
  }
  const query = hostileQuery(op).map(({ change, query }) => request('query', change, [400], { url: urlWith(validPath, query) }));
  variants.push({ weight: 2, arbitrary: query });
  if (op.secured) {
    const auth = hostileAuth(op, keys).map(({ change, credentials, expected }) =>
      request('auth', change, [expected], { headers: { ...credentials, ...contentType } }),
    );
    variants.push({ weight: 2, arbitrary: auth });
  }
  return fc.oneof(...variants);
}

/** A valid body sent wrongly: cut short, garbled, under another media type, nested absurdly deep, or over 1 MB. */
function rawBodies(json: string, headers: Record<string, string>, request: MakeRequest): fc.Arbitrary<HostileRequest> {
  const truncated = fc
    .integer({ min: 0, max: json.length - 1 })
    .map((cut) => request('raw body', `body cut to ${cut} chars`, [400], { body: json.slice(0, cut) || ' ' }));
  const garbage = fc.constantFrom(...GARBAGE_BODIES).map((text) => request('raw body', `body ${preview(text)}`, [400], { body: text }));
  const mediaType = fc
    .constantFrom(...WRONG_MEDIA_TYPES)
    .map((type) => request('raw body', `Content-Type: ${type}`, [415], { headers: { ...headers, 'Content-Type': type } }));
  const nesting = fc.record({ depth: fc.integer({ min: 1_000, max: 200_000 }), open: fc.constantFrom('[', '{"a":') });
  const deep = nesting.map(({ depth, open }) => {
    const nested = `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`;
    return request('raw body', `an extra member nested ${depth} deep`, [400, 413], { body: withMember(json, `"deep":${nested}`) });
  });
  const oversize = fc.integer({ min: 1, max: 64 * 1024 }).map((extra) => {
    const padded = withMember(json, `"pad":"${'x'.repeat(BODY_LIMIT_BYTES + extra)}"`);
    return request('raw body', `body of ${padded.length} bytes`, [413], { body: padded });
  });
  return fc.oneof(
    { weight: 3, arbitrary: truncated },
    { weight: 3, arbitrary: garbage },
    { weight: 3, arbitrary: mediaType },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: oversize },
  );
}

/** A path segment that is not valid for its parameter, often built around the real id it replaces. */
function hostileSegment(parameter: Parameter, real: string): fc.Arbitrary<string> {
  const schema = parameter.schema;
  const generic = schema.format === 'uuid' ? hostileUuid : fc.oneof(hostileId, hostileInteger);
  return fc
    .oneof(generic, generic.map((s) => `${real}${s}`), generic.map((s) => `${s}${real}`), fc.constant(real.padEnd(129, 'x')))
    .filter((value) => value !== '' && encodable(value) && !parameterIsValid(parameter, value));
}

/** One query parameter wrong: a known one with a value outside its schema, an unknown one, or a forged cursor. */
function hostileQuery(op: Operation): fc.Arbitrary<{ change: string; query: string }> {
  const known = op.parameters.filter((p) => p.in === 'query');
  const pair = (name: string, value: string) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  const unknownName = fc
    .oneof(
      fc.constantFrom(...UNKNOWN_QUERY_NAMES),
      hostileString.filter((name) => name.trim() !== '' && name.length < 50 && encodable(name)),
    )
    .filter((name) => !known.some((p) => p.name === name));
  const unknown = fc
    .record({ name: unknownName, value: hostileString.filter(encodable) })
    .map(({ name, value }) => ({ change: `unknown ?${preview(name)}`, query: pair(name, value) }));
  if (known.length === 0) return unknown;
  const wrong = fc.constantFrom(...known).chain((parameter) =>
    hostileFor(parameter.schema)
      .map((value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')))
      .filter((value) => encodable(value) && !parameterIsValid(parameter, value))
      .map((value) => ({ change: `?${parameter.name}=${preview(value)}`, query: pair(parameter.name, value) })),
  );
  const arbitraries = [unknown, wrong];
  if (known.some((p) => p.name === 'cursor')) {
    const forged = fc.base64String({ minLength: 4, maxLength: 200 }).map((cursor) => cursor.replace(/[+/=]/g, '_'));
    arbitraries.push(forged.map((cursor) => ({ change: 'forged cursor', query: pair('cursor', cursor) })));
  }
  return fc.oneof(...arbitraries);
}

type BadCredentials = { change: string; credentials: Record<string, string>; expected: number };

/** No key, a key nobody issued, a revoked key, a malformed Authorization header, or a role the operation refuses. */
function hostileAuth(op: Operation, keys: FuzzKeys): fc.Arbitrary<BadCredentials> {
  const unauthorized = fc.constantFrom<[string, Record<string, string>]>(
    ['no key', {}],
    ['unknown key', { 'X-Api-Key': keys.unknown }],
    ['revoked key', { 'X-Api-Key': keys.revoked }],
    ['empty key', { 'X-Api-Key': '' }],
    ['Basic auth', { Authorization: `Basic ${Buffer.from(`admin:${keys.admin}`).toString('base64')}` }],
    ['Bearer without a token', { Authorization: 'Bearer' }],
    ['Bearer with two tokens', { Authorization: `Bearer ${keys.admin} ${keys.admin}` }],
  );
  const arbitraries = [unauthorized.map(([change, credentials]) => ({ change, credentials, expected: 401 }))];
  const refused = rolesRefused(op);
  if (refused.length) {
    const forbidden = (role: Role) => ({ change: `a ${role} key`, credentials: { 'X-Api-Key': keys[role] }, expected: 403 });
    arbitraries.push(fc.constantFrom(...refused).map(forbidden));
  }
  return fc.oneof(...arbitraries);
}
