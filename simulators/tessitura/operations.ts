/** Operation names used in fault filters and the request log (Swagger operationIds, camel-cased). */
export const TESSITURA_OPERATIONS = [
  'createSession',
  'createBusinessFacingSession',
  'getSession',
  'setConstituent',
  'getCartProperties',
  'updateCartProperties',
  'reserveTickets',
  'applyOtherPayment',
  'applyOnAccountPayment',
  'loadOrder',
  'returnTicket',
  'checkout',
  'getCart',
  'clearCart',
  'getOrderProductsView',
  'getSubLineItems',
  'getStatus',
] as const;

export type TessituraOperation = (typeof TESSITURA_OPERATIONS)[number];
