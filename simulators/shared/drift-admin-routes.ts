import express, { type Router } from 'express';
import { AdminInputError } from './admin-router';

/**
 * How a simulator's saved orders drift from what their seller recorded, as a box office or a restore from
 * backup might make them: told by tests and demos, found by the gateway's reconciliation.
 */
export interface OrderDrift {
  /** The order is gone, as if it had never been made. */
  loseOrder(orderId: number): void;
  /** The order now holds `count` tickets. */
  setTicketCount(orderId: number, count: number): void;
}

/** /__admin/drift/lose-order — POST `{ order_id }`; /__admin/drift/ticket-count — POST `{ order_id, count }`. */
export function driftAdminRoutes(drift: OrderDrift): Router {
  const router = express.Router();
  router.post('/drift/lose-order', (req, res) => {
    const orderId = wholeNumber(req.body?.order_id, 'order_id', 1);
    drift.loseOrder(orderId);
    res.json({ order_id: orderId, lost: true });
  });
  router.post('/drift/ticket-count', (req, res) => {
    const orderId = wholeNumber(req.body?.order_id, 'order_id', 1);
    const count = wholeNumber(req.body?.count, 'count', 0);
    drift.setTicketCount(orderId, count);
    res.json({ order_id: orderId, count });
  });
  return router;
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) throw new AdminInputError(`${name} must be an integer of at least ${min}`);
  return value as number;
}
