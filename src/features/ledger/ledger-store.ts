import type { Knex } from 'knex';
import type { components } from '../../generated/openapi';

export type LedgerEntry = components['schemas']['LedgerEntry'];

const TABLE = 'ledger_entries';

type LedgerRow = {
  id: string | number;
  kind: LedgerEntry['kind'];
  remote_id: string;
  global_id: string | null;
  d_quantity: number;
  d_held: number;
  d_sold: number;
  actor: string;
  created_at: Date;
};

const toEntry = (row: LedgerRow): LedgerEntry => ({
  id: String(row.id),
  kind: row.kind,
  remote_id: row.remote_id,
  global_id: row.global_id,
  delta: {
    quantity: row.d_quantity,
    available: row.d_quantity - row.d_held - row.d_sold,
    held: row.d_held,
    sold: row.d_sold,
  },
  actor: row.actor,
  at: row.created_at.toISOString(),
});

export class LedgerStore {
  constructor(private readonly db: Knex) {}

  async entriesOfHold(globalId: string): Promise<LedgerEntry[]> {
    const rows = await this.db<LedgerRow>(TABLE).where({ global_id: globalId }).orderBy('id');
    return rows.map(toEntry);
  }
}
