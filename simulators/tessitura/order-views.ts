import { fromCents, toCents } from '../shared/money';
import type { OrderRecord, TessituraOrder } from './order-book';
import { constituentSummary, entity, PERFORMANCE_PRODUCT_CLASS, RETURNED_STATUS, seatView, TICKETED_STATUS } from './views';
import type { LineItem, SubLineItem } from './web-session';

// Saved orders rendered as the TXN resources' definitions name them (OrderProductView, SubLineItemSummary).
// A returned ticket keeps its sub line item, with the Returned status and nothing due or paid.

const isReturnedIn = (order: TessituraOrder, sub: SubLineItem) => order.returnedTicketNumbers.includes(sub.ticketNumber as number);
const owedFor = (order: TessituraOrder, sub: SubLineItem) => (isReturnedIn(order, sub) ? 0 : fromCents(sub.priceCents));
const statusOf = (order: TessituraOrder, sub: SubLineItem) => (isReturnedIn(order, sub) ? RETURNED_STATUS : TICKETED_STATUS);

/** `GET TXN/Orders/{orderId}/ProductsView`: the order mirrored like a cart, with ticket numbers. */
export function productsView({ order, lineItems }: OrderRecord) {
  return {
    Id: order.orderId,
    OrderDateTime: order.createdAt,
    TotalPurchaseAmount: order.totalAmount,
    TotalReturnAmount: order.returnAmount,
    TotalDueAmount: fromCents(toCents(order.totalAmount) - toCents(order.returnAmount)),
    TotalPaidAmount: order.paidAmount,
    OrderNotes: order.notes,
    CustomDataItems: [],
    Constituent: constituentSummary(order.constituentId),
    ModeOfSale: entity(order.modeOfSaleId, 'Mode of sale'),
    Source: entity(order.sourceId, 'Source'),
    PaymentPlans: [],
    OrderFees: [],
    Messages: [],
    Payments: order.payments.map((payment) => ({
      Id: payment.paymentId,
      Amount: payment.amount,
      PaymentMethod: { Id: payment.paymentMethodId, Description: `Payment method ${payment.paymentMethodId}` },
      Notes: payment.notes,
    })),
    Products: lineItems.map((item) => ({
      ProductClass: PERFORMANCE_PRODUCT_CLASS,
      Performance: { Id: item.performance.id, LineItem: orderLineItemView(order, item) },
    })),
  };
}

/** `GET TXN/SubLineItems`: one summary per seat of the order. */
export function subLineItemSummaries({ order, lineItems }: OrderRecord) {
  return lineItems.flatMap((item) =>
    item.subLineItems.map((sub) => ({
      OrderId: order.orderId,
      OrderDate: order.createdAt,
      SubLineItemId: sub.id,
      LineItemId: item.id,
      ModeOfSaleId: order.modeOfSaleId ?? 0,
      DueAmount: owedFor(order, sub),
      PaidAmountDecimal: owedFor(order, sub),
      TicketNumber: sub.ticketNumber,
      Seat: { ...seatView(item.zone, sub.seatNumber), Section: { Id: item.zone.id, Description: item.zone.description } },
      Performance: { Id: item.performance.id, Description: item.performance.description, PerformanceDateTime: item.performance.dateTime },
      Owner: constituentSummary(order.constituentId),
      PriceType: { Id: sub.priceType.id, Description: sub.priceType.description },
      SubLineItemStatus: statusOf(order, sub),
    })),
  );
}

function orderLineItemView(order: TessituraOrder, item: LineItem) {
  const due = fromCents(item.subLineItems.reduce((sum, sub) => sum + toCents(owedFor(order, sub)), 0));
  return {
    Id: item.id,
    Primary: true,
    Performance: { Id: item.performance.id, Description: item.performance.description, PerformanceDateTime: item.performance.dateTime },
    SubLineItems: item.subLineItems.map((sub) => ({
      Id: sub.id,
      PriceType: { Id: sub.priceType.id, Description: sub.priceType.description },
      StatusId: statusOf(order, sub).Id,
      Zone: { Id: item.zone.id, Description: item.zone.description },
      Seat: seatView(item.zone, sub.seatNumber),
      DueAmount: owedFor(order, sub),
      PaidAmount: owedFor(order, sub),
      TicketNumber: sub.ticketNumber,
    })),
    TotalDue: due,
    DueAmount: due,
  };
}
