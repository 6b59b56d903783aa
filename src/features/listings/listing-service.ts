import { setImmediate } from 'node:timers/promises';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { componentSchemaCheck } from '../../platform/openapi-document';
import { Problem, type ValidationIssue } from '../../platform/problem';
import type { Principal } from '../../platform/principal';
import { type Listing, type ListingInput, type ListingPage, type ListingQuery, type ListingWrite, listingViewFor } from './listing';
import type { ListingStore, UpsertedListing } from './listing-store';

export const MAX_BATCH_SIZE = 1000;
/**
 * A batch is written this many listings per statement, other requests served between two: a hold never
 * waits for a whole batch (on PGlite, whose one connection runs in this process, not even for one round).
 */
const ROUND_SIZE = 100;

export type BatchItemResult = {
  remote_id: string | null;
  status: 200 | 201 | 400 | 409;
  code?: 'validation_failed' | 'quantity_below_committed';
  detail?: string;
  errors?: ValidationIssue[];
};

type CheckedItem = { index: number; listing: ListingWrite } | { index: number; rejection: BatchItemResult };

const checkId = componentSchemaCheck('Id');
const checkListing = componentSchemaCheck('ListingInput');

function belowCommitted(remoteId: string, committed: number): Problem {
  return new Problem(
    'quantity_below_committed',
    `${committed} tickets of listing '${remoteId}' are held or sold; quantity cannot go below that.`,
  );
}

/** A batch item is a `ListingInput` plus its `remote_id`: each part is checked against its own schema. */
function checkBatchItem(item: Record<string, unknown>, index: number): CheckedItem {
  const { remote_id: remoteId, ...listing } = item;
  const errors = [
    ...(remoteId === undefined
      ? [{ path: '/remote_id', message: "must have required property 'remote_id'" }]
      : checkId(remoteId).map((issue) => ({ ...issue, path: '/remote_id' }))),
    ...checkListing(listing),
  ];
  if (errors.length === 0) return { index, listing: { ...(listing as ListingInput), remote_id: remoteId as string } };
  return {
    index,
    rejection: {
      remote_id: typeof remoteId === 'string' && checkId(remoteId).length === 0 ? remoteId : null,
      status: 400,
      code: 'validation_failed',
      detail: errors.map((e) => `${e.path} ${e.message}`).join('; '),
      errors,
    },
  };
}

/**
 * Splits writes into rounds with distinct `remote_id`s, so that a later repeat is applied after the first,
 * of at most ROUND_SIZE listings each.
 */
function roundsOf(items: { index: number; listing: ListingWrite }[]) {
  const rounds: { index: number; listing: ListingWrite }[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const round = seen.get(item.listing.remote_id) ?? 0;
    seen.set(item.listing.remote_id, round + 1);
    (rounds[round] ??= []).push(item);
  }
  const pieces = (round: (typeof rounds)[number]) =>
    Array.from({ length: Math.ceil(round.length / ROUND_SIZE) }, (_, i) => round.slice(i * ROUND_SIZE, (i + 1) * ROUND_SIZE));
  return rounds.flatMap(pieces);
}

/** Returns the tickets of these listings' holds that are past their expiry (they no longer count). */
export type ExpiredHoldReclaimer = (remoteIds: string[]) => Promise<unknown>;

export class ListingService {
  constructor(
    private readonly listings: ListingStore,
    private readonly reclaimExpiredHolds: ExpiredHoldReclaimer,
  ) {}

  async put(remoteId: string, input: ListingInput, actor: string): Promise<UpsertedListing> {
    await this.reclaimExpiredHolds([remoteId]);
    const written = await this.listings.upsert([{ ...input, remote_id: remoteId }], actor);
    const result = written.get(remoteId);
    if (result) return result;
    const committed = await this.listings.committedCounts([remoteId]);
    throw belowCommitted(remoteId, committed.get(remoteId) ?? 0);
  }

  async putBatch(items: Record<string, unknown>[], actor: string): Promise<BatchItemResult[]> {
    if (items.length > MAX_BATCH_SIZE) {
      throw new Problem(
        'batch_too_large',
        `A batch holds at most ${MAX_BATCH_SIZE} listings; this one has ${items.length}. Send several batches.`,
      );
    }
    const results: BatchItemResult[] = new Array(items.length);
    const valid: { index: number; listing: ListingWrite }[] = [];
    items.map(checkBatchItem).forEach((item) => {
      if ('rejection' in item) results[item.index] = item.rejection;
      else valid.push(item);
    });
    if (valid.length > 0) await this.reclaimExpiredHolds([...new Set(valid.map((item) => item.listing.remote_id))]);
    for (const round of roundsOf(valid)) {
      await setImmediate();
      const written = await this.listings.upsert(round.map((item) => item.listing), actor);
      const refused = round.filter((item) => !written.has(item.listing.remote_id));
      const committed = refused.length ? await this.listings.committedCounts(refused.map((i) => i.listing.remote_id)) : new Map();
      for (const { index, listing } of round) {
        const result = written.get(listing.remote_id);
        results[index] = result
          ? { remote_id: listing.remote_id, status: result.created ? 201 : 200 }
          : {
              remote_id: listing.remote_id,
              status: 409,
              code: 'quantity_below_committed',
              detail: belowCommitted(listing.remote_id, committed.get(listing.remote_id) ?? 0).detail,
            };
      }
    }
    return results;
  }

  async get(remoteId: string, principal: Principal): Promise<Listing> {
    const listing = await this.listings.find(remoteId);
    if (!listing) throw new Problem('listing_not_found', `No listing has remote_id '${remoteId}'.`);
    return listingViewFor(principal)(listing);
  }

  async list(query: ListingQuery, principal: Principal): Promise<ListingPage> {
    const filter = { event_id: query.event_id ?? null };
    const after = query.cursor === undefined ? undefined : decodeCursor<string>(query.cursor, filter, checkId);
    const rows = await this.listings.list({ eventId: query.event_id, after, limit: query.limit + 1 });
    const data = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    return { data: data.map(listingViewFor(principal)), next_cursor: more ? encodeCursor(data[data.length - 1].remote_id, filter) : null };
  }
}
