import { Router } from 'express';
import type { QueryRequest } from '../../platform/operation-query';
import type { DeliveryQuery, DeliveryService } from './delivery-service';

export function deliveryRoutes(deliveries: DeliveryService): Router {
  return Router()
    .get('/v1/outbox', async (_req, res) => {
      res.json(await deliveries.summary());
    })
    .get('/v1/deliveries', async (req: QueryRequest<DeliveryQuery>, res) => {
      res.json(await deliveries.list(req.query));
    })
    .post('/v1/deliveries/:id/retry', async (req, res) => {
      res.json(await deliveries.retry(Number(req.params.id), req.principal!.actor));
    });
}
