import { setTimeout as sleep } from 'node:timers/promises';
import { DownstreamError } from '../downstream-error';
import { isNotFound, SETTLE_READ_DELAYS_MS } from './tessitura-checkout';
import type { OrderProductsView, TessituraCart, TessituraClient, TessituraSession } from './tessitura-client';
import { findOrderByNotes, seatsOf, type TessituraSeat } from './tessitura-order';

export type TessituraSale = {
  /** Sent as the checkout's PaymentReference and written into the order's notes: how the order is found again. */
  idempotencyKey: string;
  performanceId: number;
  zoneId: number;
  priceType: number;
  quantity: number;
  constituentId: number;
  paymentMethodId: number;
  modeOfSaleId: number;
  sourceId: number;
  paymentNotes: string;
  /** The order's notes (cart properties), carrying the idempotency key: see `tessituraOrderNotes`. */
  orderNotes: string;
};

/** What the delivery keeps between attempts. */
export type TessituraProgress = { session_key?: string; checkout_attempted_at?: string; order_id?: number };

export type TessituraAcknowledgment = { order_id: number; session_key: string | null; checkout_status: 'SaveComplete'; seats: TessituraSeat[] };

export type TessituraSaleContext = {
  progress: TessituraProgress;
  saveProgress(progress: TessituraProgress): Promise<void>;
  signal: AbortSignal;
};



const seatsInCart = (cart: TessituraCart | undefined, performanceId: number) =>
  (cart?.Products ?? [])
    .filter((product) => product.Performance?.Id === performanceId)
    .reduce((seats, product) => seats + (product.Performance?.LineItem?.SubLineItems?.length ?? 0), 0);

/**
 * Records a sale in Tessitura through a business-facing session, resumably: the session key is saved
 * before anything is put in the cart, the checkout attempt before the checkout, and the order id as soon
 * as it is known. Each later attempt reads the session back first, so a lost answer never leads to doing
 * a step twice, and a checkout is never repeated in a new session unless Tessitura said it saved nothing.
 */
export function recordTessituraSale(client: TessituraClient, sale: TessituraSale, context: TessituraSaleContext): Promise<TessituraAcknowledgment> {
  return new TessituraSaleFlow(client, sale, context).run();
}

/**
 * For a sale cancelled after an attempt began: what Tessitura recorded of it, without recording anything.
 * A session not checked out is cleared (its seats released); a checkout Tessitura refused, or an expired
 * session whose order is not found by its notes, recorded nothing.
 */
export async function findRecordedTessituraSale(
  client: TessituraClient,
  sale: TessituraSale,
  context: TessituraSaleContext,
): Promise<TessituraAcknowledgment | undefined> {
  try {
    return await new TessituraSaleFlow(client, sale, context).findRecorded();
  } catch (err) {
    if (err instanceof DownstreamError && err.permanent) return undefined;
    throw err;
  }
}

class TessituraSaleFlow {
  private progress: TessituraProgress;

  constructor(
    private readonly client: TessituraClient,
    private readonly sale: TessituraSale,
    private readonly context: TessituraSaleContext,
  ) {
    this.progress = context.progress;
  }

  async run(): Promise<TessituraAcknowledgment> {
    if (this.progress.order_id) return this.acknowledge(this.progress.order_id);
    const saved = this.progress.session_key ? await this.resume(this.progress.session_key) : undefined;
    if (saved) return this.acknowledge(saved.orderId, saved.view);

    const resumedKey = this.progress.session_key;
    const sessionKey = resumedKey ?? (await this.openSession());
    await this.fillCart(sessionKey, resumedKey ? await this.client.getCart(sessionKey, this.signal) : undefined);
    return this.acknowledge(await this.checkout(sessionKey));
  }

  async findRecorded(): Promise<TessituraAcknowledgment | undefined> {
    if (this.progress.order_id) return this.acknowledge(this.progress.order_id);
    const sessionKey = this.progress.session_key;
    if (!sessionKey) return undefined;
    const saved = await this.resume(sessionKey);
    if (saved) return this.acknowledge(saved.orderId, saved.view);
    if (this.progress.session_key) await this.client.clearCart(sessionKey, this.signal);
    await this.save({});
    return undefined;
  }

  private get signal(): AbortSignal {
    return this.context.signal;
  }

  private async save(progress: TessituraProgress): Promise<void> {
    this.progress = progress;
    await this.context.saveProgress(progress);
  }

  private async openSession(): Promise<string> {
    const { modeOfSaleId, sourceId } = this.sale;
    const sessionKey = await this.client.createBusinessFacingSession({ modeOfSaleId, sourceId }, this.signal);
    await this.save({ session_key: sessionKey });
    return sessionKey;
  }

