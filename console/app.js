import { createApi } from './api.js';
import { errorNotice, h, notice } from './dom.js';
import { session } from './session.js';
import { createHoldSearch } from './views/hold-search.js';
import { createHoldTimeline } from './views/hold-timeline.js';
import { createOutbox } from './views/outbox.js';
import { createReconciliationPanel } from './views/reconciliation-panel.js';
import { createSignIn } from './views/sign-in.js';
import { createSloPanel } from './views/slo-panel.js';

/** Wires the views together and moves between signed out (the form) and signed in (the console). */
const byId = (id) => document.getElementById(id);
const consoleRoot = byId('console');
const signOutButton = byId('sign-out');

const AUTH_FAILURES = {
  401: 'Your API key was not accepted: it is unknown or has been revoked. Sign in again.',
  403: 'This API key may not use the console. Sign in with a staff or admin key.',
};
const authFailureNotice = (error) => notice('error', AUTH_FAILURES[error.status], h('span', { class: 'notice-detail' }, error.message));

const api = createApi({ getKey: () => session.key, onAuthFailure: (error) => signOut(authFailureNotice(error)) });

const timeline = createHoldTimeline({ section: byId('hold-timeline'), api, onChanged: () => holds.refresh() });
const holds = createHoldSearch({ form: byId('hold-filters'), results: byId('hold-results'), api, onOpen: timeline.open });
const outbox = createOutbox({
  summary: byId('outbox-summary'),
  filters: byId('delivery-filters'),
  results: byId('delivery-results'),
  refreshButton: byId('outbox-refresh'),
  api,
  onOpenHold: timeline.open,
});
const reconciliation = createReconciliationPanel({
  form: byId('reconciliation-form'),
  status: byId('reconciliation-status'),
  report: byId('reconciliation-report'),
  api,
  onOpenHold: timeline.open,
});
const slo = createSloPanel({ form: byId('slo-form'), report: byId('slo-report'), api });
const signIn = createSignIn(byId('sign-in'), { onSignIn: startSession });

function showConsole() {
  signIn.hide();
  consoleRoot.hidden = false;
  signOutButton.hidden = false;
  holds.load();
  outbox.load();
  slo.load();
}

function signOut(message) {
  session.signOut();
  consoleRoot.hidden = true;
  signOutButton.hidden = true;
  for (const view of [timeline, holds, outbox, reconciliation, slo]) view.reset();
  signIn.show(message);
}

/** Keeps the key for this tab and checks it with a call only staff and admin keys may make. */
async function startSession(key) {
  session.signIn(key);
  try {
    await api.checkKey();
  } catch (error) {
    // A refused key has already signed out (with its message); any other failure is shown here.
    if (!error.isAuthFailure) signOut(errorNotice(error));
    return;
  }
  showConsole();
}

signOutButton.addEventListener('click', () => signOut(notice('info', 'You are signed out.')));
if (session.key) showConsole();
else signIn.show();
