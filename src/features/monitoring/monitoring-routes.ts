import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { SloTracker } from './slo-tracker';

export function monitoringRoutes(registry: Registry, slo: SloTracker): Router {
  return Router()
    .get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    })
    .get('/v1/slo', async (req, res) => {
      res.json(await slo.report((req.query.window as string | undefined) ?? '1h'));
    });
}
