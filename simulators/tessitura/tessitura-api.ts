import express, { type RequestHandler, type Router } from 'express';
import { callContext } from '../shared/call-context';
import type { OperationSteps } from './api-steps';
import { basicAuth, type TessituraCredentials } from './basic-auth';
import type { CartService } from './cart-service';
import { cartRoutes } from './cart-routes';
import type { TessituraOperation } from './operations';
import type { OrderBook } from './order-book';
import type { OrderReturns } from './order-returns';
import { orderRoutes } from './order-routes';
import { returnRoutes } from './return-routes';
import type { SessionStore } from './session-store';
import { sessionRoutes } from './session-routes';
import { routeNotFound, tessituraErrors } from './tessitura-error';

export const TESSITURA_BASE_PATH = '/TessituraService';

export interface TessituraApiParts {
  sessions: SessionStore;
  cart: CartService;
  orders: OrderBook;
  returns: OrderReturns;
  credentials: TessituraCredentials;
}

/** The routes of the Swagger subset under the base path, answering errors as Tessitura does. */
export function tessituraApi({ sessions, cart, orders, returns, credentials }: TessituraApiParts, faultGate: RequestHandler): Router {
  const auth = basicAuth(credentials);
  const steps: OperationSteps = (operation) => [nameCall(operation), faultGate, auth];

  const api = express.Router();
  api.get('/Diagnostics/Status', ...steps('getStatus'), (_req, res) => {
    res.json({
      Success: true,
      TimeStamp: new Date().toISOString(),
      TimeZone: 'UTC',
      Dependencies: [{ Success: true, Name: 'Database', Description: 'Simulated' }],
    });
  });
  api.use(sessionRoutes(sessions, cart, steps));
  api.use(cartRoutes(sessions, cart, steps));
  api.use(returnRoutes(sessions, returns, steps));
  api.use(orderRoutes(orders, steps));

  const router = express.Router();
  router.use(express.json({ type: ['application/json', 'text/json'] }));
  router.use(TESSITURA_BASE_PATH, api);
  router.use(routeNotFound);
  router.use(tessituraErrors);
  return router;
}

function nameCall(operation: TessituraOperation): RequestHandler {
  return (_req, res, next) => {
    callContext(res).operation = operation;
    next();
  };
}
