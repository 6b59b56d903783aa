import { setTimeout as sleep } from 'node:timers/promises';
import { DownstreamError } from '../downstream-error';
import { isNotFound, SETTLE_READ_DELAYS_MS } from './tessitura-checkout';
import type { OrderProductsView, OrderSeat, TessituraClient } from './tessitura-client';
import { hasGatewayKey } from './tessitura-order';

export type TessituraReturn = {
  /** `tg-<global_id>-return`: the return checkout's PaymentReference and a word of the order's notes, how the return is recognised. */
  idempotencyKey: string;
  /** The sale's Tessitura order: the return is saved on it (Tessitura makes no second order). */
  orderId: number;
  /** The sale's tickets (its acknowledgment's `seats[].ticket_number`). */
  ticketNumbers: number[];
  /** The business-facing session needs a mode of sale and a source; loading the order then sells under the order's. */
  modeOfSaleId: number;
  sourceId: number;
  /** An on-account payment method of the order's constituent: the returned tickets' credit is applied to it. */
  paymentMethodId: number;
  paymentNotes: string;
  /** Added to the order's notes when the return is saved; carries the key (see `tessituraReturnNotes`). */
  notes: string;
};

/** What the delivery keeps between attempts. */
export type TessituraReturnProgress = { session_key?: string; checkout_attempted_at?: string; returned_at?: string };

/**
 * `SaveComplete`: the gateway's checkout saved the return (now, or in an earlier attempt). `AlreadyReturned`:
 * every ticket of the order had been returned by someone else (the box office), so nothing was done.
 * `total_return_amount` is the order's `TotalReturnAmount` as Tessitura shows it afterwards.
 */
export type TessituraReturnAcknowledgment = {
  order_id: number;
  session_key: string | null;
  checkout_status: 'SaveComplete' | 'AlreadyReturned';
  returned_ticket_numbers: number[];
  total_return_amount: number;
};

export type TessituraReturnContext = {
  progress: TessituraReturnProgress;
  saveProgress(progress: TessituraReturnProgress): Promise<void>;
  signal: AbortSignal;
};


/** The words the return adds to the order's notes: the gateway key, then what it returns. */
export function tessituraReturnNotes(ret: { idempotencyKey: string; partnerId: string; marketplaceOrderId: string; globalId: string }): string {
  return `gateway-key=${ret.idempotencyKey} return of ${ret.partnerId} order ${ret.marketplaceOrderId} (hold ${ret.globalId})`;
}


const ticketsOf = (view: OrderProductsView): OrderSeat[] =>
  (view.Products ?? []).flatMap((product) => product.Performance?.LineItem?.SubLineItems ?? []);

/**
 * Returns a sale's tickets in Tessitura (there is no "cancel order"): in a business-facing session whose
 * constituent owns the order, the order is loaded into the empty cart, each ticket returned, the credit this
 * leaves applied to the partner's on-account payment method (a negative `Payments/OnAccount`), and the cart
 * checked out, which saves the return on the same order. Nothing changes in the order before that checkout.
 *
 * Resumable like the sale: the session key is saved before the order is loaded and the checkout attempt
 * before the checkout; a later attempt reads the session back first (`SaveComplete`: done; `SaveInProgress`:
 * awaited; `Error`: cleared and dead; not checked out: its cart is cleared and filled again). Every attempt
 * first reads the order: its notes carrying the key mean the return was saved (its answer lost), and an order
 * whose tickets were all returned already is acknowledged without doing anything. A ticket is never returned
 * twice: besides these checks, Tessitura refuses to return a returned ticket.
 */
export function recordTessituraReturn(client: TessituraClient, ret: TessituraReturn, context: TessituraReturnContext): Promise<TessituraReturnAcknowledgment> {
  return new TessituraReturnFlow(client, ret, context).run();
}

class TessituraReturnFlow {
  private progress: TessituraReturnProgress;

  constructor(
    private readonly client: TessituraClient,
    private readonly ret: TessituraReturn,
    private readonly context: TessituraReturnContext,
  ) {
    this.progress = context.progress;
  }

