import { h } from '../dom.js';
import { askAction } from './confirm-dialog.js';

const REASON_MAX = 500;

/** The API takes the reason as one line of text (no control characters): line breaks and tabs become a space. */
const oneLine = (text) => text.replace(/\s*[\r\n\t]+\s*/g, ' ').trim();

/** The reason: required, at most 500 characters, and more than spaces. */
function reasonField() {
  const input = h('textarea', { id: 'cancel-reason', name: 'reason', rows: '3', maxlength: String(REASON_MAX), required: true, 'aria-describedby': 'cancel-reason-hint' });
  input.addEventListener('input', () => input.setCustomValidity(input.value.trim() || !input.value ? '' : 'Write the reason, not only spaces.'));
  return h(
    'div',
    { class: 'field' },
    h('label', { for: 'cancel-reason' }, 'Reason'),
    input,
    h('p', { id: 'cancel-reason-hint', class: 'hint' }, `Why the sale is cancelled, up to ${REASON_MAX} characters, kept with it (line breaks become spaces).`),
  );
}

function restockField() {
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { class: 'checkbox' },
      h('input', { type: 'checkbox', name: 'restock', checked: true, 'aria-describedby': 'cancel-restock-hint' }),
      'Put the tickets back on sale',
    ),
    h('p', { id: 'cancel-restock-hint', class: 'hint' }, 'Leave unchecked when they must not be sold again (a cancelled performance, say): they leave the listing.'),
  );
}

/**
 * Asks staff to confirm cancelling an invoiced hold's sale, with the reason and whether its tickets go back
 * on sale. Answers `{ reason, restock }` for the API, or null when staff kept the sale.
 */
export async function askToCancelSale(hold) {
  const values = await askAction({
    title: `Cancel the sale of hold ${hold.global_id}?`,
    text:
      `Order ${hold.invoice.order_id}: its ${hold.quantity} ticket(s) stop being sold at once. What Tessitura and SalesVu ` +
      `recorded of the sale is returned there, and partner ${hold.partner_id} is told. This cannot be undone.`,
    fields: [reasonField(), restockField()],
    action: 'Cancel sale',
    dismiss: 'Keep the sale',
  });
  if (!values) return null;
  return { reason: oneLine(String(values.get('reason'))), restock: values.get('restock') === 'on' };
}
