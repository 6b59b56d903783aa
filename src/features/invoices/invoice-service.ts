import type { Principal } from '../../platform/principal';
import { Problem } from '../../platform/problem';
import { holdNotFound } from '../holds/hold-service';
import type { Invoice, InvoiceRequest } from './invoice';
import { invoiceFingerprint } from './invoice-fingerprint';
import type { InvoiceRecord, InvoiceStore } from './invoice-store';

/** A refused invoice is re-tried once when the hold was still live (a concurrent change won). */
const INVOICING_ATTEMPTS = 2;

export type Invoiced = { invoice: Invoice; replayed: boolean };

/** Wakes the in-process dispatcher when deliveries are queued. */
export type DeliveriesQueued = () => void;

const present = ({ fingerprint: _fingerprint, ...invoice }: InvoiceRecord): Invoice => invoice;

export class InvoiceService {
  constructor(
    private readonly invoices: InvoiceStore,
    private readonly deliveriesQueued: DeliveriesQueued,
  ) {}

  async invoice(request: InvoiceRequest, principal: Principal): Promise<Invoiced> {
    const partnerId = principal.partnerId as string;
    const fingerprint = invoiceFingerprint(request);
    for (let attempt = 0; attempt < INVOICING_ATTEMPTS; attempt++) {
      const invoice = await this.invoices.invoice({
        globalId: request.global_id,
        partnerId,
        orderId: request.order_id,
        customer: request.customer ?? null,
        fingerprint,
        actor: principal.actor,
      });
      if (invoice) {
        this.deliveriesQueued();
        return { invoice: present(invoice), replayed: false };
      }
      const replay = await this.explainRefusal(request, partnerId, fingerprint);
      if (replay) return { invoice: present(replay), replayed: true };
    }
    throw new Problem('internal_error', `Hold '${request.global_id}' kept changing while it was invoiced.`);
  }

  /** Answers the earlier invoice for an identical repeat, throws the refusal, or undefined to try again. */
  private async explainRefusal(request: InvoiceRequest, partnerId: string, fingerprint: string) {
    const { hold, invoice } = await this.invoices.invoicingContext(request.global_id);
    if (!hold || hold.partner_id !== partnerId) throw holdNotFound(request.global_id);
    if (invoice) {
      if (invoice.fingerprint === fingerprint) return invoice;
      throw new Problem(
        'order_id_conflict',
        invoice.order_id === request.order_id
          ? `Hold '${request.global_id}' was invoiced under order '${invoice.order_id}' with other customer details.`
          : `Hold '${request.global_id}' is already invoiced under order '${invoice.order_id}'.`,
      );
    }
    if (hold.status === 'released') throw new Problem('hold_released', `Hold '${request.global_id}' was released.`);
    if (hold.status === 'expired' || hold.past_expiry) {
      throw new Problem('hold_expired', `Hold '${request.global_id}' expired at ${hold.expires_at}.`);
    }
    return undefined;
  }
}
