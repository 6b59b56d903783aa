import type { Knex } from 'knex';

const TABLES = ['listings', 'holds', 'ledger_entries', 'invoices', 'deliveries', 'delivery_events', 'api_keys', 'webhook_endpoints', 'partner_events', 'cancellations'];

/** Row count and an md5 of every row of each table that holds state: equal fingerprints, unchanged data. */
export async function databaseFingerprint(knex: Knex): Promise<Record<string, string>> {
  const perTable = TABLES.map(
    (table) => `SELECT '${table}' AS name,
                       count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') AS fingerprint
                FROM ${table} t`,
  );
  const { rows } = await knex.raw<{ rows: { name: string; fingerprint: string }[] }>(perTable.join(' UNION ALL '));
  return Object.fromEntries(rows.map((row) => [row.name, row.fingerprint]));
}