  /**
   * What became of the saved session: its order (saved, or settled from `SaveInProgress`), or nothing to
   * resume from (the session is open: the cart is filled further; the session is gone before any checkout:
   * a new one is opened).
   */
  private async resume(sessionKey: string): Promise<{ orderId: number; view?: OrderProductsView } | undefined> {
    const session = await this.client.getSession(sessionKey, this.signal).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
      return undefined;
    });
    if (session) {
      const orderId = await this.outcomeOf(sessionKey, session);
      return orderId ? { orderId } : undefined;
    }
    if (this.progress.checkout_attempted_at) return this.recoverOrder(this.progress.checkout_attempted_at);
    await this.save({});
    return undefined;
  }

  /** The order id once the checkout saved it; undefined while the session has not been checked out. */
  private async outcomeOf(sessionKey: string, session: TessituraSession): Promise<number | undefined> {
    if (session.OrderId) return session.OrderId;
    switch (session.CheckoutStatus?.Status) {
      case 'SaveInProgress':
        return this.settle(sessionKey);
      case 'Error':
        return this.abandon(sessionKey, "Tessitura's checkout ended in Error (its message was not received)");
      default:
        return undefined;
    }
  }

  /** Mode of sale, source and notes on the cart; the buyer of record; exactly the sold seats; their payment. */
  private async fillCart(sessionKey: string, cart: TessituraCart | undefined): Promise<void> {
    const { sale, signal } = this;
    if (cart?.Source?.Id !== sale.sourceId || cart.OrderNotes !== sale.orderNotes) {
      const properties = await this.client.getCartProperties(sessionKey, signal);
      await this.client.updateCartProperties(
        sessionKey,
        { ...properties, ModeOfSaleId: sale.modeOfSaleId, SourceId: sale.sourceId, Notes: sale.orderNotes },
        signal,
      );
    }
    if (cart?.Constituent?.Id !== sale.constituentId) await this.client.setConstituent(sessionKey, sale.constituentId, signal);
    const missingSeats = sale.quantity - seatsInCart(cart, sale.performanceId);
    if (missingSeats > 0) {
      const seats = { performanceId: sale.performanceId, zoneId: sale.zoneId, priceType: sale.priceType, quantity: missingSeats };
      const reserved = (await this.client.reserveTickets(sessionKey, seats, signal)).SeatsReserved ?? 0;
      if (reserved < missingSeats) {
        await this.abandon(
          sessionKey,
          `Tessitura reserved only ${reserved} of the ${missingSeats} seats asked for (performance ${sale.performanceId}, ` +
            `zone ${sale.zoneId}), so nothing was paid and the cart was cleared. Free up seats in that zone or correct ` +
            `the listing's tessitura mapping, then retry this delivery.`,
        );
      }
      cart = await this.client.getCart(sessionKey, signal);
    }
    const balance = cart?.BalanceToCharge ?? 0;
    if (balance > 0) {
      await this.client.applyOtherPayment(sessionKey, { amount: balance, paymentMethodId: sale.paymentMethodId, notes: sale.paymentNotes }, signal);
    }
  }

  private async checkout(sessionKey: string): Promise<number> {
    await this.save({ session_key: sessionKey, checkout_attempted_at: new Date().toISOString() });
    const answer = await this.client.checkout(sessionKey, this.sale.idempotencyKey, this.signal);
    switch (answer.Status) {
      case 'SaveComplete': {
        const session = await this.client.getSession(sessionKey, this.signal);
        if (!session.OrderId) throw new DownstreamError('tessitura', 'checkout answered SaveComplete but the session shows no OrderId yet');
        return session.OrderId;
      }
      case 'SaveInProgress':
        return this.settle(sessionKey);
      case 'Error':
        return this.abandon(sessionKey, `Tessitura refused the checkout: ${answer.Message || 'no message given'}`);
      default:
        throw new DownstreamError('tessitura', `checkout answered an unknown status ${JSON.stringify(answer.Status)}`);
    }
  }

  /** Reads the session until a `SaveInProgress` checkout settles; still saving after that, the next attempt reads again. */
  private async settle(sessionKey: string): Promise<number> {
    for (const delay of SETTLE_READ_DELAYS_MS) {
      await sleep(delay, undefined, { signal: this.signal });
      const session = await this.client.getSession(sessionKey, this.signal);
      if (session.CheckoutStatus?.Status === 'SaveInProgress') continue;
      const orderId = await this.outcomeOf(sessionKey, session);
      if (orderId) return orderId;
      break;
    }
    throw new DownstreamError('tessitura', `the checkout is still SaveInProgress after ${SETTLE_READ_DELAYS_MS.length} reads of the session`);
  }

  /**
   * Nothing was saved and nothing may be: the cart is cleared (its seats released, its payments reversed)
   * and the delivery is dead with the reason; a staff retry starts in a new session.
   */
  private async abandon(sessionKey: string, reason: string): Promise<never> {
    await this.client.clearCart(sessionKey, this.signal);
    await this.save({});
    throw new DownstreamError('tessitura', reason, { permanent: true });
  }

  /**
   * The session expired after a checkout attempt, so only the order itself can say whether it was saved:
   * the constituent's orders since the attempt are searched for the sale's gateway key in their notes.
   */
  private async recoverOrder(checkoutAttemptedAt: string): Promise<{ orderId: number; view: OrderProductsView }> {
    const { sale } = this;
    const found = await findOrderByNotes(this.client, { constituentId: sale.constituentId, since: checkoutAttemptedAt, idempotencyKey: sale.idempotencyKey }, this.signal);
    if (found) return found;
    throw new DownstreamError(
      'tessitura',
      `The session expired after a checkout attempt at ${checkoutAttemptedAt}, and no order of constituent ${sale.constituentId} ` +
        `placed since then has "${sale.idempotencyKey}" in its notes (GET TXN/SubLineItems?constituentId=${sale.constituentId}` +
        `&orderStartDate=${checkoutAttemptedAt}, then GET TXN/Orders/{orderId}/ProductsView for each order). Confirm in ` +
        `Tessitura that no such order exists, then retry this delivery: it sells in a new session.`,
      { permanent: true },
    );
  }

  /** Keeps the order id, then reads the order's seats and ticket numbers as Tessitura assigned them. */
  private async acknowledge(orderId: number, view?: OrderProductsView): Promise<TessituraAcknowledgment> {
    if (this.progress.order_id !== orderId) await this.save({ ...this.progress, order_id: orderId });
    const order = view ?? (await this.client.getOrderProductsView(orderId, this.signal));
    return { order_id: orderId, session_key: this.progress.session_key ?? null, checkout_status: 'SaveComplete', seats: seatsOf(order) };
  }
}
