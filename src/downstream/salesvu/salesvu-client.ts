import type { SalesVuSettings } from '../../platform/config';
import type { TargetBreaker } from '../circuit-breaker';
import { DownstreamError } from '../downstream-error';
import { retryWhileBusy } from '../busy-retry';
import { httpCall } from '../http-call';

export type SalesVuOrder = { order_id: number; order_status: string; notes?: { comment?: string }[]; order_details?: { notes?: { comment?: string }[] }[] };
export type SalesVuOrderLine = { product_id: string; quantity: number; selling_price: number; notes: { comment: string }[] };

type SalesVuAnswer = { status?: string; message?: string } & Record<string, unknown>;

/**
 * SalesVu, behind an adapter: SalesVu publishes no API documentation, and this follows the one endpoint
 * public code shows (`index.php`, a form field `request` holding `{ api_key, store_id, action, ... }`).
 * Refusals come back as HTTP 200 with `status: "error"`; a non-200 means the exchange itself failed.
 * See docs/downstream.md for what is assumed.
 */
export class SalesVuClient {
  constructor(
    private readonly settings: SalesVuSettings,
    private readonly breaker: TargetBreaker,
    private readonly timeoutMs: number,
  ) {}

  hasStore(storeId: string): boolean {
    return this.settings.storeKeys[storeId] !== undefined;
  }

  async createOrder(storeId: string, lines: SalesVuOrderLine[], signal?: AbortSignal): Promise<number> {
    const answer = await this.call(storeId, 'create_order', { order_details: lines }, signal);
    return Number(answer.order_id);
  }

  async getOrder(storeId: string, orderId: number, signal?: AbortSignal): Promise<SalesVuOrder> {
    return (await this.call(storeId, 'get_order', { order_id: orderId }, signal)).order as SalesVuOrder;
  }

  async completeOrder(storeId: string, orderId: number, signal?: AbortSignal): Promise<void> {
    await this.call(storeId, 'complete_order', { order_id: orderId }, signal);
  }

  /** The store's order carrying `comment` in one of its notes, if any: how a lost create is found again. */
  async findOrderWithNote(storeId: string, comment: string, signal?: AbortSignal): Promise<SalesVuOrder | undefined> {
    const orders = ((await this.call(storeId, 'get_store_order', {}, signal)).orders ?? []) as SalesVuOrder[];
    const notesOf = (order: SalesVuOrder) => [...(order.notes ?? []), ...(order.order_details ?? []).flatMap((line) => line.notes ?? [])];
    return orders.find((order) => notesOf(order).some((note) => note.comment === comment));
  }

  /** A 429 is waited out (`retryWhileBusy`). */
  private call(storeId: string, action: string, fields: Record<string, unknown>, signal?: AbortSignal): Promise<SalesVuAnswer> {
    return retryWhileBusy(() => this.breaker.run(() => this.exchange(storeId, action, fields, signal)), signal);
  }

  private async exchange(storeId: string, action: string, fields: Record<string, unknown>, signal?: AbortSignal): Promise<SalesVuAnswer> {
    const request = JSON.stringify({ api_key: this.settings.storeKeys[storeId], store_id: storeId, action, ...fields });
    const answer = await httpCall({
      target: 'salesvu',
      method: 'POST',
      url: this.settings.url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ request }).toString(),
      timeoutMs: this.timeoutMs,
      signal,
    });
    const body = (answer.body ?? {}) as SalesVuAnswer;
    if (answer.status !== 200) {
      throw new DownstreamError('salesvu', `${action}: HTTP ${answer.status}: ${body.message ?? 'no details'}`, {
        status: answer.status,
        retryAfterMs: answer.retryAfterMs,
      });
    }
    if (body.status !== 'ok') {
      throw new DownstreamError('salesvu', `${action}: ${body.message ?? 'refused without a message'}`, { permanent: true, status: 200 });
    }
    return body;
  }
}
