import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIV3 } from 'express-openapi-validator/dist/framework/types';
import type { ValidationIssue } from './problem';
import { PROJECT_ROOT } from './project-root';

export const OPENAPI_PATH = path.join(PROJECT_ROOT, 'api-spec', 'openapi.yaml');

let cached: OpenAPIV3.DocumentV3 | undefined;

/** The API contract, parsed once. Callers get a deep copy: validators may annotate what they receive. */
export function loadOpenApiDocument(): OpenAPIV3.DocumentV3 {
  cached ??= parse(fs.readFileSync(OPENAPI_PATH, 'utf8')) as OpenAPIV3.DocumentV3;
  return structuredClone(cached);
}

export type SchemaCheck = (value: unknown) => ValidationIssue[];

/** A JSON schema for `schemaCheck`, which may refer to the document's component schemas by name. */
export const componentRef = (schemaName: string) => ({ $ref: `openapi#/components/schemas/${schemaName}` });

let ajv: Ajv | undefined;

/**
 * Checks a value against a schema built of the document's component schemas, for the few places where
 * the request validator cannot (each item of a listing batch is judged on its own; a cursor's position).
 */
export function schemaCheck(schema: object): SchemaCheck {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    ajv.addSchema({ components: loadOpenApiDocument().components }, 'openapi');
  }
  const validate = ajv.compile(schema);
  return (value) =>
    validate(value)
      ? []
      : (validate.errors ?? []).map((error) => ({ path: error.instancePath || '/', message: error.message ?? 'is invalid' }));
}

/** Checks a value against one of the document's component schemas (an unknown name throws at once). */
export const componentSchemaCheck = (schemaName: string): SchemaCheck => schemaCheck(componentRef(schemaName));
