import { isWhollyReturned } from '../../downstream/tessitura/tessitura-return';
import type { TessituraAcknowledgment } from '../../downstream/tessitura/tessitura-sale';
import type { DeliveryChecks, DeliveryCheck } from './delivery-checks';
import type { Finding } from './reconciliation';
import { quantityOf, salesVuOrder } from './salesvu-checks';
import { missingTessituraOrder, productsView, soldTicketNumbers, type TessituraReturnRecognition } from './tessitura-checks';

/**
 * A cancelled sale whose return to Tessitura was delivered: the sale's order (its ProductsView) shows it
 * returned. Sub line item statuses are a venue's reference data, so by default the amounts tell, as the
 * return flow reads them (isWhollyReturned: the order's returns add up to its purchases; a free order cannot
 * be told this way and is taken as returned). When the venue's returned status ids are known
 * (TessituraReturnRecognition), each of the sale's tickets must show one of them, or have left the view.
 */
export function tessituraReturnCheck(recognition: TessituraReturnRecognition): DeliveryCheck {
  return async (record, { tessitura, signal }) => {
    const sale = record.sale_acknowledgment as TessituraAcknowledgment | null;
    if (!sale) return [];
    const orderId = sale.order_id;
    const view = await productsView(tessitura, orderId, signal);
    if (!view) return [missingTessituraOrder(orderId)];
    if (recognition.returnedStatusIds.size > 0) {
      const returned = (sale.seats ?? []).map((seat) => seat.ticket_number ?? 0).sort((a, b) => a - b);
      const stillSold = soldTicketNumbers(view, recognition).filter((ticket) => returned.includes(ticket));
      if (stillSold.length === 0) return [];
      return [notReturned(orderId, returned, stillSold, `still holds tickets ${stillSold.join(', ')} sold`)];
    }
    const purchased = view.TotalPurchaseAmount ?? 0;
    if (purchased <= 0 || isWhollyReturned(view)) return [];
    const returnedAmount = view.TotalReturnAmount ?? 0;
    return [notReturned(orderId, purchased, returnedAmount, `shows ${returnedAmount} returned of the ${purchased} purchased`)];
  };
}

const notReturned = (orderId: number, expected: unknown, found: unknown, shows: string): Finding => ({
  kind: 'not_returned',
  order_id: orderId,
  expected,
  found,
  detail: `The sale's return was delivered, but Tessitura order ${orderId} ${shows}.`,
});

/**
 * A cancelled sale whose return to SalesVu was delivered: SalesVu has no refund action in public code, so a
 * return is an order of its own mirroring the sale's lines with negative quantities (the SalesVu adapter's
 * assumption, src/downstream/salesvu/salesvu-return.ts). Its acknowledgment names that order: it must be
 * there and give back as many tickets as were sold.
 */
export const salesVuReturnCheck: DeliveryCheck = async (record, { salesvu, signal }) => {
  const { order_id: orderId, store_id: storeId } = record.acknowledgment as { order_id: number; store_id: string };
  const order = await salesVuOrder(salesvu, storeId, orderId, signal);
  const returned = order ? -quantityOf(order) : 0;
  if (order && returned === record.quantity) return [];
  return [
    {
      kind: 'not_returned',
      order_id: orderId,
      expected: -record.quantity,
      found: order ? -returned : null,
      detail: order
        ? `SalesVu return order ${orderId} gives back ${returned} tickets; ${record.quantity} were sold.`
        : `SalesVu store ${storeId} has no return order ${orderId}, though the return was delivered.`,
    },
  ];
};

/** Both systems' return checks (DeliveryChecks' `return`). */
export const returnChecks = (recognition: TessituraReturnRecognition): NonNullable<DeliveryChecks['return']> => ({
  tessitura: tessituraReturnCheck(recognition),
  salesvu: salesVuReturnCheck,
});
