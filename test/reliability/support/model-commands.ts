import fc from 'fast-check';
import { uniqueId } from '../../support/fixtures';
import { type Caller, type HoldRequest, LedgerModel, type ModelCancellation, type ModelHold } from './ledger-model';
import { backdateHold, expectAgreement, expectOutcome, keyOf, listingBody, type ModelGateway, PARTNER_IDS, tally } from './model-gateway';

type Command = fc.AsyncCommand<LedgerModel, ModelGateway>;

const PARTNERS = PARTNER_IDS.length;
/** A run starts with these listings stocked; one more id is left for a `put` to create (holds on it are 404 until then). */
const INITIAL_QUANTITIES = [5, 3, 8];
const LISTINGS_PER_RUN = INITIAL_QUANTITIES.length + 1;
/** The run's listing whose event has begun (partners may no longer cancel its sales). */
const STARTED_LISTING = 2;

/** Each command does one thing to both sides, then checks that the gateway still agrees with the model. */
abstract class ModelCommand implements Command {
  check(): boolean {
    return true;
  }

  async run(model: LedgerModel, g: ModelGateway): Promise<void> {
    await this.apply(model, g);
    await expectAgreement(g, model);
  }

  protected abstract apply(model: LedgerModel, g: ModelGateway): Promise<void>;
  abstract toString(): string;
}

/** Picks one of the run's earlier hold requests (by a generated index), or undefined before the first. */
const earlierRequest = (model: LedgerModel, pick: number): HoldRequest | undefined =>
  model.holdRequests.length === 0 ? undefined : model.holdRequests[pick % model.holdRequests.length];

const otherPartner = (partner: number, pick: number) => (partner + 1 + (pick % (PARTNERS - 1))) % PARTNERS;

/** The global id an earlier request named (held or refused), and its partner; a never-used id before any. */
function targetOf(model: LedgerModel, pick: number): { globalId: string; owner: number } {
  const target = earlierRequest(model, pick);
  return target ? { globalId: target.globalId, owner: target.partner } : { globalId: `${model.runId}-never-held`, owner: 0 };
}

async function putListing(model: LedgerModel, g: ModelGateway, remoteId: string, quantity: number, splits: number[] | null) {
  const answer = await g.t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', g.inventoryKey).send(listingBody(model, remoteId, quantity, splits));
  expectOutcome(g, 'put', `PUT listing ${remoteId} quantity ${quantity}`, answer, model.putListing(remoteId, quantity, splits));
}

/** A fresh run: its own ids (so that runs on one gateway never meet), with the first listings stocked. */
export async function newModelRun(g: ModelGateway): Promise<{ model: LedgerModel; real: ModelGateway }> {
  const runId = uniqueId('model');
  const listingIds = Array.from({ length: LISTINGS_PER_RUN }, (_, i) => `${runId}-l${i}`);
  const model = new LedgerModel(runId, `evt-${runId}`, listingIds, listingIds[STARTED_LISTING]);
  for (const [i, quantity] of INITIAL_QUANTITIES.entries()) await putListing(model, g, listingIds[i], quantity, null);
  return { model, real: g };
}

class PutListing extends ModelCommand {
  constructor(readonly p: { listing: number; quantity: number; splits: number[] | null }) {
    super();
  }

  protected async apply(model: LedgerModel, g: ModelGateway) {
    await putListing(model, g, model.listingIds[this.p.listing], this.p.quantity, this.p.splits);
  }

  toString() {
    return `put(L${this.p.listing}, q=${this.p.quantity}${this.p.splits ? `, splits=${this.p.splits}` : ''})`;
  }
}

type HoldVariant = 'fresh' | 'same' | 'other-quantity' | 'other-listing' | 'other-partner';

class PlaceHold extends ModelCommand {
  constructor(readonly p: { variant: HoldVariant; partner: number; listing: number; quantity: number; pick: number }) {
    super();
  }

  private request(model: LedgerModel): HoldRequest {
    const earlier = earlierRequest(model, this.p.pick);
    if (this.p.variant === 'fresh' || !earlier) {
      const { partner, listing, quantity } = this.p;
      return { partner, globalId: model.freshGlobalId(), remoteId: model.listingIds[listing], quantity };
    }
    switch (this.p.variant) {
      case 'same':
        return earlier;
      case 'other-quantity':
        return { ...earlier, quantity: earlier.quantity + 1 };
      case 'other-listing':
        return { ...earlier, remoteId: model.listingIds[(model.listingIds.indexOf(earlier.remoteId) + 1) % LISTINGS_PER_RUN] };
      case 'other-partner':
        return { ...earlier, partner: otherPartner(earlier.partner, this.p.pick) };
    }
  }

