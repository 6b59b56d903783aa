import { DownstreamError } from '../downstream-error';
import type { TessituraCart, TessituraClient } from './tessitura-client';

export type TessituraSale = {
  /** Sent as the checkout's PaymentReference: how the order is found in Tessitura. */
  idempotencyKey: string;
  performanceId: number;
  zoneId: number;
  priceType: number;
  quantity: number;
  constituentId: number;
  paymentMethodId: number;
  paymentNotes: string;
};

/** What the delivery keeps between attempts. */
export type TessituraProgress = { session_key?: string; checkout_attempted_at?: string };

export type TessituraAcknowledgment = { order_id: number; session_key: string; checkout_status: string | null };

export type TessituraSaleContext = {
  progress: TessituraProgress;
  saveProgress(progress: TessituraProgress): Promise<void>;
  signal: AbortSignal;
};

const seatsReserved = (cart: TessituraCart, performanceId: number) =>
  (cart.Products ?? [])
    .filter((product) => product.Performance?.Id === performanceId)
    .reduce((seats, product) => seats + (product.Performance?.LineItem?.SubLineItems?.length ?? 0), 0);

const isSessionGone = (err: unknown) => err instanceof DownstreamError && err.status === 404;

/**
 * Records a sale in Tessitura through a web session and cart, resumably. The session key is saved
 * before anything is put in the cart, and each attempt first reads the session and cart back, so a lost
 * answer never leads to doing a step twice. A checkout is never repeated in a new session: Tessitura
 * refuses a second checkout of the same session, so retrying within the session is safe, but a fresh
 * session after a checkout attempt could make a second order.
 */
export async function recordTessituraSale(client: TessituraClient, sale: TessituraSale, context: TessituraSaleContext): Promise<TessituraAcknowledgment> {
  const { signal } = context;
  let progress = context.progress;
  const save = async (next: TessituraProgress) => {
    progress = next;
    await context.saveProgress(next);
  };

  if (progress.session_key) {
    const session = await client.getSession(progress.session_key, signal).catch((err: unknown) => {
      if (!isSessionGone(err)) throw err;
      if (progress.checkout_attempted_at) {
        throw new DownstreamError(
          'tessitura',
          `The session expired after a checkout attempt, so whether the order was saved is unknown. Look for ` +
            `PaymentReference ${sale.idempotencyKey} in Tessitura; retry only if there is no such order.`,
          { permanent: true },
        );
      }
      return undefined;
    });
    if (session?.OrderId) return acknowledge(progress.session_key, session);
    if (!session) await save({});
  }

  const resumed = progress.session_key !== undefined;
  const sessionKey = progress.session_key ?? (await client.createSession(signal));
  if (!resumed) await save({ session_key: sessionKey });

  // A session made just now has an empty cart; a resumed one may hold what an earlier attempt put there.
  let cart: TessituraCart = resumed ? await client.getCart(sessionKey, signal) : {};
  if (cart.Constituent?.Id !== sale.constituentId) await client.setConstituent(sessionKey, sale.constituentId, signal);
  const missingSeats = sale.quantity - seatsReserved(cart, sale.performanceId);
  if (missingSeats > 0) {
    await client.reserveTickets(
      sessionKey,
      { performanceId: sale.performanceId, zoneId: sale.zoneId, priceType: sale.priceType, quantity: missingSeats },
      signal,
    );
  }
  cart = await client.getCart(sessionKey, signal);
  const balance = cart.BalanceToCharge ?? 0;
  if (balance > 0) {
    await client.applyOtherPayment(sessionKey, { amount: balance, paymentMethodId: sale.paymentMethodId, notes: sale.paymentNotes }, signal);
  }

  const retryingCheckout = Boolean(progress.checkout_attempted_at);
  await save({ session_key: sessionKey, checkout_attempted_at: new Date().toISOString() });
  try {
    await client.checkout(sessionKey, sale.idempotencyKey, signal);
  } catch (err) {
    // A refused second checkout may mean the first one is still being saved: read the session again later.
    if (retryingCheckout && err instanceof DownstreamError && err.permanent) {
      throw new DownstreamError('tessitura', `checkout retried and refused, order not visible yet: ${err.message}`);
    }
    throw err;
  }
  const session = await client.getSession(sessionKey, signal);
  if (!session.OrderId) throw new DownstreamError('tessitura', 'checkout accepted but the session shows no OrderId yet');
  return acknowledge(sessionKey, session);
}

function acknowledge(sessionKey: string, session: { OrderId?: number; CheckoutStatus?: { Status?: string } }): TessituraAcknowledgment {
  return { order_id: session.OrderId as number, session_key: sessionKey, checkout_status: session.CheckoutStatus?.Status ?? null };
}
