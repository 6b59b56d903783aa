import { Router } from 'express';
import type { QueryRequest } from '../../platform/operation-query';
import type { ListingInput, ListingQuery } from './listing';
import type { ListingService } from './listing-service';

export function listingRoutes(listings: ListingService): Router {
  return Router()
    .get('/v1/listings', async (req: QueryRequest<ListingQuery>, res) => {
      res.json(await listings.list(req.query, req.principal!));
    })
    .post('/v1/listings/batch', async (req, res) => {
      const body = req.body as { listings: Record<string, unknown>[] };
      res.json({ results: await listings.putBatch(body.listings, req.principal!.actor) });
    })
    .get('/v1/listings/:remote_id', async (req, res) => {
      res.json(await listings.get(req.params.remote_id, req.principal!));
    })
    .put('/v1/listings/:remote_id', async (req, res) => {
      const { listing, created } = await listings.put(req.params.remote_id, req.body as ListingInput, req.principal!.actor);
      res.status(created ? 201 : 200).json(listing);
    });
}
