import fc from 'fast-check';
import type { Role } from '../../../src/platform/principal';
import { bodyMutations, MutatedBody, preview } from './body-mutations';
import { hostileFor, hostileId, hostileInteger, hostileString, hostileUuid, knownFindingSegment } from './hostile-values';
import { bodyIsValid, componentSchema, Operation, Parameter, parameterIsValid, rolesRefused, Schema } from './openapi-operations';

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

/** What makes an operation's request valid and effective: real ids, a body that would succeed, the keys. */
export type ValidRequest = { path: Record<string, string>; body?: unknown; role: Role };
export type FuzzKeys = Record<Role, string> & { unknown: string; revoked: string };

const BODY_LIMIT_BYTES = 1024 * 1024;
/** Node answers a bare 431 to request lines over 16 KB, before the gateway sees them; stay well under. */
const MAX_URL_VALUE = 4_000;
const BATCH_OPERATION = 'upsertListingsBatch';
const MALFORMED_ESCAPES = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%uD800', '%%', 'a%0'];

/** Fits in a URL: no lone surrogate (encodeURIComponent throws on one) and not too long. */
const encodable = (value: string) => !/\p{Surrogate}/u.test(value) && encodeURIComponent(value).length <= MAX_URL_VALUE;

/** A short summary for reports, which fast-check prints as the counterexample instead of a 200 kB string. */
export const summary = (request: HostileRequest): string =>
  `${request.kind}: ${request.change} -> ${request.method.toUpperCase()} ${request.url.slice(0, 200)}`;

const described = (request: HostileRequest): HostileRequest => Object.assign(request, { [fc.toStringMethod]: () => summary(request) });

const batchItemSchema = (): Schema => {
  const listing = componentSchema('ListingInput');
  return { ...listing, properties: { remote_id: componentSchema('Id'), ...listing.properties }, required: ['remote_id', ...(listing.required ?? [])] };
};

function batchItemsAllInvalid(body: unknown): boolean {
  const items = (body as { listings: unknown[] }).listings;
  const item = batchItemSchema();
  return items.every((entry) => !bodyIsValid(item, entry));
}

export function hostileRequests(op: Operation, valid: ValidRequest, keys: FuzzKeys): fc.Arbitrary<HostileRequest> {
  const urlWith = (path: Record<string, string>, query = '') =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => path[name]) + (query && `?${query}`);
  const validPath = Object.fromEntries(Object.entries(valid.path).map(([name, value]) => [name, encodeURIComponent(value)]));
  const key: Record<string, string> = op.secured ? { 'X-Api-Key': keys[valid.role] } : {};
  const json = valid.body === undefined ? undefined : JSON.stringify(valid.body);
  const headers: Record<string, string> = { ...key, ...(json && { 'Content-Type': 'application/json' }) };
  const request = (kind: HostileRequest['kind'], change: string, expected: number[], parts: Partial<HostileRequest> = {}) =>
    described({ kind, change, method: op.method, url: urlWith(validPath), headers, body: json, expected, ...parts });

  const variants: fc.WeightedArbitrary<HostileRequest>[] = [];
  const body = op.body;
  if (body) {
    const walk = op.operationId === BATCH_OPERATION ? { ...body.schema, properties: { listings: { type: 'array', items: batchItemSchema() } } } : body.schema;
    const toRequest = ({ change, body: mutated }: MutatedBody) => {
      const text = JSON.stringify(mutated) ?? 'null';
      if (!bodyIsValid(body.schema, mutated)) return request('body', change, [400], { body: text });
      return request('batch item', change, [200], { body: text });
    };
    const isInvalid = ({ body: mutated }: MutatedBody) =>
      !bodyIsValid(body.schema, mutated) || (op.operationId === BATCH_OPERATION && batchItemsAllInvalid(mutated));
    variants.push({ weight: 5, arbitrary: bodyMutations(walk, valid.body).filter(isInvalid).map(toRequest) });
    variants.push({ weight: 2, arbitrary: rawBodies(json as string, headers, request) });
  }
  const pathParameters = op.parameters.filter((p) => p.in === 'path');
  if (pathParameters.length) {
    const hostilePath = fc.constantFrom(...pathParameters).chain((parameter) =>
      fc.oneof(
        hostileSegment(parameter, valid.path[parameter.name]).map((value) => ({ name: parameter.name, value, encoded: encodeURIComponent(value) })),
        fc.constantFrom(...MALFORMED_ESCAPES).map((escape) => ({ name: parameter.name, value: escape, encoded: `${validPath[parameter.name]}${escape}` })),
      ),
    );
    variants.push({
      weight: 3,
      arbitrary: hostilePath.map(({ name, value, encoded }) =>
        request('path', `{${name}} = ${preview(value)}`, [400, 404], { url: urlWith({ ...validPath, [name]: encoded }) }),
      ),
    });
  }
  variants.push({ weight: 2, arbitrary: hostileQuery(op).map(({ change, query }) => request('query', change, [400], { url: urlWith(validPath, query) })) });
  if (op.secured) {
    const auth = hostileAuth(op, keys).map(({ change, headers: credentials, expected }) =>
      request('auth', change, [expected], { headers: { ...credentials, ...(json && { 'Content-Type': 'application/json' }) } }),
    );
    variants.push({ weight: 2, arbitrary: auth });
  }
  return fc.oneof(...variants);
}

