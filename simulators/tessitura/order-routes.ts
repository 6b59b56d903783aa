import express, { type Request, type Router } from 'express';
import type { OperationSteps } from './api-steps';
import type { OrderBook, OrderRecord } from './order-book';
import { productsView, subLineItemSummaries } from './order-views';
import { businessError, TessituraError, errorItem } from './tessitura-error';

/** The TXN resources that read saved orders back: an order still in a session is not there until checkout. */
export function orderRoutes(orders: OrderBook, steps: OperationSteps): Router {
  const router = express.Router();

  router.get('/TXN/Orders/:orderId/ProductsView', ...steps('getOrderProductsView'), (req, res) => {
    const orderId = Number(req.params.orderId);
    const record = orders.savedRecords().find((candidate) => candidate.order.orderId === orderId);
    if (!record) throw new TessituraError(404, [errorItem('TESSITURA_ORDER_NOT_FOUND', `Order ${req.params.orderId} not found`, 'orderId')]);
    res.json(productsView(record));
  });

  router.get('/TXN/SubLineItems', ...steps('getSubLineItems'), (req, res) => {
    const matches = subLineItemFilter(req);
    res.json(orders.savedRecords().filter(matches).flatMap(subLineItemSummaries));
  });

  return router;
}

/** `constituentId` is required ("The constituent for whom to return sublineitems. Required."); the rest narrow. */
function subLineItemFilter(req: Request): (record: OrderRecord) => boolean {
  const constituentId = integerQuery(req, 'constituentId');
  if (constituentId === undefined) throw businessError('TESSITURA_VALIDATION_ERROR', 'constituentId is required', 'constituentId');
  const orderId = integerQuery(req, 'orderId');
  const from = dateQuery(req, 'orderStartDate');
  const to = dateQuery(req, 'orderEndDate');
  return ({ order }) => {
    const orderedAt = Date.parse(order.createdAt);
    return (
      order.constituentId === constituentId &&
      (orderId === undefined || order.orderId === orderId) &&
      (from === undefined || orderedAt >= from) &&
      (to === undefined || orderedAt <= to)
    );
  };
}

function integerQuery(req: Request, name: string): number | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) throw businessError('TESSITURA_VALIDATION_ERROR', `${name} must be an integer`, name);
  return Number(value);
}

function dateQuery(req: Request, name: string): number | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw businessError('TESSITURA_VALIDATION_ERROR', `${name} must be a date`, name);
  return parsed;
}
