import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Tessitura's whole published Swagger document lives beside the repository, never inside it. */
export const TESSITURA_SPEC_PATH = path.resolve(REPO_ROOT, '..', 'shared', 'reference', 'tessitura-15.2.40.json');

export function tessituraSpecAvailable(): boolean {
  return existsSync(TESSITURA_SPEC_PATH);
}

/** The Tessitura error body; the Swagger document declares no schema for it. */
const ERROR_ARRAY_SCHEMA = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['Code', 'Description', 'Details', 'ErrorPath'],
    additionalProperties: false,
    properties: {
      Code: { type: 'string' },
      Description: { type: 'string' },
      Details: { type: 'string' },
      ErrorPath: { type: ['string', 'null'] },
    },
  },
};

interface SwaggerOperation {
  operationId: string;
  parameters?: { name: string; in: string; schema?: object }[];
  responses: Record<string, { schema?: object }>;
}

interface SwaggerSpec {
  basePath: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, { properties?: object; additionalProperties?: boolean }>;
}

export interface ContractCall {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  requestBody: unknown;
  status: number | null;
  responseBody: unknown;
}

interface Route {
  method: string;
  pattern: RegExp;
  operation: SwaggerOperation;
}

/**
 * Validates calls against the Swagger 2.0 document (draft-04 schemas, formats int32/double/date-time).
 * Stricter than the document: a definition's object may hold only the properties it names, so a field
 * name Tessitura does not have is caught.
 */
export class TessituraContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<object, ValidateFunction>();

  constructor(specPath = TESSITURA_SPEC_PATH) {
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as SwaggerSpec;
    for (const definition of Object.values(spec.definitions)) {
      if (definition.properties) definition.additionalProperties = false;
    }
    // The published document is not itself a valid schema everywhere (an enum repeats a value): it is read as published.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv, ['date-time']);
    this.ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && Math.abs(value) < 2 ** 31 });
    this.ajv.addFormat('double', { type: 'number', validate: (value: number) => Number.isFinite(value) });
    this.ajv.addSchema(spec as object, 'tessitura');
    // A literal segment wins over a parameter (`Web/Session/BusinessFacing` over `Web/Session/{sessionKey}`).
    const parameterCount = (template: string) => (template.match(/\{/g) ?? []).length;
    this.routes = Object.entries(spec.paths)
      .sort(([a], [b]) => parameterCount(a) - parameterCount(b))
      .flatMap(([template, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({
          method: method.toUpperCase(),
          pattern: new RegExp(`^${spec.basePath}${template.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i'),
          operation,
        })),
      );
  }

  operationIdOf(call: Pick<ContractCall, 'method' | 'path'>): string | undefined {
    return this.routeOf(call)?.operation.operationId;
  }

  /** Problems with the call's query parameters and request body; none when they conform. */
  requestProblems(call: ContractCall): string[] {
    const parameters = this.routeOf(call)?.operation.parameters ?? [];
    const queryNames = new Set(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
    const unknownQuery = Object.keys(call.query ?? {})
      .filter((name) => !queryNames.has(name))
      .map((name) => `query parameter ${name} is not declared`);
    const schema = parameters.find((parameter) => parameter.in === 'body')?.schema;
    return [...unknownQuery, ...(schema ? this.problems(schema, call.requestBody) : [])];
  }

  /** Problems with the answer: a 2xx against the operation's response schema, an error against the error array. */
  responseProblems(call: ContractCall): string[] {
    const route = this.routeOf(call);
    if (!route) return [`${call.method} ${call.path} is not in the Swagger document`];
    if (call.status === null || call.status >= 300) return this.problems(ERROR_ARRAY_SCHEMA, call.responseBody);
    const response = route.operation.responses[String(call.status)];
    if (!response) return [`status ${call.status} is not declared for ${route.operation.operationId}`];
    return response.schema ? this.problems(response.schema, call.responseBody) : [];
  }

  /** Validates a value against a named definition, e.g. `Session`. */
  definitionProblems(definition: string, value: unknown): string[] {
    return this.problems({ $ref: `#/definitions/${definition}` }, value);
  }

  private routeOf({ method, path: urlPath }: Pick<ContractCall, 'method' | 'path'>): Route | undefined {
    return this.routes.find((route) => route.method === method && route.pattern.test(urlPath));
  }

  private problems(schema: object, value: unknown): string[] {
    let validate = this.validators.get(schema);
    if (!validate) {
      // Refs in the document are local (#/definitions/...); point them at the registered document.
      const rooted = JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, '"tessitura#/definitions/'));
      validate = this.ajv.compile(rooted);
      this.validators.set(schema, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message}`);
  }
}

/** Every way the calls stray from the document, each naming its call. */
export function contractProblems(contract: TessituraContract, calls: ContractCall[]): string[] {
  return calls.flatMap((call) => [
    ...contract.requestProblems(call).map((problem) => `${call.method} ${call.path} request: ${problem}`),
    ...contract.responseProblems(call).map((problem) => `${call.method} ${call.path} response ${call.status}: ${problem}`),
  ]);
}
