import type { Knex } from 'knex';
import type { Listing, ListingWrite } from './listing';

const TABLE = 'listings';

/** A listing as stored; an invoice keeps the sale's columns of it under the same names. */
export type ListingRow = {
  remote_id: string;
  event_id: string;
  event_name: string;
  event_venue: string;
  event_occurs_at: Date;
  section: string;
  seat_row: string;
  seats: string[] | null;
  quantity: number;
  available: number;
  held: number;
  sold: number;
  price_amount: string;
  price_currency: string;
  splits: number[] | null;
  tessitura_performance_id: number | null;
  tessitura_zone_id: number | null;
  tessitura_price_type: number | null;
  salesvu_product_id: string | null;
  created_at: Date;
  updated_at: Date;
};

export const toListing = (row: ListingRow): Listing => ({
  remote_id: row.remote_id,
  event: { id: row.event_id, name: row.event_name, venue: row.event_venue, occurs_at: row.event_occurs_at.toISOString() },
  section: row.section,
  row: row.seat_row,
  ...(row.seats && { seats: row.seats }),
  quantity: row.quantity,
  available: row.available,
  held: row.held,
  sold: row.sold,
  price: { amount: row.price_amount, currency: row.price_currency },
  ...(row.splits && { splits: row.splits }),
  ...(row.tessitura_performance_id !== null && {
    tessitura: {
      performance_id: row.tessitura_performance_id,
      zone_id: row.tessitura_zone_id as number,
      price_type: row.tessitura_price_type as number,
    },
  }),
  ...(row.salesvu_product_id !== null && { salesvu: { product_id: row.salesvu_product_id } }),
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const toRow = (listing: ListingWrite, actor: string) => ({
  remote_id: listing.remote_id,
  event_id: listing.event.id,
  event_name: listing.event.name,
  event_venue: listing.event.venue,
  event_occurs_at: listing.event.occurs_at,
  section: listing.section,
  seat_row: listing.row,
  seats: listing.seats ?? null,
  quantity: listing.quantity,
  price_amount: listing.price.amount,
  price_currency: listing.price.currency,
  splits: listing.splits ?? null,
  tessitura_performance_id: listing.tessitura?.performance_id ?? null,
  tessitura_zone_id: listing.tessitura?.zone_id ?? null,
  tessitura_price_type: listing.tessitura?.price_type ?? null,
  salesvu_product_id: listing.salesvu?.product_id ?? null,
  updated_by: actor,
});

/** The columns a write sets, with their SQL types for `jsonb_to_recordset`. */
const WRITTEN_COLUMN_TYPES: Record<keyof ReturnType<typeof toRow>, string> = {
  remote_id: 'text',
  event_id: 'text',
  event_name: 'text',
  event_venue: 'text',
  event_occurs_at: 'timestamptz',
  section: 'text',
  seat_row: 'text',
  seats: 'text[]',
  quantity: 'integer',
  price_amount: 'numeric',
  price_currency: 'text',
  splits: 'integer[]',
  tessitura_performance_id: 'integer',
  tessitura_zone_id: 'integer',
  tessitura_price_type: 'integer',
  salesvu_product_id: 'text',
  updated_by: 'text',
};
const WRITTEN_COLUMNS = Object.keys(WRITTEN_COLUMN_TYPES) as (keyof typeof WRITTEN_COLUMN_TYPES)[];

const RECORD_DEFINITION = WRITTEN_COLUMNS.map((column) => `${column} ${WRITTEN_COLUMN_TYPES[column]}`).join(', ');
const UPDATED_COLUMNS = WRITTEN_COLUMNS.filter((column) => column !== 'remote_id')
  .map((column) => `${column} = EXCLUDED.${column}`)
  .join(', ');

export type UpsertedListing = { listing: Listing; created: boolean };

export class ListingStore {
  constructor(private readonly db: Knex) {}

  /**
   * Creates or updates listings with distinct `remote_id`s in one statement. A listing whose new
   * quantity is below what is held and sold is left as it was and missing from the result. Rows are
   * written in `remote_id` order so that concurrent batches lock listings in the same order.
   */
  async upsert(listings: ListingWrite[], actor: string): Promise<Map<string, UpsertedListing>> {
    const rows = listings.map((listing) => toRow(listing, actor));
    const { rows: written } = await this.db.raw<{ rows: (ListingRow & { created: boolean })[] }>(
      `INSERT INTO ${TABLE} (${WRITTEN_COLUMNS.join(', ')})
       SELECT ${WRITTEN_COLUMNS.join(', ')} FROM jsonb_to_recordset(?::jsonb) AS input(${RECORD_DEFINITION})
       ORDER BY remote_id
       ON CONFLICT (remote_id) DO UPDATE SET ${UPDATED_COLUMNS}, updated_at = now()
         WHERE ${TABLE}.held + ${TABLE}.sold <= EXCLUDED.quantity
       RETURNING *, (xmax = 0) AS created`,
      [JSON.stringify(rows)],
    );
    return new Map(written.map((row) => [row.remote_id, { listing: toListing(row), created: row.created }]));
  }

  async committedCounts(remoteIds: string[]): Promise<Map<string, number>> {
    const rows = await this.db(TABLE)
      .select('remote_id', this.db.raw('held + sold AS committed'))
      .whereIn('remote_id', remoteIds);
    return new Map(rows.map((row: { remote_id: string; committed: number }) => [row.remote_id, row.committed]));
  }

  async find(remoteId: string): Promise<Listing | undefined> {
    const row = await this.db<ListingRow>(TABLE).where({ remote_id: remoteId }).first();
    return row && toListing(row);
  }

  async list(query: { eventId?: string; after?: string; limit: number }): Promise<Listing[]> {
    const rows = await this.db<ListingRow>(TABLE)
      .modify((q) => {
        if (query.eventId !== undefined) q.where({ event_id: query.eventId });
        if (query.after !== undefined) q.where('remote_id', '>', query.after);
      })
      .orderBy('remote_id')
      .limit(query.limit);
    return rows.map(toListing);
  }

  /** Tickets in each state across all listings. */
  async ticketTotals(): Promise<{ quantity: number; available: number; held: number; sold: number }> {
    const { rows } = await this.db.raw<{ rows: { quantity: number; available: number; held: number; sold: number }[] }>(
      `SELECT coalesce(sum(quantity), 0)::bigint::float8 AS quantity, coalesce(sum(available), 0)::bigint::float8 AS available,
              coalesce(sum(held), 0)::bigint::float8 AS held, coalesce(sum(sold), 0)::bigint::float8 AS sold
       FROM ${TABLE}`,
    );
    return rows[0];
  }
}
