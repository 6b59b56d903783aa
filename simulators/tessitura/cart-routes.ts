import express, { type Router } from 'express';
import { sessionOf, type OperationSteps } from './api-steps';
import { readBody } from './body-fields';
import type { CartService } from './cart-service';
import { APPLY_ON_ACCOUNT_PAYMENT_REQUEST, APPLY_OTHER_PAYMENT_REQUEST, CART_PROPERTIES, CHECKOUT_REQUEST, RESERVE_TICKETS_REQUEST } from './request-fields';
import type { SessionStore } from './session-store';
import { businessError } from './tessitura-error';
import { cartPropertiesView, cartView } from './views';

export function cartRoutes(sessions: SessionStore, cart: CartService, steps: OperationSteps): Router {
  const router = express.Router();

  // `savedCart`: "Pass True if Checkout has already been called for the cart." The simulator insists.
  router.get('/Web/Cart/:sessionKey', ...steps('getCart'), (req, res) => {
    const session = sessionOf(sessions, req);
    if (session.checkout && String(req.query.savedCart).toLowerCase() !== 'true') {
      throw businessError('TESSITURA_SAVED_CART', 'Checkout was called for this cart: read it with savedCart=true', 'savedCart');
    }
    res.json(cartView(session));
  });

  router.delete('/Web/Cart/:sessionKey', ...steps('clearCart'), (req, res) => {
    cart.clear(sessionOf(sessions, req));
    res.status(204).end();
  });

  router.get('/Web/Cart/:sessionKey/Properties', ...steps('getCartProperties'), (req, res) => {
    res.json(cartPropertiesView(sessionOf(sessions, req)));
  });

  router.put('/Web/Cart/:sessionKey/Properties', ...steps('updateCartProperties'), (req, res) => {
    const session = sessionOf(sessions, req);
    cart.setProperties(session, readBody(req.body, CART_PROPERTIES, []));
    res.json(cartPropertiesView(session));
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

  router.post('/Web/Cart/:sessionKey/Payments/OnAccount', ...steps('applyOnAccountPayment'), (req, res) => {
    const session = sessionOf(sessions, req);
    const request = readBody(req.body, APPLY_ON_ACCOUNT_PAYMENT_REQUEST, ['Amount', 'PaymentMethodId']);
    res.json({ PaymentId: cart.applyOnAccountPayment(session, request).id });
  });

  router.post('/Web/Cart/:sessionKey/Checkout', ...steps('checkout'), (req, res) => {
    const session = sessionOf(sessions, req);
    res.json(cart.checkout(session, readBody(req.body, CHECKOUT_REQUEST, ['Amount'])));
  });

  return router;
}
