import { loadOpenApiDocument } from '../../platform/openapi-document';
import type { OperationNames } from './slo-tracker';

/** Names an endpoint (method and OpenAPI route) by its operationId, for the SLO report. */
export function operationNames(): OperationNames {
  const paths = loadOpenApiDocument().paths as Record<string, Record<string, { operationId?: string }>>;
  return (method, route) => paths[route]?.[method.toLowerCase()]?.operationId ?? `${method} ${route}`;
}
