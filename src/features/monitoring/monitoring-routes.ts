import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { OperationQuery, QueryRequest } from '../../platform/operation-query';
import type { SloReporter } from './slo-reporter';

export function monitoringRoutes(registry: Registry, slo: SloReporter): Router {
  return Router()
    .get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    })
    .get('/v1/slo', async (req: QueryRequest<OperationQuery<'getSloReport', 'window'>>, res) => {
      res.json(await slo.report(req.query.window));
    });
}
