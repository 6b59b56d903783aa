import { DownstreamError } from '../../src/downstream/downstream-error';
import type { SalesVuClient, SalesVuOrder } from '../../src/downstream/salesvu/salesvu-client';
import type { OrderProductsView, TessituraClient } from '../../src/downstream/tessitura/tessitura-client';
import type { CheckContext } from '../../src/features/reconciliation/delivery-checks';
import type { DeliveredRecord } from '../../src/features/reconciliation/reconciliation';
import { returnChecks } from '../../src/features/reconciliation/return-checks';
import { NO_RETURNED_STATUSES, soldTicketNumbers, type TessituraReturnRecognition } from '../../src/features/reconciliation/tessitura-checks';

/** Tessitura's statuses are a venue's reference data (ReferenceData/SubLineItemStatuses); the simulator's Returned is 4. */
const RETURNED_IS_4: TessituraReturnRecognition = { returnedStatusIds: new Set([4]) };
const checks = returnChecks(RETURNED_IS_4);
const byAmounts = returnChecks(NO_RETURNED_STATUSES);

/** An order of two 45.50 tickets, as ProductsView shows it: a returned ticket keeps its line, Returned, nothing due. */
const view = (subs: { TicketNumber: number; StatusId: number }[]): OrderProductsView => ({
  Id: 100_001,
  OrderNotes: 'gateway-key=tg-h1',
  TotalPurchaseAmount: 91,
  TotalReturnAmount: subs.filter((sub) => sub.StatusId === 4).length * 45.5,
  Products: [{ Performance: { Id: 4412, LineItem: { SubLineItems: subs } } }],
});

const context = (answers: { tessitura?: OrderProductsView | Error; salesvu?: SalesVuOrder | Error }): CheckContext => ({
  tessitura: {
    getOrderProductsView: async () => {
      if (answers.tessitura instanceof Error) throw answers.tessitura;
      return answers.tessitura;
    },
  } as unknown as TessituraClient,
  salesvu: {
    hasStore: () => true,
    getOrder: async () => {
      if (answers.salesvu instanceof Error) throw answers.salesvu;
      return answers.salesvu;
    },
  } as unknown as SalesVuClient,
  signal: new AbortController().signal,
});

const tessituraReturn: DeliveredRecord = {
  id: 9,
  global_id: 'h1',
  target: 'tessitura',
  kind: 'return',
  quantity: 2,
  acknowledgment: { order_id: 100_001 },
  sale_acknowledgment: { order_id: 100_001, seats: [{ ticket_number: 7_000_001 }, { ticket_number: 7_000_002 }] },
  tessitura_acknowledgment: null,
  returned: true,
};
const salesVuReturn: DeliveredRecord = {
  ...tessituraReturn,
  target: 'salesvu',
  acknowledgment: { order_id: 5_002, store_id: '1001', original_order_id: 5_001, total: -91 },
  sale_acknowledgment: { order_id: 5_001, store_id: '1001' },
};

describe('return checks', () => {
  it('when a ticket shows the Returned status, then it no longer counts as sold; other statuses do', () => {
    const order = view([
      { TicketNumber: 7_000_002, StatusId: 2 },
      { TicketNumber: 7_000_001, StatusId: 4 },
    ]);
    expect(soldTicketNumbers(order, RETURNED_IS_4)).toEqual([7_000_002]);
    expect(soldTicketNumbers(order, { returnedStatusIds: new Set() })).toEqual([7_000_001, 7_000_002]);
  });

  it("when Tessitura shows every ticket of a returned sale returned (or gone), then the return agrees", async () => {
    const returned = view([{ TicketNumber: 7_000_001, StatusId: 4 }]);
    expect(await checks.tessitura!(tessituraReturn, context({ tessitura: returned }))).toEqual([]);
    const both = view([
      { TicketNumber: 7_000_001, StatusId: 4 },
      { TicketNumber: 7_000_002, StatusId: 4 },
    ]);
    expect(await byAmounts.tessitura!(tessituraReturn, context({ tessitura: both }))).toEqual([]);
  });

  it("when the venue's returned statuses are not known, then the order's amounts tell: less returned than purchased is not_returned", async () => {
    const partly = view([
      { TicketNumber: 7_000_001, StatusId: 4 },
      { TicketNumber: 7_000_002, StatusId: 2 },
    ]);
    expect(await byAmounts.tessitura!(tessituraReturn, context({ tessitura: partly }))).toEqual([
      expect.objectContaining({ kind: 'not_returned', order_id: 100_001, expected: 91, found: 45.5 }),
    ]);
  });

  it('when Tessitura still shows a ticket of a returned sale sold, then not_returned names it', async () => {
    const partly = view([
      { TicketNumber: 7_000_001, StatusId: 4 },
      { TicketNumber: 7_000_002, StatusId: 2 },
    ]);
    expect(await checks.tessitura!(tessituraReturn, context({ tessitura: partly }))).toEqual([
      expect.objectContaining({ kind: 'not_returned', order_id: 100_001, expected: [7_000_001, 7_000_002], found: [7_000_002] }),
    ]);
    const gone = new DownstreamError('tessitura', 'getOrderProductsView: HTTP 404', { status: 404 });
    expect(await checks.tessitura!(tessituraReturn, context({ tessitura: gone }))).toEqual([expect.objectContaining({ kind: 'missing_order' })]);
  });

  it("when SalesVu's return order gives back the tickets sold, then it agrees; a smaller one or none is not_returned", async () => {
    const order = (quantity: number): SalesVuOrder => {
      const lines = [{ product_id: '90817', quantity, selling_price: 45.5, notes: [] }];
      return { order_id: 5_002, order_status: 'completed', order_details: lines };
    };
    expect(await checks.salesvu!(salesVuReturn, context({ salesvu: order(-2) }))).toEqual([]);
    expect(await checks.salesvu!(salesVuReturn, context({ salesvu: order(-1) }))).toEqual([
      expect.objectContaining({ kind: 'not_returned', order_id: 5_002, expected: -2, found: -1 }),
    ]);
    const notFound = new DownstreamError('salesvu', 'get_order: Order 5002 not found', { permanent: true, status: 200 });
    expect(await checks.salesvu!(salesVuReturn, context({ salesvu: notFound }))).toEqual([expect.objectContaining({ kind: 'not_returned', found: null })]);
  });
});
