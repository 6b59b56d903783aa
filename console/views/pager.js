import { h } from '../dom.js';

/**
 * Keyset paging controls. The gateway gives each page a `next_cursor`; going back needs the cursors of
 * the pages before, so they are kept on a stack. `onPage()` is called to load the page at `cursor`.
 */
export function createPager(label, onPage) {
  let before = [];
  let cursor;
  let next = null;

  const previousButton = h('button', { type: 'button', class: 'button-quiet', onclick: () => go(before.pop(), false) }, '← Previous page');
  const nextButton = h('button', { type: 'button', class: 'button-quiet', onclick: () => go(next, true) }, 'Next page →');
  const position = h('span', { class: 'pager-position' });

  function go(target, forward) {
    if (forward) before.push(cursor);
    cursor = target;
    onPage();
  }

  return {
    element: h('nav', { class: 'pager', 'aria-label': label }, previousButton, position, nextButton),
    get cursor() {
      return cursor;
    },
    /** Back to the first page (new filters). */
    reset() {
      before = [];
      cursor = undefined;
      next = null;
    },
    /** After a page has loaded: its `next_cursor`. */
    update(nextCursor) {
      next = nextCursor;
      previousButton.disabled = before.length === 0;
      nextButton.disabled = !next;
      position.textContent = `Page ${before.length + 1}`;
    },
  };
}
