import { createHash } from 'node:crypto';
import type { InvoiceRequest } from './invoice';

/**
 * Identifies what an invoice request asked for, so that an identical repeat is told from a changed one;
 * it survives the scrubbing of the customer's personal data.
 */
export function invoiceFingerprint(request: InvoiceRequest): string {
  const customer = request.customer ?? {};
  const canonical = JSON.stringify([request.order_id, customer.name ?? null, customer.email ?? null, customer.phone ?? null]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
