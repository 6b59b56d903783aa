import { loadOpenApiDocument } from '../../platform/openapi-document';
import type { SloScope } from './latency-recorder';

export type Operation = { id: string; name: string; tag: string | undefined };
/** The OpenAPI operation of a method and path template, if the document has one. */
export type OperationCatalog = (method: string, route: string) => Operation | undefined;

type DocumentOperation = { operationId?: string; summary?: string; tags?: string[] };

/** Looks operations up in the OpenAPI document: their operationId, summary (a plain name) and first tag. */
export function operationCatalog(): OperationCatalog {
  const paths = loadOpenApiDocument().paths as Record<string, Record<string, DocumentOperation>>;
  return (method, route) => {
    const operation = paths[route]?.[method.toLowerCase()];
    return operation?.operationId
      ? { id: operation.operationId, name: operation.summary ?? operation.operationId, tag: operation.tags?.[0] }
      : undefined;
  };
}

/** Probes, /metrics and the SLO report itself: the gateway's machinery, not a caller's business. */
const MACHINERY_TAG = 'Operations';

/** The SLO counts the operations callers use: every operation but the machinery's. */
export function callerOperations(catalog: OperationCatalog): SloScope {
  return (method, route) => {
    const operation = catalog(method, route);
    return operation !== undefined && operation.tag !== MACHINERY_TAG;
  };
}
