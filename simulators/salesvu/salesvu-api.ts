import express, { type RequestHandler, type Router } from 'express';
import { callContext } from '../shared/call-context';
import { SALESVU_ACTIONS, type SalesVuRequest } from './actions';
import { isSalesVuOperation, type SalesVuOperation } from './operations';
import type { OrderStore } from './order-store';
import { SalesVuError, pathNotFound, salesVuErrors } from './salesvu-error';

export const SALESVU_PATH = '/townvu/api/index.php';

/** Store id -> that store's API key. */
export type SalesVuStores = Record<string, string>;

/** The one endpoint: a form POST whose field `request` holds `{ api_key, store_id, action, ... }`. */
export function salesVuApi(orders: OrderStore, stores: SalesVuStores, faultGate: RequestHandler): Router {
  const router = express.Router();
  router.post(SALESVU_PATH, express.urlencoded({ extended: false }), parseRequest, faultGate, (req, res) => {
    const request = req.body as SalesVuRequest;
    const storeId = authenticatedStore(stores, request);
    const action = request.action as SalesVuOperation; // parseRequest let only known actions through
    res.json(SALESVU_ACTIONS[action](orders, storeId, request));
  });
  router.use(pathNotFound);
  router.use(salesVuErrors);
  return router;
}

/** Replaces the form with its parsed `request` JSON and names the call after its (known) action. */
const parseRequest: RequestHandler = (req, res, next) => {
  const raw: unknown = req.body?.request;
  req.body = undefined; // the raw form holds the API key; only the parsed, redactable request is recorded
  let request: unknown;
  try {
    request = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    // answered below like any request that is not a JSON object
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new SalesVuError('The form field "request" must hold a JSON object');
  }
  req.body = request;
  const { action } = request as SalesVuRequest;
  if (!isSalesVuOperation(action)) throw new SalesVuError(`Unknown action "${String(action)}"`);
  callContext(res).operation = action;
  next();
};

function authenticatedStore(stores: SalesVuStores, request: SalesVuRequest): string {
  const storeId = String(request.store_id ?? '');
  if (!Object.hasOwn(stores, storeId) || stores[storeId] !== request.api_key) {
    throw new SalesVuError('Invalid store_id or api_key');
  }
  return storeId;
}
