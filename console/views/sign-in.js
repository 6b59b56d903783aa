/** The sign-in form: hands the typed key to `onSignIn(key)` and shows why the last session ended. */
export function createSignIn(section, { onSignIn }) {
  const form = section.querySelector('form');
  const message = section.querySelector('[role="alert"]');
  const submit = form.querySelector('button[type="submit"]');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = form.elements.key.value.trim();
    if (!key) return;
    submit.disabled = true;
    message.replaceChildren();
    try {
      await onSignIn(key);
    } finally {
      submit.disabled = false;
    }
  });

  return {
    /** Shows the form, with `notice` (an element) saying why, if given. */
    show(notice) {
      section.hidden = false;
      form.reset();
      message.replaceChildren(notice ?? '');
      form.elements.key.focus();
    },
    hide() {
      section.hidden = true;
      form.reset();
      message.replaceChildren();
    },
  };
}
