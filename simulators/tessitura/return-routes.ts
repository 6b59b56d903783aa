import express, { type Router } from 'express';
import { sessionOf, type OperationSteps } from './api-steps';
import { readBody } from './body-fields';
import type { OrderReturns } from './order-returns';
import { RETURN_TICKET_REQUEST } from './request-fields';
import type { SessionStore } from './session-store';
import { businessError } from './tessitura-error';
import { cartView } from './views';

/** Session_LoadOrder and Cart_ReturnTicket: how a saved order's tickets are returned (the return is saved by checkout). */
export function returnRoutes(sessions: SessionStore, returns: OrderReturns, steps: OperationSteps): Router {
  const router = express.Router();

  router.post('/Web/Session/:sessionKey/LoadOrder/:orderId', ...steps('loadOrder'), (req, res) => {
    const session = sessionOf(sessions, req);
    const orderId = String(req.params.orderId);
    if (!/^\d{1,9}$/.test(orderId)) throw businessError('TESSITURA_VALIDATION_ERROR', 'orderId must be an order id', 'orderId');
    returns.loadOrder(session, Number(orderId));
    res.json(cartView(session));
  });

  router.post('/Web/Cart/:sessionKey/Tickets/Return', ...steps('returnTicket'), (req, res) => {
    const session = sessionOf(sessions, req);
    returns.returnTicket(session, readBody(req.body, RETURN_TICKET_REQUEST, ['TicketNumber', 'ReturnOrDonate']));
    res.status(204).end();
  });

  return router;
}
