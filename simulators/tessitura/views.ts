import { fromCents } from '../shared/money';
import { balanceCents, cartTotalCents, paidCents, type LineItem, type WebSession } from './web-session';

// The simulator's records rendered as the Swagger definitions name them (Session, Cart, ...).

const PERFORMANCE_PRODUCT_CLASS = { Id: 1, Description: 'Performance' };
const MODE_OF_SALE_ID = 1;
const SEATS_PER_ROW = 20;

export function constituentSummary(constituentId: number) {
  return { Id: constituentId, DisplayName: `Constituent ${constituentId}`, SortName: `Constituent/${constituentId}` };
}

export function sessionView(session: WebSession) {
  const constituentId = session.constituentId ?? 0;
  return {
    OrderId: session.checkout?.orderId ?? 0,
    IsLoggedIn: false,
    ModeOfSaleId: MODE_OF_SALE_ID,
    OriginalModeOfSaleId: MODE_OF_SALE_ID,
    SourceId: 0,
    LoginInfo: { ConstituentId: constituentId, OriginalConstituentId: constituentId },
    CartInfo: {
      PerformanceCount: new Set(session.lineItems.map((item) => item.performance.id)).size,
      PackageCount: 0,
      ContributionCount: 0,
      MembershipCount: 0,
      UserDefinedFeeCount: 0,
      GiftCertificateCount: 0,
      PaymentCount: session.payments.length,
      FirstSeatAddedDateTime: isoOrUndefined(session.firstSeatAddedAt),
    },
    BusinessFacing: true,
    IsGuest: false,
    CheckoutStatus: session.checkout && { Status: session.checkout.status, Date: iso(session.checkout.at) },
    HasLockedSeats: !session.checkout && session.lineItems.length > 0,
    SeatsExpired: session.seatsExpired,
  };
}

export function cartView(session: WebSession) {
  const total = fromCents(cartTotalCents(session));
  let unallocatedPaidCents = paidCents(session);
  // Payments are spread over the seats in cart order, so each sub line item shows what is paid of it.
  const allocate = (dueCents: number): number => {
    const paid = Math.min(dueCents, unallocatedPaidCents);
    unallocatedPaidCents -= paid;
    return fromCents(paid);
  };
  return {
    SessionKey: session.key,
    Id: session.checkout?.orderId ?? 0,
    OrderDateTime: isoOrUndefined(session.checkout?.at),
    FirstSeatAddedDateTime: isoOrUndefined(session.firstSeatAddedAt),
    CartPrimaryAmount: total,
    CartFirstChoiceAmount: total,
    CartAmount: total,
    SubTotal: total,
    FeesAmount: 0,
    AmountPaidPreviously: 0,
    AmountPaidNow: fromCents(paidCents(session)),
    BalanceToCharge: fromCents(balanceCents(session)),
    CartWasPriced: true,
    Constituent: session.constituentId === undefined ? undefined : constituentSummary(session.constituentId),
    CustomDataItems: [],
    PaymentPlans: [],
    OrderFees: [],
    Messages: [],
    Payments: session.payments.map((payment) => ({
      Id: payment.id,
      Amount: fromCents(payment.amountCents),
      PaymentMethod: { Id: payment.paymentMethodId, Description: `Payment method ${payment.paymentMethodId}` },
      Notes: payment.notes,
      Applied: true,
    })),
    Products: session.lineItems.map((item) => ({
      ProductClass: PERFORMANCE_PRODUCT_CLASS,
      Performance: { Id: item.performance.id, LineItem: lineItemView(item, allocate) },
    })),
  };
}

function lineItemView(item: LineItem, allocate: (dueCents: number) => number) {
  const due = fromCents(item.subLineItems.reduce((sum, sub) => sum + sub.priceCents, 0));
  return {
    Id: item.id,
    Primary: true,
    Performance: {
      Id: item.performance.id,
      Description: item.performance.description,
      PerformanceDateTime: item.performance.dateTime,
    },
    SubLineItems: item.subLineItems.map((sub) => ({
      Id: sub.id,
      PriceType: { Id: sub.priceType.id, Description: sub.priceType.description },
      Zone: { Id: item.zone.id, Description: item.zone.description },
      Seat: { Id: sub.seatNumber, Row: String(Math.ceil(sub.seatNumber / SEATS_PER_ROW)), Number: String(((sub.seatNumber - 1) % SEATS_PER_ROW) + 1) },
      DueAmount: fromCents(sub.priceCents),
      PaidAmount: allocate(sub.priceCents),
    })),
    TotalDue: due,
    DueAmount: due,
  };
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function isoOrUndefined(epochMs: number | undefined): string | undefined {
  return epochMs === undefined ? undefined : iso(epochMs);
}
