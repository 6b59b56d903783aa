import { badge, errorNotice, h } from '../dom.js';
import { isoFromLocal, time } from '../format.js';
import { dataTable } from './data-table.js';
import { createPager } from './pager.js';

const TIME_FILTERS = new Set(['created_from', 'created_to']);

/** The form's filters as query parameters: empty ones left out, local date-times as ISO instants. */
function readFilters(form) {
  const query = {};
  for (const [name, value] of new FormData(form)) {
    if (value !== '') query[name] = TIME_FILTERS.has(name) ? isoFromLocal(value) : value;
  }
  return query;
}

function holdTable(holds, onOpen) {
  return dataTable({
    caption: 'Holds, newest first',
    empty: 'No hold matches these filters.',
    rows: holds,
    columns: [
      { label: 'Hold', cell: (hold) => h('button', { type: 'button', class: 'link', onclick: () => onOpen(hold.global_id) }, hold.global_id) },
      { label: 'Listing', cell: (hold) => hold.remote_id },
      { label: 'Partner', cell: (hold) => hold.partner_id },
      { label: 'Tickets', numeric: true, cell: (hold) => String(hold.quantity) },
      { label: 'Status', cell: (hold) => badge(hold.status) },
      { label: 'Created', cell: (hold) => time(hold.created_at, 'short') },
      { label: 'Expires', cell: (hold) => time(hold.expires_at, 'short') },
    ],
  });
}

/** Hold search: filters, a page of results, keyset paging; `onOpen(globalId)` opens a hold's timeline. */
export function createHoldSearch({ form, results, api, onOpen }) {
  let filters = {};
  const pager = createPager('Pages of holds', () => show());

  async function show() {
    results.setAttribute('aria-busy', 'true');
    try {
      const page = await api.searchHolds({ ...filters, cursor: pager.cursor });
      pager.update(page.next_cursor);
      results.replaceChildren(holdTable(page.data, onOpen), pager.element);
    } catch (error) {
      results.replaceChildren(errorNotice(error));
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  function search() {
    filters = readFilters(form);
    pager.reset();
    return show();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  form.querySelector('[data-action="clear"]').addEventListener('click', () => {
    form.reset();
    search();
  });

  return {
    load: search,
    /** Reloads the page shown (after a release changed a hold's status). */
    refresh: show,
    reset() {
      form.reset();
      filters = {};
      pager.reset();
      results.replaceChildren();
    },
  };
}