  protected async apply(model: LedgerModel, g: ModelGateway) {
    const request = this.request(model);
    const body = { global_id: request.globalId, remote_id: request.remoteId, quantity: request.quantity };
    const answer = await g.t.http.post('/v1/holds').set('X-Api-Key', g.partnerKeys[request.partner]).send(body);
    const expected = model.placeHold(request);
    expectOutcome(g, 'hold', `hold ${JSON.stringify(body)} by ${PARTNER_IDS[request.partner]}`, answer, expected);
    if (expected.status < 300) {
      expect(answer.body).toMatchObject({ ...body, partner_id: PARTNER_IDS[request.partner], status: expected.holdStatus });
      expect(answer.headers['idempotent-replayed']).toBe(expected.status === 200 ? 'true' : undefined);
    }
  }

  toString() {
    const { variant, partner, listing, quantity, pick } = this.p;
    return variant === 'fresh' ? `hold(p${partner}, L${listing}, q=${quantity})` : `holdAgain(${variant}, #${pick})`;
  }
}

type CallerKind = 'owner' | 'other' | 'staff';

class ReleaseHold extends ModelCommand {
  constructor(readonly p: { pick: number; caller: CallerKind }) {
    super();
  }

  protected async apply(model: LedgerModel, g: ModelGateway) {
    const { globalId, owner } = targetOf(model, this.p.pick);
    const caller: Caller = this.p.caller === 'staff' ? 'staff' : this.p.caller === 'owner' ? owner : otherPartner(owner, this.p.pick);
    const answer = await g.t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', keyOf(g, caller));
    const expected = model.release(caller, globalId);
    expectOutcome(g, 'release', `release ${globalId} by ${caller === 'staff' ? 'staff' : PARTNER_IDS[caller]}`, answer, expected);
    if (expected.status === 200) expect(answer.body).toMatchObject({ global_id: globalId, status: expected.holdStatus });
  }

  toString() {
    return `release(#${this.p.pick}, by ${this.p.caller})`;
  }
}

class InvoiceHold extends ModelCommand {
  constructor(readonly p: { pick: number; byOwner: boolean; otherOrder: boolean; withCustomer: boolean }) {
    super();
  }

  protected async apply(model: LedgerModel, g: ModelGateway) {
    const { globalId, owner } = targetOf(model, this.p.pick);
    const partner = this.p.byOwner ? owner : otherPartner(owner, this.p.pick);
    const invoice = {
      orderId: `${globalId}-order${this.p.otherOrder ? '-b' : ''}`,
      customerName: this.p.withCustomer ? 'Ada Lovelace' : null,
    };
    const customer = invoice.customerName ? { customer: { name: invoice.customerName } } : {};
    const body = { global_id: globalId, order_id: invoice.orderId, ...customer };
    const answer = await g.t.http.post('/v1/invoices').set('X-Api-Key', g.partnerKeys[partner]).send(body);
    const expected = model.invoice(partner, globalId, invoice);
    expectOutcome(g, 'invoice', `invoice ${JSON.stringify(body)} by ${PARTNER_IDS[partner]}`, answer, expected);
    if (expected.status < 300) {
      const { quantity, remoteId, status, cancellation } = model.holds.get(globalId) as ModelHold;
      const invoiced = { global_id: globalId, order_id: invoice.orderId, quantity, remote_id: remoteId, status: cancellation ? 'cancelled' : 'invoiced' };
      expect(answer.body).toMatchObject(invoiced);
      expect(answer.body.cancellation).toEqual(cancellation && { cancelled_at: expect.any(String), reason: cancellation.reason, restocked: cancellation.restock });
      // No dispatcher runs: a sale's deliveries stay pending, and are withdrawn at once when it is cancelled.
      const delivery = status === 'cancelled' ? 'withdrawn' : 'pending';
      expect(answer.body.deliveries).toEqual([{ target: 'tessitura', status: delivery }, { target: 'salesvu', status: delivery }]);
      expect(answer.headers['idempotent-replayed']).toBe(expected.status === 200 ? 'true' : undefined);
    }
  }

  toString() {
    const { pick, byOwner, otherOrder, withCustomer } = this.p;
    const options = [byOwner ? 'by owner' : 'by other', otherOrder && 'other order', withCustomer && 'with customer'];
    return `invoice(#${pick}, ${options.filter(Boolean).join(', ')})`;
  }
}

type CancelTarget = 'sold' | 'any';

/** A cancellation by the sale's partner, another partner or staff, of a sale (or of any hold named before). */
class CancelSale extends ModelCommand {
  constructor(readonly p: { pick: number; target: CancelTarget; caller: CallerKind; restock: boolean | undefined; otherReason: boolean }) {
    super();
  }

  private target(model: LedgerModel): { globalId: string; owner: number } {
    const sold = model.soldHolds();
    if (this.p.target === 'any' || sold.length === 0) return targetOf(model, this.p.pick);
    const hold = sold[this.p.pick % sold.length];
    return { globalId: hold.globalId, owner: hold.partner };
  }

