import { Router } from 'express';
import type { OperationQuery, QueryRequest } from '../../platform/operation-query';
import { queryBudget } from '../../platform/request-context';
import type { ReconciliationService } from './reconciliation-service';
import { reconciliationWindow } from './reconciliation-window';

/** What the answer needs once the checks stop: recording the run and sending the report. */
const ANSWER_MARGIN_MS = 750;

type ReconciliationQuery = OperationQuery<'getReconciliation'>;

export function reconciliationRoutes(reconciliation: ReconciliationService): Router {
  return Router().get('/v1/reconciliation', async (req: QueryRequest<ReconciliationQuery>, res) => {
    const window = reconciliationWindow(req.query, new Date());
    // The checks stop in time for the request's deadline; what is left is reported out_of_time.
    const budget = queryBudget();
    const signal = budget && AbortSignal.timeout(Math.max(0, budget.remainingMs - ANSWER_MARGIN_MS));
    res.json(await reconciliation.run(window, { actor: req.principal!.actor, signal }));
  });
}
