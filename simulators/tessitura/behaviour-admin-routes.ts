import express, { type Router } from 'express';
import type { SaleBehaviour } from './sale-behaviour';

/**
 * /__admin/checkout-outcomes — POST `{ status: "SaveInProgress", reads?, count? }` or
 * `{ status: "Error", message?, count? }`; /__admin/short-reservations — POST `{ by?, count? }`.
 */
export function behaviourAdminRoutes(behaviour: SaleBehaviour): Router {
  const router = express.Router();
  router.post('/checkout-outcomes', (req, res) => {
    behaviour.endCheckouts(req.body ?? {});
    res.json(behaviour.snapshot());
  });
  router.post('/short-reservations', (req, res) => {
    behaviour.shortenReservations(req.body ?? {});
    res.json(behaviour.snapshot());
  });
  return router;
}