  async run(): Promise<TessituraReturnAcknowledgment> {
    const { ret } = this;
    if (!hasGatewayKey(ret.notes, ret.idempotencyKey)) throw new Error(`the return's notes must carry gateway-key=${ret.idempotencyKey}`);
    if (this.progress.returned_at) return this.acknowledge('SaveComplete');
    const resumed = this.progress.session_key ? await this.resume(this.progress.session_key) : undefined;
    if (resumed === 'saved') return this.saved();

    const order = await this.readOrder();
    if (hasGatewayKey(order.OrderNotes, ret.idempotencyKey)) return this.saved(order);
    if (isWhollyReturned(order)) return this.acknowledge('AlreadyReturned', order);
    const constituentId = this.checkTickets(order);

    const sessionKey = resumed?.cleared ?? (await this.openSession());
    await this.fillCart(sessionKey, constituentId);
    return this.checkout(sessionKey);
  }

  private get signal(): AbortSignal {
    return this.context.signal;
  }

  private async save(progress: TessituraReturnProgress): Promise<void> {
    this.progress = progress;
    await this.context.saveProgress(progress);
  }

  /**
   * What became of the saved session: its checkout saved the return (`saved`), or it is open and was cleared
   * of what it held (`cleared`: its key, to fill it again), or it is gone (undefined: a new one is opened
   * unless the order shows the return).
   */
  private async resume(sessionKey: string): Promise<'saved' | { cleared: string } | undefined> {
    const session = await this.client.getSession(sessionKey, this.signal).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
      return undefined;
    });
    if (!session) {
      // Gone with whatever it held unsaved; if its checkout saved the return, the order's notes say so.
      await this.save({});
      return undefined;
    }
    // A loaded order's session may show the order's id before checkout: only the checkout status is read.
    switch (session.CheckoutStatus?.Status) {
      case 'SaveComplete':
        return 'saved';
      case 'SaveInProgress':
        await this.settle(sessionKey);
        return 'saved';
      case 'Error':
        return this.abandon(sessionKey, "Tessitura's checkout of the return ended in Error (its message was not received)");
      default:
        // Not checked out, so nothing was saved: the loaded order, returns and payment are undone and redone.
        await this.client.clearCart(sessionKey, this.signal);
        await this.save({ session_key: sessionKey });
        return { cleared: sessionKey };
    }
  }

  private async readOrder(): Promise<OrderProductsView> {
    const { orderId } = this.ret;
    try {
      return await this.client.getOrderProductsView(orderId, this.signal);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      throw new DownstreamError('tessitura', `Tessitura has no order ${orderId} (GET TXN/Orders/${orderId}/ProductsView answered 404): nothing can be returned`, {
        permanent: true,
        status: 404,
      });
    }
  }

  /** Every ticket to return is in the order; answers the order's constituent, who must own the session that loads it. */
  private checkTickets(order: OrderProductsView): number {
    const { ret } = this;
    const inOrder = new Set(ticketsOf(order).map((seat) => seat.TicketNumber));
    const missing = ret.ticketNumbers.filter((ticket) => !inOrder.has(ticket));
    if (ret.ticketNumbers.length === 0 || missing.length > 0) {
      const what = ret.ticketNumbers.length === 0 ? 'no ticket numbers were given' : `ticket ${missing.join(', ')} is not in it`;
      throw new DownstreamError('tessitura', `Cannot return Tessitura order ${ret.orderId}: ${what}.`, { permanent: true });
    }
    const constituentId = order.Constituent?.Id;
    if (!constituentId) throw new DownstreamError('tessitura', `Tessitura order ${ret.orderId} names no constituent`, { permanent: true });
    return constituentId;
  }

  private async openSession(): Promise<string> {
    const { modeOfSaleId, sourceId } = this.ret;
    const sessionKey = await this.client.createBusinessFacingSession({ modeOfSaleId, sourceId }, this.signal);
    await this.save({ session_key: sessionKey });
    return sessionKey;
  }

  /** The order loaded by its owner, the return's notes added to the order's, each ticket returned, the credit applied on account. */
  private async fillCart(sessionKey: string, constituentId: number): Promise<void> {
    const { client, ret, signal } = this;
    await client.setConstituent(sessionKey, constituentId, signal);
    await client.loadOrder(sessionKey, ret.orderId, signal);
    const properties = await client.getCartProperties(sessionKey, signal);
    if (!hasGatewayKey(properties.Notes, ret.idempotencyKey)) {
      const notes = [properties.Notes, ret.notes].filter(Boolean).join(' ');
      await client.updateCartProperties(sessionKey, { ...properties, Notes: notes }, signal);
    }
    for (const ticket of ret.ticketNumbers) await client.returnTicket(sessionKey, ticket, signal);
    const balance = (await client.getCart(sessionKey, signal)).BalanceToCharge ?? 0;
    if (balance > 0) {
      await this.abandon(sessionKey, `Tessitura order ${ret.orderId} still owes ${balance} with its tickets returned, so the return was not checked out and the cart was cleared.`);
    }
    if (balance < 0) await client.applyOnAccountPayment(sessionKey, { amount: balance, paymentMethodId: ret.paymentMethodId, notes: ret.paymentNotes }, signal);
  }

  private async checkout(sessionKey: string): Promise<TessituraReturnAcknowledgment> {
    await this.save({ session_key: sessionKey, checkout_attempted_at: new Date().toISOString() });
    const answer = await this.client.checkout(sessionKey, this.ret.idempotencyKey, this.signal);
    switch (answer.Status) {
      case 'SaveComplete':
        return this.saved();
      case 'SaveInProgress':
        await this.settle(sessionKey);
        return this.saved();
      case 'Error':
        return this.abandon(sessionKey, `Tessitura refused the return's checkout: ${answer.Message || 'no message given'}`);
      default:
        throw new DownstreamError('tessitura', `the return's checkout answered an unknown status ${JSON.stringify(answer.Status)}`);
    }
  }

  /** Reads the session until a `SaveInProgress` checkout settles; still saving after that, the next attempt reads again. */
  private async settle(sessionKey: string): Promise<void> {
    for (const delay of SETTLE_READ_DELAYS_MS) {
      await sleep(delay, undefined, { signal: this.signal });
      const status = (await this.client.getSession(sessionKey, this.signal)).CheckoutStatus?.Status;
      if (status === 'SaveComplete') return;
      if (status === 'Error') await this.abandon(sessionKey, "Tessitura's checkout of the return ended in Error (its message was not received)");
      if (status !== 'SaveInProgress') break;
    }
    throw new DownstreamError('tessitura', `the return's checkout is still SaveInProgress after ${SETTLE_READ_DELAYS_MS.length} reads of the session`);
  }

  /** Nothing was saved and nothing may be: the cart is cleared (the order unloaded, its returns undone) and the delivery is dead. */
  private async abandon(sessionKey: string, reason: string): Promise<never> {
    await this.client.clearCart(sessionKey, this.signal);
    await this.save({});
    throw new DownstreamError('tessitura', reason, { permanent: true });
  }

  private async saved(order?: OrderProductsView): Promise<TessituraReturnAcknowledgment> {
    await this.save({ ...this.progress, returned_at: new Date().toISOString() });
    return this.acknowledge('SaveComplete', order);
  }

  private async acknowledge(status: TessituraReturnAcknowledgment['checkout_status'], order?: OrderProductsView): Promise<TessituraReturnAcknowledgment> {
    const view = order ?? (await this.client.getOrderProductsView(this.ret.orderId, this.signal));
    return {
      order_id: this.ret.orderId,
      session_key: status === 'SaveComplete' ? (this.progress.session_key ?? null) : null,
      checkout_status: status,
      returned_ticket_numbers: [...this.ret.ticketNumbers],
      total_return_amount: view.TotalReturnAmount ?? 0,
    };
  }
}

/**
 * Every ticket of the order was returned: its returns add up to its purchases. (Sub line item statuses are
 * a venue's reference data, so the amounts are read rather than a status id.) A free order cannot be told
 * this way; returning its tickets again is refused by Tessitura, and the delivery is dead with its reason.
 */
export function isWhollyReturned(order: OrderProductsView): boolean {
  const purchased = order.TotalPurchaseAmount ?? 0;
  return purchased > 0 && (order.TotalReturnAmount ?? 0) >= purchased;
}
