import { el, formatTime, label } from './dom.js';

// One chat row. Own messages get edit/delete; staff may also delete others' messages (DESIGN.md).
export function messageRow(message, { me, staff, closed, edited: seenEdited, onEdit, onDelete }) {
  const mine = message.author_id === me;
  const edited = seenEdited || message.updated_at > message.created_at;
  const canEdit = mine && !closed;
  const canDelete = (mine || staff) && !closed;
  const roleTag = ['AGENT', 'ADMIN'].includes(message.author_role) ? 'Support' : null;

  return el('li', {
    class: `st-msg ${mine ? 'mine' : 'theirs'}${message.internal ? ' internal' : ''}`,
    testid: 'message', 'data-id': message.id, 'data-seq': message.seq, 'data-mine': String(mine),
  },
  el('div', { class: 'st-msg-meta' },
    el('span', { testid: 'message-author' }, mine ? 'You' : message.author_name),
    roleTag && el('span', { class: 'st-tag' }, roleTag),
    message.internal && el('span', { class: 'st-tag internal', testid: 'message-internal' }, 'Internal note'),
    el('time', { datetime: new Date(message.created_at * 1000).toISOString() }, formatTime(message.created_at)),
    edited && el('span', { class: 'st-edited', testid: 'message-edited' }, 'edited'),
    message.source === 'DISCORD' && el('span', { class: 'st-tag' }, label('via Discord'))),
  el('div', { class: 'st-bubble' }, el('p', { testid: 'message-content' }, message.content)),
  (canEdit || canDelete) && el('div', { class: 'st-msg-actions' },
    canEdit && el('button', { type: 'button', class: 'st-link-btn', testid: 'message-edit', onclick: onEdit }, 'Edit'),
    canDelete && el('button', { type: 'button', class: 'st-link-btn st-danger', testid: 'message-delete', onclick: onDelete }, 'Delete')));
}

// Inline editor that replaces the bubble until saved or cancelled.
export function editRow(row, message, { onSave, onCancel }) {
  const input = el('textarea', { testid: 'message-edit-input', rows: 2, maxlength: 4000, 'aria-label': 'Edit message' });
  input.value = message.content;
  const save = async () => {
    const content = input.value.trim();
    if (content && content !== message.content) await onSave(content); else onCancel();
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); save(); }
    if (event.key === 'Escape') onCancel();
  });
  const editor = el('div', { class: 'st-edit' }, input,
    el('div', { class: 'st-msg-actions' },
      el('button', { type: 'button', class: 'st-link-btn', testid: 'message-edit-cancel', onclick: onCancel }, 'Cancel'),
      el('button', { type: 'button', class: 'st-primary st-small', testid: 'message-edit-save', onclick: save }, 'Save')));
  row.querySelector('.st-bubble').replaceWith(editor);
  row.querySelector('.st-msg-actions:not(.st-edit .st-msg-actions)')?.remove();
  input.focus();
}
