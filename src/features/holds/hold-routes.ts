import { Router } from 'express';
import type { QueryRequest } from '../../platform/operation-query';
import type { HoldRequest } from './hold';
import type { HoldDetailService } from './hold-detail-service';
import type { HoldSearchQuery, HoldSearchService } from './hold-search-service';
import type { HoldService } from './hold-service';

export function holdRoutes(holds: HoldService, details: HoldDetailService, search: HoldSearchService): Router {
  return Router()
    .get('/v1/holds', async (req: QueryRequest<HoldSearchQuery>, res) => {
      res.json(await search.search(req.query, req.principal!));
    })
    .post('/v1/holds', async (req, res) => {
      const { hold, replayed } = await holds.place(req.body as HoldRequest, req.principal!);
      if (replayed) res.set('Idempotent-Replayed', 'true');
      res.status(replayed ? 200 : 201).json(hold);
    })
    .get('/v1/holds/:global_id', async (req, res) => {
      res.json(await details.read(req.params.global_id, req.principal!));
    })
    .post('/v1/holds/:global_id/release', async (req, res) => {
      res.json(await holds.release(req.params.global_id, req.principal!));
    });
}
