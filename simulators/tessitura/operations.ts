/** Operation names used in fault filters and the request log (Swagger operationIds, camel-cased). */
export const TESSITURA_OPERATIONS = [
  'createSession',
  'getSession',
  'setConstituent',
  'reserveTickets',
  'applyOtherPayment',
  'checkout',
  'getCart',
  'getStatus',
] as const;

export type TessituraOperation = (typeof TESSITURA_OPERATIONS)[number];
