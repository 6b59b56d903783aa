/** What express-openapi-validator adds to a request it matched to an operation of the API. */
export type OpenApiRequest = { openapi?: { openApiRoute?: string; schema?: { operationId?: string } } };
