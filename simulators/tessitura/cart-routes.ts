import express, { type Router } from 'express';
import { sessionOf, type OperationSteps } from './api-steps';
import { readBody } from './body-fields';
import type { CartService } from './cart-service';
import { APPLY_OTHER_PAYMENT_REQUEST, CHECKOUT_REQUEST, RESERVE_TICKETS_REQUEST } from './request-fields';
import type { SessionStore } from './session-store';
import { cartView } from './views';

export function cartRoutes(sessions: SessionStore, cart: CartService, steps: OperationSteps): Router {
  const router = express.Router();

  router.get('/Web/Cart/:sessionKey', ...steps('getCart'), (req, res) => {
    res.json(cartView(sessionOf(sessions, req)));
  });

  router.post('/Web/Cart/:sessionKey/Tickets', ...steps('reserveTickets'), (req, res) => {
    const session = sessionOf(sessions, req);
    const request = readBody(req.body, RESERVE_TICKETS_REQUEST, ['PerformanceId', 'NumberOfSeats', 'PriceType', 'ZoneId']);
    const lineItem = cart.reserveTickets(session, request);
    res.json({ LineItemId: lineItem.id, SeatsReserved: lineItem.subLineItems.length });
  });

  router.post('/Web/Cart/:sessionKey/Payments/Other', ...steps('applyOtherPayment'), (req, res) => {
    const session = sessionOf(sessions, req);
    const request = readBody(req.body, APPLY_OTHER_PAYMENT_REQUEST, ['Amount', 'PaymentMethodId']);
    res.json({ PaymentId: cart.applyOtherPayment(session, request).id });
  });

  router.post('/Web/Cart/:sessionKey/Checkout', ...steps('checkout'), (req, res) => {
    const session = sessionOf(sessions, req);
    const request = readBody(req.body, CHECKOUT_REQUEST, ['Amount']);
    const order = cart.checkout(session, request);
    res.json({ Status: 'SaveComplete', Message: `Order ${order.orderId} saved` });
  });

  return router;
}
