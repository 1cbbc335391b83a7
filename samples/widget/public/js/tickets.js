import { $, el, formatTime, label } from './dom.js';
import { t } from './i18n.js';

// The ticket list (own tickets for customers and guests, all tickets for staff) and the new-ticket form.
export function setupTickets(root, { api, session, onOpen, onError }) {
  const list = $(root, 'ticket-list');
  const empty = $(root, 'ticket-list-empty');
  const filter = $(root, 'status-filter');
  const form = $(root, 'new-ticket-form');
  const tickets = new Map();
  const unread = new Set();

  function render() {
    const visible = [...tickets.values()]
      .filter((t) => matches(t, filter.value))
      .sort((a, b) => b.updated_at - a.updated_at);
    list.replaceChildren(...visible.map(row));
    empty.hidden = visible.length > 0;
  }

  // "ACTIVE" is the staff queue: everything not closed (the server filters one status at a time).
  function matches(ticket, wanted) {
    if (wanted === 'ACTIVE') return ticket.status !== 'CLOSED';
    return !wanted || ticket.status === wanted;
  }

  function row(ticket) {
    const meta = [`#${ticket.number ?? ticket.id}`, formatTime(ticket.updated_at)];
    if (session.isStaff) meta.splice(1, 0, ticket.username ?? ticket.user_id);
    return el('li', {},
      el('button', { type: 'button', class: 'st-ticket', testid: 'ticket-item', 'data-ticket-id': ticket.id,
        'data-status': ticket.status, onclick: () => onOpen(ticket) },
        el('span', { class: 'st-ticket-main' },
          el('span', { class: 'st-ticket-topic', testid: 'ticket-item-topic' }, ticket.topic),
          el('span', { class: 'st-ticket-meta' }, meta.join(' · '))),
        el('span', { class: 'st-ticket-badges' },
          unread.has(ticket.id) && el('span', { class: 'st-dot', testid: 'ticket-unread', title: t('newMessages') }),
          ticket.issue_level !== 'NORMAL' && el('span', { class: `st-badge level-${ticket.issue_level}` }, label(ticket.issue_level)),
          el('span', { class: `st-badge status-${ticket.status}`, testid: 'ticket-item-status' }, label(ticket.status)))));
  }

  filter.addEventListener('change', () => load().catch(onError));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const button = $(form, 'ticket-submit');
    button.disabled = true;
    try {
      const ticket = await api.createTicket({
        topic: data.get('topic').trim(),
        description: data.get('description').trim(),
        issue_level: data.get('issue_level'),
      });
      form.reset();
      upsert(ticket);
      onOpen(ticket);
    } catch (error) {
      onError(error);
    } finally {
      button.disabled = false;
    }
  });

  async function load() {
    const status = filter.value === 'ACTIVE' ? '' : filter.value;
    const rows = await api.listTickets(status ? { status } : {});
    tickets.clear();
    for (const ticket of rows) tickets.set(ticket.id, ticket);
    render();
  }

  function upsert(ticket) {
    const known = tickets.get(ticket.id);
    // Events can arrive out of order with REST responses; keep the newest version.
    if (!known || ticket.updated_at >= known.updated_at) tickets.set(ticket.id, ticket);
    render();
  }

  return {
    load,
    upsert,
    get: (id) => tickets.get(id),
    markUnread(id, isUnread) {
      if (isUnread) unread.add(id); else unread.delete(id);
      render();
    },
    // Staff start on their queue, customers on everything they ever opened.
    reset() {
      tickets.clear();
      unread.clear();
      filter.value = session.isStaff ? 'ACTIVE' : '';
      render();
    },
  };
}
