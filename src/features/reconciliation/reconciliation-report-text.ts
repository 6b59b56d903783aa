import type { ReconciliationReport } from './reconciliation';

/**
 * `npm run cli -- reconcile`'s exit status: 0 when everything checked agrees and nothing was left
 * unchecked, 1 when anything disagrees (whether or not everything could be checked), 3 when nothing
 * disagrees but some deliveries could not be checked (a system unreachable) or the run itself failed.
 * 2 is the CLI's usage error.
 */
export const RECONCILE_EXIT = { clean: 0, mismatches: 1, incomplete: 3 } as const;

export function exitStatusOf(report: ReconciliationReport): number {
  if (report.mismatches.length > 0) return RECONCILE_EXIT.mismatches;
  return report.unchecked.length > 0 ? RECONCILE_EXIT.incomplete : RECONCILE_EXIT.clean;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const shown = (value: unknown) => (value === null || value === undefined ? 'nothing' : Array.isArray(value) ? value.join(', ') || 'none' : String(value));

/** The report as people read it: what was checked, each mismatch, what could not be checked, the verdict. */
export function formatReport(report: ReconciliationReport): string {
  const lines = [
    `Reconciliation of the deliveries delivered from ${report.from} to ${report.to}`,
    `Checked ${plural(report.checked.sales, 'sale')} and ${plural(report.checked.returns, 'return')} against Tessitura and SalesVu.`,
  ];
  if (report.mismatches.length > 0) {
    lines.push('', `${plural(report.mismatches.length, 'mismatch', 'mismatches')}:`);
    for (const m of report.mismatches) {
      lines.push(`  ${m.kind.padEnd(24)} ${m.target.padEnd(9)} hold ${m.global_id}, order ${m.order_id ?? '-'}: expected ${shown(m.expected)}, found ${shown(m.found)}`);
      lines.push(`  ${''.padEnd(24)} ${m.detail}`);
    }
  }
  if (report.unchecked.length > 0) {
    lines.push('', 'Not checked:');
    for (const u of report.unchecked) lines.push(`  ${u.target.padEnd(9)} ${u.reason.padEnd(14)} ${plural(u.deliveries, 'delivery', 'deliveries')}: ${u.detail}`);
  }
  const status = exitStatusOf(report);
  const verdict =
    status === RECONCILE_EXIT.mismatches
      ? `${plural(report.mismatches.length, 'mismatch', 'mismatches')} found`
      : status === RECONCILE_EXIT.incomplete
        ? 'no mismatch among what could be checked, but the check is incomplete'
        : 'everything agrees';
  lines.push('', `Result: ${verdict} (exit status ${status}).`);
  return lines.join('\n');
}
