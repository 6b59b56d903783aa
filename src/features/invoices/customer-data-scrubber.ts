import type { Logger } from 'pino';
import { PeriodicJob } from '../../platform/periodic-job';
import type { InvoiceStore } from './invoice-store';

const SCRUB_INTERVAL_MS = 10 * 60_000;

/** Removes buyers' personal data from invoices `retentionDays` after the sale (deliveries read it from there). */
export function scrubCustomerData(invoices: InvoiceStore, retentionDays: number, logger: Logger): PeriodicJob {
  return new PeriodicJob(
    'customer data scrub',
    SCRUB_INTERVAL_MS,
    async () => {
      const scrubbed = await invoices.scrubCustomerData(retentionDays);
      if (scrubbed > 0) logger.info({ scrubbed, retentionDays }, 'removed customer data past its retention');
    },
    logger,
  );
}
