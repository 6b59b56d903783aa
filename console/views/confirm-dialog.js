/**
 * The page's one modal dialog (`#confirm-dialog`): a title, a text, optional form fields, and two
 * buttons, the action and `dismiss`. Escape or the dismiss button close it without the action; the
 * action button submits the fields, so the browser checks them first (required, maxlength).
 */
function openDialog({ title, text, action, dismiss = 'Cancel', fields = [] }) {
  const dialog = document.getElementById('confirm-dialog');
  const form = dialog.querySelector('form');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-fields').replaceChildren(...fields);
  document.getElementById('confirm-dismiss').textContent = dismiss;
  document.getElementById('confirm-accept').textContent = action;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        const values = dialog.returnValue === 'confirm' ? new FormData(form) : null;
        document.getElementById('confirm-fields').replaceChildren();
        resolve(values);
      },
      { once: true },
    );
  });
}

/** Asks for confirmation; answers true when `action` was chosen. */
export const confirmAction = async (options) => (await openDialog(options)) !== null;

/** Asks for confirmation with `fields` (form controls, named): answers their FormData, or null when dismissed. */
export const askAction = (options) => openDialog(options);
