import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadOpenApiDocument } from '../../../src/platform/openapi-document';
import { ROLES, type Role } from '../../../src/platform/principal';

/** A schema of the OpenAPI document with every `$ref` replaced by what it names. */
export type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  oneOf?: Schema[];
  allOf?: Schema[];
  style?: string;
  explode?: boolean;
};

export type Parameter = { name: string; in: 'path' | 'query'; schema: Schema; style?: string; explode?: boolean };

export type Operation = {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  /** The roles `x-roles` admits; an operation with `security: []` needs no key. */
  roles: Role[];
  secured: boolean;
  parameters: Parameter[];
  body?: { schema: Schema; example: unknown };
  /** Each documented status with the problem codes its schema allows (empty for a success). */
  responses: Map<number, string[]>;
};

/** The codes every operation may answer (the table in the document's description). */
export const GLOBAL_PROBLEMS: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const METHODS = ['get', 'post', 'put', 'delete'] as const;
const document = loadOpenApiDocument() as unknown as Record<string, unknown>;

function resolve<T>(node: T, depth = 0): T {
  if (depth > 50) throw new Error('$ref nesting too deep');
  if (Array.isArray(node)) return node.map((item) => resolve(item, depth + 1)) as T;
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as { $ref?: string }).$ref;
  if (ref) {
    const target = ref.slice(2).split('/').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], document);
    return resolve(target as T, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, depth + 1)])) as T;
}

function problemCodes(response: { content?: Record<string, { schema?: Schema }> }): string[] {
  const schema = response.content?.['application/problem+json']?.schema;
  return (schema?.allOf ?? []).flatMap((part) => (part.properties?.code?.enum ?? []) as string[]);
}

/** Every operation of the document, walked path by path and method by method. */
export function specOperations(): Operation[] {
  const paths = resolve(document.paths) as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method] as Record<string, unknown> & { parameters?: Parameter[]; security?: unknown[] };
      const content = (op.requestBody as { content?: Record<string, { schema: Schema; example: unknown }> } | undefined)?.content;
      const responses = Object.entries(op.responses as Record<string, Parameters<typeof problemCodes>[0]>);
      return {
        operationId: op.operationId as string,
        method,
        path,
        roles: (op['x-roles'] as Role[]) ?? [],
        secured: !(Array.isArray(op.security) && op.security.length === 0),
        parameters: [...((item.parameters as Parameter[]) ?? []), ...(op.parameters ?? [])],
        body: content?.['application/json'],
        responses: new Map(responses.map(([status, response]) => [Number(status), problemCodes(response)])),
      };
    }),
  );
}

export const rolesRefused = (op: Operation): Role[] => ROLES.filter((role) => !op.roles.includes(role));

export const componentSchema = (name: string): Schema => resolve<unknown>({ $ref: `#/components/schemas/${name}` }) as Schema;

const bodies = addFormats(new Ajv({ strict: false, allErrors: false }));
const parameters = addFormats(new Ajv({ strict: false, allErrors: false, coerceTypes: 'array' }));
const compiled = new WeakMap<object, (value: unknown) => boolean>();

function validator(key: object, build: () => (value: unknown) => boolean) {
  if (!compiled.has(key)) compiled.set(key, build());
  return compiled.get(key) as (value: unknown) => boolean;
}

/** Whether a JSON body matches its schema, as the request validator judges it (no type coercion, full formats). */
export function bodyIsValid(schema: Schema, value: unknown): boolean {
  return validator(schema, () => bodies.compile(schema))(value);
}

/** Whether a raw query or path value matches its parameter's schema (strings coerced; a form array split on commas). */
export function parameterIsValid(parameter: Parameter, raw: string): boolean {
  const value = parameter.schema.type === 'array' && parameter.explode === false ? raw.split(',') : raw;
  const holder = { type: 'object', properties: { value: parameter.schema }, required: ['value'] };
  return validator(parameter, () => parameters.compile(holder))({ value });
}
