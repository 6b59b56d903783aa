import { Router } from 'express';
import type { InvoiceRequest } from './invoice';
import type { InvoiceService } from './invoice-service';

export function invoiceRoutes(invoices: InvoiceService): Router {
  return Router().post('/v1/invoices', async (req, res) => {
    const { invoice, replayed } = await invoices.invoice(req.body as InvoiceRequest, req.principal!);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(replayed ? 200 : 201).json(invoice);
  });
}
