import type { Principal } from '../../platform/principal';
import type { ApiKeyStore } from '../api-keys/api-key-store';
import type { DeliveryStore } from '../deliveries/delivery-store';
import { soldSeats } from '../deliveries/sold-seats';
import type { InvoiceStore } from '../invoices/invoice-store';
import type { LedgerStore } from '../ledger/ledger-store';
import type { HoldDetail } from './hold';
import { holdNotFound, visibleTo } from './hold-service';
import type { HoldStore } from './hold-store';
import { partnerHoldView } from './partner-hold-view';

/** A hold's whole story: the hold, its ledger entries, its invoice, the seats sold and its deliveries. */
export class HoldDetailService {
  constructor(
    private readonly holds: HoldStore,
    private readonly ledger: LedgerStore,
    private readonly invoices: InvoiceStore,
    private readonly deliveries: DeliveryStore,
    private readonly apiKeys: ApiKeyStore,
  ) {}

  /** Staff see the whole story; a partner sees its own holds without the venue's internals. */
  async read(globalId: string, principal: Principal): Promise<HoldDetail> {
    const detail = await this.story(globalId, principal);
    if (principal.role !== 'partner') return detail;
    return partnerHoldView(detail, new Set(await this.apiKeys.actorsOfPartner(detail.partner_id)));
  }

  private async story(globalId: string, principal: Principal): Promise<HoldDetail> {
    const hold = await this.holds.find(globalId);
    if (!visibleTo(hold, principal)) throw holdNotFound(globalId);
    const invoiced = hold.status === 'invoiced' || hold.status === 'cancelled';
    const [timeline, invoiceRecord, deliveries] = await Promise.all([
      this.ledger.entriesOfHold(globalId),
      invoiced ? this.invoices.find(globalId) : undefined,
      invoiced ? this.deliveries.ofSale(globalId) : [],
    ]);
    if (!invoiceRecord) return { ...hold, timeline, deliveries };
    const { fingerprint: _fingerprint, ...invoice } = invoiceRecord;
    const seats = soldSeats(deliveries);
    return { ...hold, timeline, invoice, ...(seats && { seats }), deliveries };
  }
}
