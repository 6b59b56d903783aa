import { fromCents } from '../shared/money';
import type { Named } from './catalogue';
import {
  balanceCents,
  cartTotalCents,
  isReturned,
  isSaved,
  paidCents,
  paidPreviouslyCents,
  type LineItem,
  type LoadedOrder,
  type WebSession,
} from './web-session';

// The simulator's records rendered as the Swagger definitions name them (Session, Cart, ...).

export const PERFORMANCE_PRODUCT_CLASS = { Id: 1, Description: 'Performance' };
/** Sub line item statuses (a venue's reference data, /ReferenceData/SubLineItemStatuses): the simulator's two. */
export const TICKETED_STATUS = { Id: 2, Description: 'Ticketed' };
export const RETURNED_STATUS = { Id: 4, Description: 'Returned' };
const SEATS_PER_ROW = 20;

/** A seat as `CartSeat` and `OrderProductViewSeat` show it: the zone is its section, seats run in rows of 20. */
export function seatView(zone: Named, seatNumber: number) {
  return {
    Id: seatNumber,
    Row: String(Math.ceil(seatNumber / SEATS_PER_ROW)),
    Number: String(((seatNumber - 1) % SEATS_PER_ROW) + 1),
    Section: { Id: zone.id, Description: zone.description, ShortDescription: zone.description, PrintDescription: zone.description },
  };
}

export function constituentSummary(constituentId: number) {
  return { Id: constituentId, DisplayName: `Constituent ${constituentId}`, SortName: `Constituent/${constituentId}` };
}

export function sessionView(session: WebSession) {
  const constituentId = session.constituentId ?? 0;
  const { checkout } = session;
  return {
    OrderId: checkout?.status === 'SaveComplete' ? checkout.orderId : 0,
    IsLoggedIn: false,
    ModeOfSaleId: session.properties.ModeOfSaleId ?? 0,
    OriginalModeOfSaleId: session.properties.ModeOfSaleId ?? 0,
    SourceId: session.properties.SourceId ?? 0,
    LoginInfo: { ConstituentId: constituentId, OriginalConstituentId: constituentId },
    CartInfo: {
      PerformanceCount: new Set([...(session.loadedOrder?.lineItems ?? []), ...session.lineItems].map((item) => item.performance.id)).size,
      PackageCount: 0,
      ContributionCount: 0,
      MembershipCount: 0,
      UserDefinedFeeCount: 0,
      GiftCertificateCount: 0,
      PaymentCount: session.payments.length,
      FirstSeatAddedDateTime: isoOrUndefined(session.firstSeatAddedAt),
    },
    BusinessFacing: session.businessFacing,
    IsGuest: false,
    CheckoutStatus: checkout && { Status: checkout.status, Date: iso(checkout.at) },
    HasLockedSeats: !isSaved(session) && session.lineItems.length > 0,
    SeatsExpired: session.seatsExpired,
  };
}

export function cartView(session: WebSession) {
  const total = fromCents(cartTotalCents(session));
  const loaded = session.loadedOrder;
  let unallocatedPaidCents = Math.max(0, paidCents(session));
  // Payments are spread over the seats in cart order, so each sub line item shows what is paid of it.
  const allocate = (dueCents: number): number => {
    const paid = Math.min(dueCents, unallocatedPaidCents);
    unallocatedPaidCents -= paid;
    return fromCents(paid);
  };
  return {
    SessionKey: session.key,
    Id: session.checkout?.status === 'SaveComplete' ? session.checkout.orderId : (loaded?.orderId ?? 0),
    OrderDateTime: isoOrUndefined(isSaved(session) ? session.checkout?.at : undefined),
    FirstSeatAddedDateTime: isoOrUndefined(session.firstSeatAddedAt),
    CartPrimaryAmount: total,
    CartFirstChoiceAmount: total,
    CartAmount: total,
    SubTotal: total,
    FeesAmount: 0,
    AmountPaidPreviously: fromCents(paidPreviouslyCents(session)),
    AmountPaidNow: fromCents(paidCents(session)),
    BalanceToCharge: fromCents(balanceCents(session)),
    CartWasPriced: true,
    Constituent: session.constituentId === undefined ? undefined : constituentSummary(session.constituentId),
    ModeOfSale: entity(session.properties.ModeOfSaleId, 'Mode of sale'),
    Source: entity(session.properties.SourceId, 'Source'),
    OrderNotes: session.properties.Notes ?? '',
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
    Products: [
      ...(loaded?.lineItems ?? []).map((item) => ({
        ProductClass: PERFORMANCE_PRODUCT_CLASS,
        Performance: { Id: item.performance.id, LineItem: loadedLineItemView(item, loaded as LoadedOrder) },
      })),
      ...session.lineItems.map((item) => ({
        ProductClass: PERFORMANCE_PRODUCT_CLASS,
        Performance: { Id: item.performance.id, LineItem: lineItemView(item, allocate) },
      })),
    ],
  };
}

/** A line item of the loaded order: its seats paid before, those returned (or being returned by this cart) due nothing. */
function loadedLineItemView(item: LineItem, loaded: LoadedOrder) {
  const kept = item.subLineItems.filter((sub) => !isReturned(loaded, sub.ticketNumber));
  const due = fromCents(kept.reduce((sum, sub) => sum + sub.priceCents, 0));
  return {
    Id: item.id,
    Primary: true,
    Performance: { Id: item.performance.id, Description: item.performance.description, PerformanceDateTime: item.performance.dateTime },
    SubLineItems: item.subLineItems.map((sub) => {
      const owed = isReturned(loaded, sub.ticketNumber) ? 0 : fromCents(sub.priceCents);
      return {
        Id: sub.id,
        PriceType: { Id: sub.priceType.id, Description: sub.priceType.description },
        StatusId: (owed ? TICKETED_STATUS : RETURNED_STATUS).Id,
        Zone: { Id: item.zone.id, Description: item.zone.description },
        Seat: seatView(item.zone, sub.seatNumber),
        DueAmount: owed,
        PaidAmount: owed,
      };
    }),
    TotalDue: due,
    DueAmount: due,
  };
}

export function cartPropertiesView(session: WebSession) {
  const { ModeOfSaleId, SourceId, Notes } = session.properties;
  return { ModeOfSaleId: ModeOfSaleId ?? 0, SourceId: SourceId ?? 0, Notes: Notes ?? '' };
}

/** An `EntitySummary` for an id the simulator knows only by number; undefined when unset. */
export function entity(id: number | null | undefined, kind: string) {
  return id ? { Id: id, Description: `${kind} ${id}` } : undefined;
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
      Seat: seatView(item.zone, sub.seatNumber),
      DueAmount: fromCents(sub.priceCents),
      PaidAmount: allocate(sub.priceCents),
    })),
    TotalDue: due,
    DueAmount: due,
  };
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function isoOrUndefined(epochMs: number | undefined): string | undefined {
  return epochMs === undefined ? undefined : iso(epochMs);
}
