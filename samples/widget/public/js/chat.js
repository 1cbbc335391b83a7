import { $, label, newIdempotencyKey } from './dom.js';
import { editRow, messageRow } from './messages.js';
import { t } from './i18n.js';
import { setupUploads } from './uploads.js';
import { setupReceipts } from './receipts.js';
import { setupLifecycle } from './lifecycle.js';

// The open ticket: messages kept by id and ordered by seq, so live events, REST responses and
// catch-up batches can overlap without duplicates or gaps.
export function setupChat(root, { api, session, realtime, onTicketChanged, onError, onSent, maxUploadBytes }) {
  const view = root.querySelector('[data-view="chat"]');
  const list = $(view, 'message-list');
  const input = $(view, 'composer-input');
  const composer = $(view, 'composer');
  const typingLine = $(view, 'typing-indicator');
  const messages = new Map();
  // Ids edited while we watched: an edit in the same second as the send leaves updated_at == created_at.
  const edited = new Set();
  let ticket = null;
  let lastSeq = 0;
  let typingTimer = null;
  let lastTypingSent = 0;
  let pending = null; // { content, key }: a retried send reuses its Idempotency-Key
  const links = new Map(); // attachment id -> promise of {url, content_type, …}: one signed link per file while it lasts
  const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)');
  const uploads = setupUploads(view, {
    api, maxBytes: maxUploadBytes, ticketId: () => ticket?.id,
    onChange: () => { const b = $(view, 'composer-send'); if (!b.dataset.blocked) b.disabled = uploads?.busy ?? false; },
  });
  const receipts = setupReceipts(root, view, { api, session, messages });
  const lifecycle = setupLifecycle(view, { api, session, onTicketChanged, onError });
  const lastMessage = () => [...messages.values()].reduce((a, m) => (!a || m.seq > a.seq ? m : a), null);

  function resolveFile(id, fresh) {
    if (fresh || !links.has(id)) links.set(id, api.getAttachment(ticket.id, id));
    return links.get(id);
  }

  const isClosed = () => ticket?.status === 'CLOSED';

  function renderTicket() {
    Object.assign($(view, 'chat-topic'), { textContent: `#${ticket.number ?? ''} ${ticket.topic}`.trim(), title: ticket.topic });
    $(view, 'chat-description').textContent = ticket.description;
    Object.assign($(view, 'chat-status'), { textContent: label(ticket.status), className: `st-badge status-${ticket.status}` });
    Object.assign($(view, 'chat-level'), { textContent: label(ticket.issue_level), className: `st-badge level-${ticket.issue_level}` });
    view.dataset.status = ticket.status;
    view.dataset.ticketId = ticket.id;
    $(view, 'closed-notice').hidden = !isClosed();
    composer.hidden = isClosed();
    $(view, 'close-ticket').hidden = isClosed();
    $(view, 'staff-controls').hidden = !session.isStaff || isClosed();
    $(view, 'composer-internal-label').hidden = !session.isStaff;
    $(view, 'agent-status').value = ticket.status;
    $(view, 'agent-level').value = ticket.issue_level;
    $(view, 'agent-assign').hidden = ticket.assignee_id === session.user?.id;
    for (const message of messages.values()) renderMessage(message);
    lifecycle.render(ticket, lastMessage());
    receipts.changed();
  }

  function renderMessage(message) {
    const row = messageRow(message, {
      me: session.user?.id, staff: session.isStaff, closed: isClosed(), edited: edited.has(message.id),
      onEdit: () => editRow(row, message, {
        onSave: (content) => api.editMessage(ticket.id, message.id, content).then(markEdited).catch(onError),
        onCancel: () => renderMessage(messages.get(message.id) ?? message),
      }),
      onDelete: () => api.deleteMessage(ticket.id, message.id).then(() => remove(message)).catch(onError),
      resolveFile,
    });
    const existing = list.querySelector(`[data-id="${CSS.escape(message.id)}"]`);
    if (existing) { existing.replaceWith(row); return; }
    const after = [...list.children].find((li) => Number(li.dataset.seq) > message.seq);
    list.insertBefore(row, after ?? null);
    list.scrollTo({ top: list.scrollHeight, behavior: reducedMotion?.matches ? 'auto' : 'smooth' });
  }

  function upsert(message) {
    const known = messages.get(message.id);
    if (known && known.updated_at > message.updated_at) return;
    messages.set(message.id, message);
    lastSeq = Math.max(lastSeq, message.seq);
    renderMessage(message);
    lifecycle.render(ticket, lastMessage());
    receipts.changed();
  }

  function markEdited(message) {
    edited.add(message.id);
    upsert(message);
  }

  function remove(message) {
    messages.delete(message.id);
    list.querySelector(`[data-id="${CSS.escape(message.id)}"]`)?.remove();
    receipts.changed();
  }

  async function catchUp() {
    const id = ticket?.id;
    while (id && ticket?.id === id) {
      const batch = await api.listMessages(id, lastSeq);
      if (ticket?.id !== id) return;
      batch.forEach(upsert);
      if (batch.length < 100) return;
    }
  }

  function showTyping(username) {
    typingLine.textContent = t('typing', { name: username });
    typingLine.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typingLine.hidden = true; }, 4000);
  }

  async function send() {
    const files = uploads.ids;
    const content = input.value.trim() || (files.length ? t('fileSent') : '');
    if (!content || !ticket || uploads.busy) return;
    if (pending?.content !== content || pending?.files !== files.join()) pending = { content, files: files.join(), key: newIdempotencyKey() };
    const button = $(view, 'composer-send');
    button.disabled = true;
    try {
      const internal = session.isStaff && $(view, 'composer-internal').checked;
      const body = files.length ? { content, internal, attachments: files } : { content, internal };
      upsert(await api.sendMessage(ticket.id, body, pending.key));
      pending = null;
      input.value = '';
      uploads.clearSent();
      onSent?.();
      lastTypingSent = 0; // a send ends the burst: the next keystroke starts a new one
    } catch (error) {
      onError(error); // the text stays in the box so nothing typed is lost
    } finally {
      if (!button.dataset.blocked) button.disabled = uploads.busy;
    }
  }

  composer.addEventListener('submit', (event) => { event.preventDefault(); send(); });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); send(); }
  });
  input.addEventListener('input', () => {
    // At most one typing signal every 2 s: enough for the indicator, cheap for the hub's rate limit.
    if (ticket && Date.now() - lastTypingSent > 2000) {
      lastTypingSent = Date.now();
      realtime.typing(ticket.id);
    }
  });

  const act = (promise) => promise.then(onTicketChanged).catch(onError);
  $(view, 'close-ticket').addEventListener('click', () => act(api.closeTicket(ticket.id)));
  $(view, 'reopen-ticket').addEventListener('click', () => act(api.reopenTicket(ticket.id)));
  $(view, 'agent-status').addEventListener('change', (e) => act(api.updateTicket(ticket.id, { status: e.target.value })));
  $(view, 'agent-level').addEventListener('change', (e) => act(api.updateTicket(ticket.id, { issue_level: e.target.value })));
  $(view, 'agent-assign').addEventListener('click', () =>
    act(api.updateTicket(ticket.id, { assignee_id: session.user.id, status: 'IN_PROGRESS' })));

  return {
    get ticketId() { return ticket?.id ?? null; },
    async open(next) {
      if (ticket && ticket.id !== next.id) realtime.unsubscribe(ticket.id);
      ticket = next;
      messages.clear();
      edited.clear();
      links.clear();
      uploads.reset();
      list.replaceChildren();
      lastSeq = 0;
      typingLine.hidden = true;
      receipts.open(next);
      renderTicket();
      realtime.subscribe(next.id);
      await catchUp();
    },
    leave() {
      if (ticket) realtime.unsubscribe(ticket.id);
      receipts.leave();
      ticket = null;
    },
    catchUp,
    // Live events for the open ticket; returns false when the event belongs to another ticket.
    onMessage(message) {
      if (message.ticket_id !== ticket?.id) return false;
      // The server never sends internal notes to customers; this only guards against a misrouted event.
      if (message.internal && !session.isStaff) return true;
      // A jump in seq means events were missed: fetch the gap instead of showing a hole.
      if (message.seq > lastSeq + 1) catchUp().catch(onError); else upsert(message);
      if (message.author_id !== session.user?.id) typingLine.hidden = true;
      return true;
    },
    onEdit(message) { if (message.ticket_id === ticket?.id) markEdited(message); },
    onDelete(message) { if (message.ticket_id === ticket?.id) remove(message); },
    onTicket(next) {
      if (next.id !== ticket?.id) return;
      ticket = next;
      receipts.onTicket(next);
      renderTicket();
    },
    onRead: (event) => receipts.onRead(event),
    // The widget was opened or the chat came back into view.
    viewed: () => receipts.markSoon(),
    onTyping(event) {
      if (event.ticket_id === ticket?.id && event.user_id !== session.user?.id) showTyping(event.username);
    },
  };
}
