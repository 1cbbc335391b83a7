import { $ } from './dom.js';
import { ApiError, NetworkError, SessionExpiredError } from './errors.js';
import { createSession } from './session.js';
import { createTicketApi } from './api.js';
import { createRealtime } from './realtime.js';
import { setupAuthView } from './auth-view.js';
import { setupTickets } from './tickets.js';
import { setupChat } from './chat.js';
import { createBanner } from './banner.js';
import { t, translate } from './i18n.js';
import { createAttention } from './attention.js';
import { createHours } from './hours.js';

translate(document);
const root = document.getElementById('support-widget');
const launcher = document.querySelector('[data-testid="launcher"]');
const attention = createAttention(root, launcher);
const serverUrl = (window.SUPPORT_TICKET_CONFIG?.ticketServerUrl ?? 'http://localhost:5000').replace(/\/$/, '');

const banner = createBanner(root);
const hours = createHours(root, serverUrl);
hours.refresh();
const session = createSession({ onChange: (next) => {
  $(root, 'whoami').textContent = next ? `${next.user.username} · ${roleName(next.user.role)}` : '';
  $(root, 'signout').hidden = !next;
  root.dataset.role = next?.user.role ?? '';
  if (next) realtime?.reauthorize(next.token);
} });
const api = createTicketApi(serverUrl, session);
const realtime = createRealtime({
  serverUrl,
  session,
  onStatus: (state) => { $(root, 'connection-status').dataset.state = state; $(root, 'connection-status').title = state; },
  // After any (re)connect: pull what was missed while away — tickets and the open chat.
  onResync: () => {
    banner.clear('network');
    Promise.all([tickets.load(), chat.catchUp(), refreshOpenTicket(), hours.refresh()]).catch(handleError);
  },
  handlers: {
    message: (m) => {
      const viewing = chat.onMessage(m) && currentView === 'chat';
      if (!viewing) tickets.markUnread(m.ticket_id, true);
      if (m.author_id !== session.user?.id) attention.incoming(m, viewing);
    },
    edit_message: (m) => chat.onEdit(m),
    delete_message: (m) => chat.onDelete(m),
    ticket_created: (t) => tickets.upsert(t),
    ticket_updated: (t) => { tickets.upsert(t); chat.onTicket(t); },
    ticket_closed: (t) => { tickets.upsert(t); chat.onTicket(t); },
    typing: (e) => chat.onTyping(e),
    read: (e) => chat.onRead(e),
    status: (s) => hours.show(s),
    error: (e) => banner.show('hub', e?.message ?? t('liveFailed')),
  },
});

const tickets = setupTickets(root, { api, session, onOpen: (t) => openTicket(t), onError: handleError });
const chat = setupChat(root, {
  api, session, realtime, onError: handleError, onSent: () => attention.sent(),
  maxUploadBytes: window.SUPPORT_TICKET_CONFIG?.maxUploadBytes ?? 10 * 1024 * 1024,
  onTicketChanged: (t) => { tickets.upsert(t); chat.onTicket(t); },
});
const auth = setupAuthView(root, { session, onSignedIn: enter, describeError });

let currentView = 'auth';
function show(view) {
  currentView = view;
  for (const node of root.querySelectorAll('[data-view]')) node.hidden = node.dataset.view !== view;
  $(root, 'back').hidden = view === 'auth' || view === 'list';
  $(root, 'widget-title').textContent = { auth: t('support'), list: session.isStaff ? t('allTickets') : t('myTickets'),
    new: t('newTicket'), chat: t('conversation') }[view];
  root.dataset.view = view;
}

async function enter() {
  tickets.reset();
  show('list');
  await Promise.all([realtime.start(), tickets.load().catch(handleError)]);
}

async function openTicket(ticket) {
  show('chat');
  attention.opened();
  tickets.markUnread(ticket.id, false);
  await chat.open(ticket).catch(handleError);
}

async function refreshOpenTicket() {
  if (!chat.ticketId) return;
  const fresh = await api.getTicket(chat.ticketId);
  tickets.upsert(fresh);
  chat.onTicket(fresh);
}

function roleName(role) {
  return { TEMP_USER: t('roleGuest'), CUSTOMER: t('roleCustomer'), AGENT: t('roleAgent'), ADMIN: t('roleAdmin') }[role] ?? role;
}

function describeError(error) {
  if (error instanceof ApiError && error.errors?.length) return error.errors.map((e) => e.message).join('. ');
  return error?.message ?? t('somethingWrong');
}

async function leaveSession(message) {
  chat.leave();
  tickets.reset();
  await realtime.stop().catch(() => {});
  show('auth');
  auth.showError(message);
}

function handleError(error) {
  if (error instanceof SessionExpiredError) return leaveSession(error.message);
  if (error instanceof NetworkError) return banner.show('network', t('offlineReconnect'));
  if (error instanceof ApiError) {
    if (error.status === 429) return banner.countdown(error.retryAfter);
    if (error.status === 409) return banner.show('error', error.message || t('closedConflict'));
    if (error.status === 404) return banner.show('error', t('ticketGone'));
    return banner.show('error', describeError(error));
  }
  console.error(error);
  return banner.show('error', t('tryAgain'));
}

$(root, 'back').addEventListener('click', () => {
  chat.leave();
  show('list');
});
$(root, 'new-ticket').addEventListener('click', () => show('new'));
$(root, 'signout').addEventListener('click', async () => {
  await session.signOut();
  await leaveSession(null);
});
window.addEventListener('offline', () => banner.show('network', t('offlineSync')));
window.addEventListener('online', () => banner.clear('network'));

// The launcher opens and closes the widget; closed, replies are counted on it.
function setOpen(open) {
  root.hidden = !open;
  launcher.setAttribute('aria-expanded', String(open));
  document.body.dataset.widgetOpen = String(open);
  if (open) { attention.opened(); chat.viewed(); }
}
launcher.addEventListener('click', () => {
  setOpen(root.hidden);
  if (!root.hidden) root.querySelector('[data-view]:not([hidden]) :is(input, textarea, select, button):not([hidden])')?.focus();
});
$(root, 'minimize').addEventListener('click', () => { setOpen(false); launcher.focus(); });
setOpen(true);

// Resume a session kept by the refresh cookie, so a reload does not sign the user out.
show('auth');
session.resume().then((resumed) => (resumed ? enter() : null)).catch(handleError);

// Tests and embedding sites can observe the widget without reaching into its internals.
window.supportWidget = { get view() { return currentView; } };