  protected async apply(model: LedgerModel, g: ModelGateway) {
    const { globalId, owner } = this.target(model);
    const caller: Caller = this.p.caller === 'staff' ? 'staff' : this.p.caller === 'owner' ? owner : otherPartner(owner, this.p.pick);
    const reason = this.p.otherReason ? 'The performance was cancelled.' : 'The buyer asked.';
    const body = { reason, ...(this.p.restock !== undefined && { restock: this.p.restock }) };
    const answer = await g.t.http.post(`/v1/invoices/${globalId}/cancellation`).set('X-Api-Key', keyOf(g, caller)).send(body);
    const request: ModelCancellation = { reason, restock: this.p.restock ?? true };
    const expected = model.cancel(caller, globalId, request);
    expectOutcome(g, 'cancel', `cancel ${globalId} ${JSON.stringify(body)} by ${caller === 'staff' ? 'staff' : PARTNER_IDS[caller]}`, answer, expected);
    if (expected.status < 300) {
      const { cancellation, invoice } = model.holds.get(globalId) as ModelHold;
      expect(answer.body).toMatchObject({
        global_id: globalId,
        order_id: invoice?.orderId,
        status: 'cancelled',
        reason: cancellation?.reason,
        restocked: cancellation?.restock,
      });
      expect(answer.body.deliveries).toEqual([
        { target: 'tessitura', kind: 'sale', status: 'withdrawn' },
        { target: 'salesvu', kind: 'sale', status: 'withdrawn' },
      ]);
      expect(answer.headers['idempotent-replayed']).toBe(expected.status === 200 ? 'true' : undefined);
    }
  }

  toString() {
    const { pick, target, caller, restock, otherReason } = this.p;
    const options = [`by ${caller}`, restock !== undefined && `restock ${restock}`, otherReason && 'other reason'];
    return `cancel(#${pick} of ${target}, ${options.filter(Boolean).join(', ')})`;
  }
}

/** Time passes for one live hold: its `expires_at` moves into the past (no sweep yet). */
class PassExpiry extends ModelCommand {
  constructor(readonly p: { pick: number }) {
    super();
  }

  protected async apply(model: LedgerModel, g: ModelGateway) {
    const live = model.liveHolds();
    if (live.length === 0) return;
    const hold = live[this.p.pick % live.length];
    await backdateHold(g.t.db.knex, hold.globalId);
    model.pastExpiry(hold.globalId);
    tally(g, 'expire');
  }

  toString() {
    return `expire(#${this.p.pick})`;
  }
}

class Sweep extends ModelCommand {
  protected async apply(model: LedgerModel, g: ModelGateway) {
    await g.t.gateway.jobs.holdExpiry.runNow();
    tally(g, model.sweep() > 0 ? 'sweep (expired some)' : 'sweep (nothing due)');
  }

  toString() {
    return 'sweep()';
  }
}

const listing = fc.integer({ min: 0, max: LISTINGS_PER_RUN - 1 });
const partner = fc.integer({ min: 0, max: PARTNERS - 1 });
const pick = fc.nat({ max: 1_000 });
const mostly = (value: boolean) => fc.constantFrom(value, value, value, !value);

/** The commands a run is made of, weighted towards holds so that listings fill up and run short. */
export const modelCommands: fc.Arbitrary<Command>[] = [
  fc
    .record({
      listing,
      quantity: fc.integer({ min: 0, max: 8 }),
      splits: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, fc.constantFrom<number[]>([2, 4], [1, 2, 3])),
    })
    .map((p) => new PutListing(p)),
  ...Array.from({ length: 3 }, () =>
    fc
      .record({
        variant: fc.constantFrom<HoldVariant>('fresh', 'fresh', 'fresh', 'same', 'other-quantity', 'other-listing', 'other-partner'),
        partner,
        listing,
        quantity: fc.integer({ min: 1, max: 4 }),
        pick,
      })
      .map((p) => new PlaceHold(p)),
  ),
  fc.record({ pick, caller: fc.constantFrom<CallerKind>('owner', 'owner', 'owner', 'other', 'staff') }).map((p) => new ReleaseHold(p)),
  ...Array.from({ length: 2 }, () =>
    fc
      .record({ pick, byOwner: mostly(true), otherOrder: mostly(false), withCustomer: mostly(false) })
      .map((p) => new InvoiceHold(p)),
  ),
  fc
    .record({
      pick,
      target: fc.constantFrom<CancelTarget>('sold', 'sold', 'sold', 'sold', 'any'),
      caller: fc.constantFrom<CallerKind>('owner', 'owner', 'staff', 'staff', 'other'),
      restock: fc.constantFrom<boolean | undefined>(undefined, undefined, true, false),
      otherReason: mostly(false),
    })
    .map((p) => new CancelSale(p)),
  fc.record({ pick }).map((p) => new PassExpiry(p)),
  fc.constant(null).map(() => new Sweep()),
];
