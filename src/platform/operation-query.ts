import type { Request } from 'express';
import type { operations } from '../generated/openapi';

type QueryParameters<Operation extends keyof operations> = NonNullable<operations[Operation]['parameters']['query']>;

/**
 * An operation's query as its handler receives it: checked and coerced by the OpenAPI validator, which
 * fills in each parameter with a default in the spec (named in `Defaulted`) when the caller leaves it out.
 */
export type OperationQuery<Operation extends keyof operations, Defaulted extends keyof QueryParameters<Operation> = never> =
  QueryParameters<Operation> & Required<Pick<QueryParameters<Operation>, Defaulted>>;

/** A request to a route whose query is `Query` (see `OperationQuery`). */
export type QueryRequest<Query> = Request<Record<string, string>, unknown, unknown, Query>;