type MakeRequest = (kind: HostileRequest['kind'], change: string, expected: number[], parts?: Partial<HostileRequest>) => HostileRequest;

/** A valid body sent wrongly: cut short, under another media type, or padded over the 1 MB limit. */
function rawBodies(json: string, headers: Record<string, string>, request: MakeRequest): fc.Arbitrary<HostileRequest> {
  const truncated = fc.integer({ min: 0, max: json.length - 1 }).map((cut) => request('raw body', `body cut to ${cut} chars`, [400], { body: json.slice(0, cut) || ' ' }));
  const garbage = fc.constantFrom('{', '{"a":}', "{'a':1}", '{"a":1,}', '[1,2', 'NaN', '{"a":NaN}', '\u0000', '{"a":"\\x41"}', '<xml/>').map((text) => request('raw body', `body ${preview(text)}`, [400], { body: text }));
  const mediaType = fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/vnd.api+json', 'image/png')
    .map((type) => request('raw body', `Content-Type: ${type}`, [415], { headers: { ...headers, 'Content-Type': type } }));
  const deep = fc.record({ depth: fc.integer({ min: 1_000, max: 200_000 }), open: fc.constantFrom('[', '{"a":') }).map(({ depth, open }) => {
    const close = open === '[' ? ']' : '}';
    const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
    return request('raw body', `an extra field nested ${depth} deep`, [400, 413], { body: `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"deep":${nested}}` });
  });
  const oversize = fc.integer({ min: 1, max: 64 * 1024 }).map((extra) => {
    const padded = `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"pad":"${'x'.repeat(BODY_LIMIT_BYTES + extra)}"}`;
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
  const generic = schema.format === 'uuid' ? hostileUuid : schema.type === 'integer' ? hostileInteger : hostileId;
  return fc
    .oneof(generic, generic.map((s) => `${real}${s}`), generic.map((s) => `${s}${real}`), fc.constant(real.padEnd(129, 'x')))
    .filter((value) => value !== '' && encodable(value) && !parameterIsValid(parameter, value) && !knownFindingSegment(value));
}

/** One query parameter wrong: a known one with a value outside its schema, an unknown one, or a forged cursor. */
function hostileQuery(op: Operation): fc.Arbitrary<{ change: string; query: string }> {
  const known = op.parameters.filter((p) => p.in === 'query');
  const pair = (name: string, value: string) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  const unknownName = fc.oneof(fc.constantFrom('surprise', '__proto__', 'constructor', 'limit[]', 'status[0]', 'X-Api-Key', 'api_key'), hostileString.filter((n) => n.trim() !== '' && n.length < 50 && encodable(n)));
  const unknown = fc
    .record({ name: unknownName.filter((n) => !known.some((p) => p.name === n)), value: hostileString.filter(encodable) })
    .map(({ name, value }) => ({ change: `unknown ?${preview(name)}`, query: pair(name, value) }));
  if (known.length === 0) return unknown;
  const wrong = fc.constantFrom(...known).chain((parameter) =>
    hostileFor(parameter.schema)
      .map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? ''))
      .filter((value) => encodable(value) && !parameterIsValid(parameter, value))
      .map((value) => ({ change: `?${parameter.name}=${preview(value)}`, query: pair(parameter.name, value) })),
  );
  const arbitraries = [unknown, wrong];
  if (known.some((p) => p.name === 'cursor')) {
    arbitraries.push(fc.base64String({ minLength: 4, maxLength: 200 }).map((cursor) => ({ change: `forged cursor`, query: pair('cursor', cursor.replace(/[+/=]/g, '_') || 'x') })));
  }
  return fc.oneof(...arbitraries);
}

/** No key, a key nobody issued, a revoked key, a malformed Authorization header, or a role the operation refuses. */
function hostileAuth(op: Operation, keys: FuzzKeys): fc.Arbitrary<{ change: string; headers: Record<string, string>; expected: number }> {
  const unauthorized = fc.constantFrom<[string, Record<string, string>]>(
    ['no key', {}],
    ['unknown key', { 'X-Api-Key': keys.unknown }],
    ['revoked key', { 'X-Api-Key': keys.revoked }],
    ['empty key', { 'X-Api-Key': '' }],
    ['Basic auth', { Authorization: `Basic ${Buffer.from(`admin:${keys.admin}`).toString('base64')}` }],
    ['Bearer without a token', { Authorization: 'Bearer' }],
    ['Bearer with two tokens', { Authorization: `Bearer ${keys.admin} ${keys.admin}` }],
  );
  const arbitraries = [unauthorized.map(([change, headers]) => ({ change, headers, expected: 401 }))];
  const refused = rolesRefused(op);
  if (refused.length) arbitraries.push(fc.constantFrom(...refused).map((role) => ({ change: `a ${role} key`, headers: { 'X-Api-Key': keys[role] }, expected: 403 })));
  return fc.oneof(...arbitraries);
}
