import { $, el } from './dom.js';
import { t } from './i18n.js';

// Read receipts both ways. "Seen" goes under the viewer's last message the other side has read (their marker from
// the ticket and `read` events, or any later reply of theirs). The widget marks its own side read only while the
// conversation is really in view: widget open, chat shown, tab not hidden.
export function setupReceipts(root, view, { api, session, messages }) {
  const list = $(view, 'message-list');
  let ticket = null;
  let theirSeq = 0;
  let markedSeq = 0;
  let timer = null;

  const isStaffRole = (role) => role === 'AGENT' || role === 'ADMIN';
  const otherSide = () => (session.isStaff ? 'customer' : 'staff');
  const fromOtherSide = (m) => m.author_id !== 'system' && isStaffRole(m.author_role) !== session.isStaff;
  const inView = () => ticket && !root.hidden && !view.hidden && !document.hidden;

  function render() {
    for (const node of list.querySelectorAll('[data-testid="message-seen"]')) node.remove();
    let seen = theirSeq;
    for (const m of messages.values()) if (fromOtherSide(m)) seen = Math.max(seen, m.seq);
    let last = null;
    for (const m of messages.values()) {
      if (m.author_id === session.user?.id && m.seq <= seen && (!last || m.seq > last.seq)) last = m;
    }
    if (!last) return;
    list.querySelector(`[data-id="${CSS.escape(last.id)}"]`)?.append(el('p', { class: 'st-seen', testid: 'message-seen' }, t('seen')));
  }

  function markSoon() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!inView()) return;
      let seq = 0;
      for (const m of messages.values()) seq = Math.max(seq, m.seq);
      if (seq <= markedSeq) return;
      const before = markedSeq;
      markedSeq = seq;
      const id = ticket.id;
      api.markRead(id, seq).catch(() => { if (ticket?.id === id) markedSeq = before; });
    }, 150);
  }

  document.addEventListener('visibilitychange', markSoon);

  return {
    open(next) {
      ticket = next;
      theirSeq = 0;
      markedSeq = 0;
      this.onTicket(next);
    },
    leave() { ticket = null; clearTimeout(timer); },
    onTicket(next) {
      if (next.id !== ticket?.id) return;
      ticket = next;
      theirSeq = Math.max(theirSeq, (session.isStaff ? next.customer_read_seq : next.staff_read_seq) ?? 0);
      markedSeq = Math.max(markedSeq, (session.isStaff ? next.staff_read_seq : next.customer_read_seq) ?? 0);
      render();
    },
    onRead(event) {
      if (event.ticket_id !== ticket?.id || event.side !== otherSide()) return;
      theirSeq = Math.max(theirSeq, event.seq);
      render();
    },
    // After messages changed: redraw "Seen" and mark what is now on screen.
    changed() { render(); markSoon(); },
    markSoon,
  };
}
