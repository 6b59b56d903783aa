import type { Principal } from '../../platform/principal';
import type { DeliveryStore } from '../deliveries/delivery-store';
import type { InvoiceStore } from '../invoices/invoice-store';
import type { LedgerStore } from '../ledger/ledger-store';
import type { HoldDetail } from './hold';
import { holdNotFound, visibleTo } from './hold-service';
import type { HoldStore } from './hold-store';

/** A hold's whole story: the hold, its ledger entries, its invoice and its deliveries. */
export class HoldDetailService {
  constructor(
    private readonly holds: HoldStore,
    private readonly ledger: LedgerStore,
    private readonly invoices: InvoiceStore,
    private readonly deliveries: DeliveryStore,
  ) {}

  async read(globalId: string, principal: Principal): Promise<HoldDetail> {
    const hold = await this.holds.find(globalId);
    if (!visibleTo(hold, principal)) throw holdNotFound(globalId);
    const invoiced = hold.status === 'invoiced';
    const [timeline, invoiceRecord, deliveries] = await Promise.all([
      this.ledger.entriesOfHold(globalId),
      invoiced ? this.invoices.find(globalId) : undefined,
      invoiced ? this.deliveries.ofSale(globalId) : [],
    ]);
    if (!invoiceRecord) return { ...hold, timeline, deliveries };
    const { fingerprint: _fingerprint, ...invoice } = invoiceRecord;
    return { ...hold, timeline, invoice, deliveries };
  }
}
