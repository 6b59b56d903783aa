import { TessituraError, errorItem } from './tessitura-error';

/** Field types as the Swagger definitions name them (type + format). */
export type FieldType = 'int32' | 'double' | 'string' | 'boolean' | 'date-time' | 'object';
export type FieldSpec = Record<string, FieldType>;

type ValueOf<T extends FieldType> = T extends 'int32' | 'double'
  ? number
  : T extends 'boolean'
    ? boolean
    : T extends 'object'
      ? Record<string, unknown>
      : string;

export type BodyOf<S extends FieldSpec, R extends keyof S> = { [K in keyof S]?: ValueOf<S[K]> } & {
  [K in R]-?: ValueOf<S[K]>;
};

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks a request body against the fields of its Swagger definition and the fields this simulator
 * requires; answers 400 with one error per bad field. Fields the definition does not name are ignored,
 * as ASP.NET model binding does.
 */
export function readBody<S extends FieldSpec, R extends keyof S & string>(
  body: unknown,
  spec: S,
  required: readonly R[],
  path = 'request',
): BodyOf<S, R> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TessituraError(400, [errorItem('TESSITURA_VALIDATION_ERROR', `A JSON object is required at ${path}`, path)]);
  }
  const fields = body as Record<string, unknown>;
  const problems = Object.entries(spec).flatMap(([name, type]) => {
    const value = fields[name];
    if (value === undefined) {
      return required.includes(name as R) ? [problem(path, name, `${name} is required`)] : [];
    }
    return hasType(value, type) ? [] : [problem(path, name, `${name} must be ${describe(type)}`)];
  });
  if (problems.length > 0) throw new TessituraError(400, problems);
  return fields as BodyOf<S, R>;
}

function problem(path: string, name: string, description: string) {
  return errorItem('TESSITURA_VALIDATION_ERROR', description, `${path}.${name}`);
}

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'int32':
      return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX;
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'date-time':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function describe(type: FieldType): string {
  const names: Record<FieldType, string> = {
    int32: 'a 32-bit integer',
    double: 'a number',
    boolean: 'true or false',
    string: 'a string',
    'date-time': 'an ISO 8601 date-time',
    object: 'a JSON object',
  };
  return names[type];
}
