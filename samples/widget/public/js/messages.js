import { el, formatTime, label } from './dom.js';
import { t } from './i18n.js';

// Files on this server: /api/v1/attachments/{id}/{name}; the widget trades the id for a signed link.
const FILE_LINK = /\/api\/v1\/attachments\/([0-9a-f]{32})\/([^/?#]+)$/;

// One chat row. Own messages get edit/delete; staff may also delete others' messages (DESIGN.md).
export function messageRow(message, { me, staff, closed, edited: seenEdited, onEdit, onDelete, resolveFile }) {
  const mine = message.author_id === me;
  const edited = seenEdited || message.updated_at > message.created_at;
  const canEdit = mine && !closed;
  const canDelete = (mine || staff) && !closed;
  const roleTag = ['AGENT', 'ADMIN'].includes(message.author_role) ? t('support') : null;

  return el('li', {
    class: `st-msg ${mine ? 'mine' : 'theirs'}${message.internal ? ' internal' : ''}`,
    testid: 'message', 'data-id': message.id, 'data-seq': message.seq, 'data-mine': String(mine),
  },
  el('div', { class: 'st-msg-meta' },
    el('span', { testid: 'message-author' }, mine ? t('you') : message.author_name),
    roleTag && el('span', { class: 'st-tag' }, roleTag),
    message.internal && el('span', { class: 'st-tag internal', testid: 'message-internal' }, t('internalNote')),
    el('time', { datetime: new Date(message.created_at * 1000).toISOString() }, formatTime(message.created_at)),
    edited && el('span', { class: 'st-edited', testid: 'message-edited' }, t('edited')),
    message.source === 'DISCORD' && el('span', { class: 'st-tag' }, label(t('viaDiscord')))),
  el('div', { class: 'st-bubble' }, el('p', { testid: 'message-content' }, message.content)),
  message.attachments?.length > 0 && el('div', { class: 'st-files' }, message.attachments.map((url) => fileLink(url, resolveFile))),
  (canEdit || canDelete) && el('div', { class: 'st-msg-actions' },
    canEdit && el('button', { type: 'button', class: 'st-link-btn', testid: 'message-edit', onclick: onEdit }, t('edit')),
    canDelete && el('button', { type: 'button', class: 'st-link-btn st-danger', testid: 'message-delete', onclick: onDelete }, t('delete'))));
}

function fileLink(url, resolveFile) {
  const match = FILE_LINK.exec(url);
  const name = match ? decodeURIComponent(match[2]) : url.split('/').pop();
  const link = el('a', { class: 'st-file', testid: 'message-file', href: match ? '#' : url, target: '_blank', rel: 'noopener noreferrer' }, name);
  if (!match) return link;
  const show = async (retry) => {
    const file = await resolveFile(match[1], retry).catch(() => null);
    if (!file) return;
    link.href = file.url;
    link.dataset.contentType = file.content_type;
    if (!file.content_type.startsWith('image/')) return;
    const img = el('img', { class: 'st-file-img', testid: 'message-image', src: file.url, alt: name, loading: 'lazy' });
    // A link that expired while the page stayed open: ask once for a fresh one.
    img.addEventListener('error', () => { if (!retry) { img.remove(); show(true); } }, { once: true });
    link.replaceChildren(img);
    link.setAttribute('aria-label', t('openFile', { name }));
  };
  show(false);
  return link;
}

// Inline editor that replaces the bubble until saved or cancelled.
export function editRow(row, message, { onSave, onCancel }) {
  const input = el('textarea', { testid: 'message-edit-input', rows: 2, maxlength: 4000, 'aria-label': t('editMessage') });
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
      el('button', { type: 'button', class: 'st-link-btn', testid: 'message-edit-cancel', onclick: onCancel }, t('cancel')),
      el('button', { type: 'button', class: 'st-primary st-small', testid: 'message-edit-save', onclick: save }, t('save'))));
  row.querySelector('.st-bubble').replaceWith(editor);
  row.querySelector('.st-msg-actions:not(.st-edit .st-msg-actions)')?.remove();
  input.focus();
}
