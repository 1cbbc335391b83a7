import { $, el } from './dom.js';
import { formatBytes, t } from './i18n.js';

// Files waiting to go with the next message: picked with the paperclip, dropped on the chat or pasted.
// Each uploads at once (progress bar); a failed one can be retried; the size limit is said before and checked before.
export function setupUploads(view, { api, maxBytes, ticketId, onChange }) {
  const tray = $(view, 'upload-tray');
  const input = $(view, 'file-input');
  const drop = $(view, 'drop-zone');
  const items = [];
  let nextKey = 1;

  $(view, 'upload-limit').textContent = t('attachLimit', { size: formatBytes(maxBytes) });

  function add(files) {
    for (const file of files) {
      const item = { key: nextKey++, file, status: 'waiting', progress: 0, id: null, error: null,
        thumb: file.type.startsWith('image/') ? URL.createObjectURL(file) : null };
      items.push(item);
      if (file.size > maxBytes) fail(item, t('tooLarge', { name: file.name, size: formatBytes(maxBytes) }), false);
      else start(item);
    }
    render();
  }

  const extension = (name) => (/\.(\w{1,4})$/.exec(name ?? '')?.[1] ?? 'file').toUpperCase();

  function fail(item, message, retryable) {
    Object.assign(item, { status: 'failed', error: message, retryable });
  }

  async function start(item) {
    const id = ticketId();
    Object.assign(item, { status: 'uploading', progress: 0, error: null });
    render();
    try {
      const uploaded = await api.uploadFile(id, item.file, (p) => { item.progress = p; updateProgress(item); });
      Object.assign(item, { status: 'done', id: uploaded.id, progress: 1 });
    } catch (error) {
      // 415 and 413 say why in the server's own words; retrying would not change them.
      fail(item, error?.message || t('uploadFailed'), !(error?.status === 415 || error?.status === 413));
    }
    render();
  }

  function remove(item, focus = true) {
    items.splice(items.indexOf(item), 1);
    if (item.thumb) URL.revokeObjectURL(item.thumb);
    render();
    if (focus) $(view, 'composer-input').focus();
  }

  function updateProgress(item) {
    const bar = tray.querySelector(`[data-key="${item.key}"] progress`);
    if (bar) bar.value = Math.round(item.progress * 100);
  }

  function render() {
    tray.hidden = items.length === 0;
    tray.replaceChildren(...items.map((item) => el('li', { class: `st-upload ${item.status}`, testid: 'upload-item',
      'data-key': item.key, 'data-status': item.status },
    item.thumb ? el('img', { class: 'st-thumb', src: item.thumb, alt: '', testid: 'upload-thumb' }) : el('span', { class: 'st-thumb st-file-icon', 'aria-hidden': 'true' }, extension(item.file.name)),
    el('span', { class: 'st-upload-main' },
      el('span', { class: 'st-upload-name' }, `${item.file.name || 'pasted.png'} · ${formatBytes(item.file.size)}`),
      item.status === 'uploading' && el('progress', { max: 100, value: Math.round(item.progress * 100), testid: 'upload-progress',
        'aria-label': t('uploading', { name: item.file.name }) }),
      item.status === 'done' && el('span', { class: 'st-upload-note' }, t('uploaded')),
      item.error && el('span', { class: 'st-upload-error', testid: 'upload-error', role: 'alert' }, item.error)),
    item.status === 'failed' && item.retryable && el('button', { type: 'button', class: 'st-link-btn', testid: 'upload-retry',
      onclick: () => start(item) }, t('retry')),
    el('button', { type: 'button', class: 'st-icon-btn st-remove', testid: 'upload-remove',
      'aria-label': `${t('remove')}: ${item.file.name}`, onclick: () => remove(item) }, '×'))));
    onChange();
  }

  $(view, 'attach').addEventListener('click', () => input.click());
  input.addEventListener('change', () => { add([...input.files]); input.value = ''; });
  $(view, 'composer-input').addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length) { event.preventDefault(); add(files); }
  });
  let depth = 0;
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  view.addEventListener('dragenter', (event) => { if (hasFiles(event) && !$(view, 'composer').hidden) { depth += 1; drop.hidden = false; } });
  view.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) drop.hidden = true; });
  view.addEventListener('dragover', (event) => { if (hasFiles(event)) event.preventDefault(); });
  view.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    drop.hidden = true;
    if (!$(view, 'composer').hidden) add([...event.dataTransfer.files]);
  });

  return {
    get busy() { return items.some((i) => i.status === 'uploading'); },
    get ids() { return items.filter((i) => i.status === 'done').map((i) => i.id); },
    // Sent: the ready ones go; failed ones stay so the customer sees them.
    clearSent() { for (const item of items.filter((i) => i.status === 'done')) remove(item, false); },
    reset() { for (const item of [...items]) remove(item, false); },
  };
}
