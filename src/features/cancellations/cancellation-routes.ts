import { Router } from 'express';
import type { CancellationRequest } from './cancellation';
import type { CancellationService } from './cancellation-service';

export function cancellationRoutes(cancellations: CancellationService): Router {
  return Router().post('/v1/invoices/:global_id/cancellation', async (req, res) => {
    const { cancellation, replayed } = await cancellations.cancel(req.params.global_id, req.body as CancellationRequest, req.principal!);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(replayed ? 200 : 201).json(cancellation);
  });
}
