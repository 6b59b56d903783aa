import type { Knex } from 'knex';
import { listingInput } from '../../support/fixtures';
import { ledgerViolations } from '../../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../../support/test-gateway';
import { available, type Caller, type LedgerModel, type Outcome } from './ledger-model';

/** The real system a model run drives: one gateway for the whole suite, with a key per caller. */
export type ModelGateway = {
  t: TestGateway;
  partnerKeys: string[];
  staffKey: string;
  inventoryKey: string;
  /** How often each command met each outcome (`hold 409 insufficient_inventory`), to show what the runs covered. */
  outcomes: Map<string, number>;
};

export const PARTNER_IDS = ['tevo', 'vivid', 'seatgeek'];

export async function startModelGateway(): Promise<ModelGateway> {
  const t = await startTestGateway();
  const [staffKey, inventoryKey, ...partnerKeys] = await Promise.all([
    t.createKey('staff'),
    t.createKey('inventory'),
    ...PARTNER_IDS.map((id) => t.createKey('partner', id)),
  ]);
  return { t, partnerKeys, staffKey, inventoryKey, outcomes: new Map() };
}

export const keyOf = (g: ModelGateway, caller: Caller): string => (caller === 'staff' ? g.staffKey : g.partnerKeys[caller]);

/** Every listing of a run is of the run's event; the one whose event has begun says so by its `occurs_at`. */
export const listingBody = (model: LedgerModel, remoteId: string, quantity: number, splits: number[] | null) =>
  listingInput({
    event: {
      id: model.eventId,
      name: 'Model run',
      venue: 'Main Stage',
      occurs_at: remoteId === model.startedListingId ? '2020-03-12T19:30:00-05:00' : '2027-03-12T19:30:00-05:00',
    },
    quantity,
    ...(splits && { splits }),
  });

export const tally = (g: ModelGateway, outcome: string): void => void g.outcomes.set(outcome, (g.outcomes.get(outcome) ?? 0) + 1);

type Answer = { status: number; body: { code?: string; available?: number; status?: unknown } };

/** The answer has the status and problem code the model expects (and `available` with insufficient_inventory). */
export function expectOutcome(g: ModelGateway, command: string, what: string, answer: Answer, expected: Outcome): void {
  const { status, code, holdStatus, note, available } = expected;
  tally(g, [command, status, code, holdStatus && `(${holdStatus})`, note].filter(Boolean).join(' '));
  const withAvailable = available !== undefined;
  const actual = { status: answer.status, code: answer.body.code, ...(withAvailable && { available: answer.body.available }) };
  const wanted = { status, code, ...(withAvailable && { available }) };
  expect({ what, ...actual }).toEqual({ what, ...wanted });
}

/**
 * Moves a hold's `expires_at` into the past. The holds guard trigger forbids changing `expires_at` (a hold
 * may change only its status), so this test-only write runs with triggers off for its one transaction.
 */
export async function backdateHold(knex: Knex, globalId: string): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx.raw(`UPDATE holds SET expires_at = now() - interval '1 second' WHERE global_id = ?`, [globalId]);
  });
}

/** The listings' counters and the holds' states, as the API reports them, equal the model's; the ledger balances. */
export async function expectAgreement(g: ModelGateway, model: LedgerModel): Promise<void> {
  const query = { event_id: model.eventId, limit: 200 };
  const listings = await g.t.http.get('/v1/listings').query(query).set('X-Api-Key', g.inventoryKey).expect(200);
  const holds = await g.t.http.get('/v1/holds').query(query).set('X-Api-Key', g.staffKey).expect(200);

  const apiListings = Object.fromEntries(
    listings.body.data.map((l: Record<string, unknown>) => [
      l.remote_id,
      { quantity: l.quantity, available: l.available, held: l.held, sold: l.sold, splits: l.splits ?? null },
    ]),
  );
  const modelListings = Object.fromEntries([...model.listings].map(([id, l]) => [id, { ...l, available: available(l) }]));
  expect({ listings: apiListings }).toEqual({ listings: modelListings });

  const apiHolds = Object.fromEntries(
    holds.body.data.map((h: Record<string, unknown>) => [
      h.global_id,
      { status: h.status, quantity: h.quantity, partner_id: h.partner_id, remote_id: h.remote_id },
    ]),
  );
  const modelHolds = Object.fromEntries(
    [...model.holds].map(([id, h]) => [
      id,
      { status: h.status, quantity: h.quantity, partner_id: PARTNER_IDS[h.partner], remote_id: h.remoteId },
    ]),
  );
  expect({ holds: apiHolds }).toEqual({ holds: modelHolds });

  expect(await ledgerViolations(g.t.db.knex)).toEqual([]);
}
