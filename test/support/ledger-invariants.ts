import type { Knex } from 'knex';

/**
 * Recomputes every listing's counters from the ledger and from its holds, and checks the ledger
 * invariants of docs/design.md section 4 from the database alone. Answers one line per violation.
 */
export async function ledgerViolations(knex: Knex): Promise<string[]> {
  const checks: { name: string; sql: string }[] = [
    {
      name: 'counters differ from a replay of the ledger',
      sql: `SELECT l.remote_id, l.quantity, l.held, l.sold, e.quantity AS ledger_quantity, e.held AS ledger_held, e.sold AS ledger_sold
            FROM listings l
            LEFT JOIN (SELECT remote_id, sum(d_quantity)::int AS quantity, sum(d_held)::int AS held, sum(d_sold)::int AS sold
                       FROM ledger_entries GROUP BY remote_id) e USING (remote_id)
            WHERE (l.quantity, l.held, l.sold) IS DISTINCT FROM (e.quantity, e.held, e.sold)`,
    },
    {
      name: 'held or sold differs from the sum of the holds',
      sql: `SELECT l.remote_id, l.held, l.sold, h.held AS holds_held, h.sold AS holds_sold
            FROM listings l
            LEFT JOIN (SELECT remote_id,
                              coalesce(sum(quantity) FILTER (WHERE status = 'held'), 0)::int AS held,
                              coalesce(sum(quantity) FILTER (WHERE status = 'invoiced'), 0)::int AS sold
                       FROM holds GROUP BY remote_id) h USING (remote_id)
            WHERE (l.held, l.sold) IS DISTINCT FROM (coalesce(h.held, 0), coalesce(h.sold, 0))`,
    },
    {
      name: "a partner's held tickets differ from the sum of its open holds",
      sql: `SELECT coalesce(p.partner_id, h.partner_id) AS partner_id, p.held, h.held AS holds_held
            FROM partner_holdings p
            FULL JOIN (SELECT partner_id, sum(quantity)::int AS held FROM holds WHERE status = 'held' GROUP BY partner_id) h USING (partner_id)
            WHERE coalesce(p.held, 0) <> coalesce(h.held, 0)`,
    },
    {
      name: 'counters out of balance',
      sql: `SELECT remote_id FROM listings
            WHERE available <> quantity - held - sold OR available < 0 OR held < 0 OR sold < 0`,
    },
    {
      name: "a hold's ledger entries do not match its status",
      sql: `SELECT h.global_id, h.status, array_agg(e.kind ORDER BY e.id) AS kinds
            FROM holds h LEFT JOIN ledger_entries e USING (global_id)
            GROUP BY h.global_id, h.status
            HAVING array_agg(e.kind ORDER BY e.id) <> CASE h.status
              WHEN 'held' THEN ARRAY['hold']
              WHEN 'released' THEN ARRAY['hold', 'release']
              WHEN 'expired' THEN ARRAY['hold', 'expire']
              WHEN 'cancelled' THEN ARRAY['hold', 'invoice', 'cancel']
              ELSE ARRAY['hold', 'invoice'] END`,
    },
    {
      name: 'invoiced (or cancelled) hold without its invoice and both sale deliveries (or the reverse)',
      sql: `SELECT h.global_id, h.status, i.global_id AS invoice, count(d.id)::int AS deliveries
            FROM holds h
            FULL JOIN invoices i USING (global_id)
            LEFT JOIN deliveries d ON d.global_id = i.global_id AND d.kind = 'sale'
            GROUP BY h.global_id, h.status, i.global_id
            HAVING (h.status IN ('invoiced', 'cancelled')) IS DISTINCT FROM (i.global_id IS NOT NULL)
                OR (i.global_id IS NOT NULL AND count(DISTINCT d.target) <> 2)`,
    },
    {
      name: 'cancelled hold without its cancellation (or the reverse)',
      sql: `SELECT h.global_id, h.status, c.global_id AS cancellation
            FROM holds h FULL JOIN cancellations c USING (global_id)
            WHERE (h.status = 'cancelled') IS DISTINCT FROM (c.global_id IS NOT NULL)`,
    },
  ];
  const violations: string[] = [];
  for (const check of checks) {
    const { rows } = await knex.raw<{ rows: unknown[] }>(check.sql);
    for (const row of rows) violations.push(`${check.name}: ${JSON.stringify(row)}`);
  }
  return violations;
}
