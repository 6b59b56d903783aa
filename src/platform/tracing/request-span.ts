import { type ClientRequest, IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { Request } from 'express';
import type { OpenApiRequest } from '../openapi-request';

/**
 * Names the span of a request the gateway answered after its OpenAPI operation, and says who called: set
 * as the answer goes out, when the validator has matched the operation and the key has been checked.
 */
export function describeRequestSpan(span: Span, request: ClientRequest | IncomingMessage): void {
  if (!(request instanceof IncomingMessage)) return; // a call the gateway made (traced by its own client span)
  const { openapi, principal, method } = request as Request & OpenApiRequest;
  if (openapi?.openApiRoute) {
    span.updateName(`${method} ${openapi.openApiRoute}`);
    span.setAttribute('http.route', openapi.openApiRoute);
  }
  if (openapi?.schema?.operationId) span.setAttribute('gateway.operation', openapi.schema.operationId);
  if (!principal) return;
  span.setAttributes({ 'gateway.actor': principal.actor, 'gateway.role': principal.role });
  if (principal.partnerId) span.setAttribute('gateway.partner', principal.partnerId);
}
