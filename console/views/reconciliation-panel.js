import { errorNotice, h, notice } from '../dom.js';
import { orDash, time } from '../format.js';
import { dataTable } from './data-table.js';
import { targetName } from './delivery-cards.js';

const HOUR_MS = 3_600_000;

const MISMATCH_KINDS = {
  missing_order: 'Order missing',
  quantity_mismatch: 'Ticket count differs',
  tickets_mismatch: 'Ticket numbers differ',
  gateway_key_missing: 'Not the gateway’s order',
  tessitura_order_mismatch: 'Names another Tessitura order',
  order_not_completed: 'Order not completed',
  not_returned: 'Return not recorded',
};

const UNCHECKED_REASONS = {
  unreachable: 'could not be reached',
  not_configured: 'has no store key configured',
  out_of_time: 'ran out of time (try a shorter window)',
};

/** What the gateway expected or the target holds: a count, an id, ticket numbers, a note; null is nothing. */
function value(item) {
  if (item === null || item === undefined) return h('span', { class: 'hint' }, 'nothing');
  if (Array.isArray(item)) return item.map(String).join(', ');
  return typeof item === 'object' ? h('code', {}, JSON.stringify(item)) : String(item);
}

const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function summary(report) {
  const { sales, returns } = report.checked;
  const window = [`Checked ${plural(sales, 'sale')} and ${plural(returns, 'return')} delivered between `, time(report.from), ' and ', time(report.to), '.'];
  if (report.mismatches.length > 0) {
    return notice('error', `${plural(report.mismatches.length, 'mismatch', 'mismatches')} found. `, ...window);
  }
  if (report.unchecked.length > 0) return notice('info', 'No mismatch among what could be checked, but not everything could be. ', ...window);
  if (sales + returns === 0) return notice('info', 'Nothing to compare: no sale or return was delivered in this window.');
  return notice('success', 'Tessitura and SalesVu agree with every sale. ', ...window);
}

const uncheckedList = (unchecked) =>
  unchecked.length === 0
    ? null
    : h(
        'ul',
        { class: 'unchecked' },
        unchecked.map((row) =>
          h('li', {}, `${targetName(row.target)} ${UNCHECKED_REASONS[row.reason] ?? row.reason}: ${plural(row.deliveries, 'delivery', 'deliveries')} not checked. `, h('span', { class: 'hint' }, row.detail)),
        ),
      );

/**
 * Reconciliation: compares the sales (and returns) delivered in the chosen window with what Tessitura and
 * SalesVu hold now, on demand (it reads every order back, so it does not run by itself). `onOpenHold(globalId)`
 * opens a mismatch's hold.
 */
export function createReconciliationPanel({ form, status, report, api, onOpenHold }) {
  const runButton = form.querySelector('button[type="submit"]');

  const mismatchTable = (mismatches) =>
    dataTable({
      caption: 'Mismatches, in the order their deliveries were delivered',
      empty: 'No mismatch.',
      rows: mismatches,
      columns: [
        { label: 'Kind', cell: (row) => h('span', { title: row.kind }, MISMATCH_KINDS[row.kind] ?? row.kind) },
        { label: 'Hold', cell: (row) => h('button', { type: 'button', class: 'link', onclick: () => onOpenHold(row.global_id) }, row.global_id) },
        { label: 'Order', numeric: true, cell: (row) => orDash(row.order_id === null ? null : String(row.order_id)) },
        { label: 'Target', cell: (row) => targetName(row.target) },
        { label: 'Expected', cell: (row) => value(row.expected) },
        { label: 'Found', cell: (row) => value(row.found) },
        { label: 'Detail', cell: (row) => row.detail },
      ],
    });

  async function run() {
    const to = new Date();
    const from = new Date(to.getTime() - Number(new FormData(form).get('window')) * HOUR_MS);
    runButton.disabled = true;
    report.setAttribute('aria-busy', 'true');
    status.replaceChildren(h('p', { class: 'hint' }, 'Reading the orders back from Tessitura and SalesVu…'));
    try {
      const result = await api.reconcile({ from: from.toISOString(), to: to.toISOString() });
      status.replaceChildren(summary(result));
      report.replaceChildren(uncheckedList(result.unchecked) ?? '', result.mismatches.length ? mismatchTable(result.mismatches) : '');
    } catch (error) {
      status.replaceChildren(errorNotice(error, 'Reconciliation'));
      report.replaceChildren();
    } finally {
      runButton.disabled = false;
      report.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });

  return {
    run,
    reset() {
      form.reset();
      status.replaceChildren();
      report.replaceChildren();
    },
  };
}
