import { $ } from './dom.js';
import { locale, t } from './i18n.js';

// Business hours: GET /api/v1/status (no token) on load and after reconnects, the hub's `status` event live,
// and a re-check when the announced opening time comes. Closed, the widget says when the team is back, in the
// customer's own clock.
export function createHours(root, serverUrl) {
  const notice = $(root, 'offline-notice');
  let timer = null;

  function show(status) {
    root.dataset.teamOpen = String(status.open);
    notice.hidden = status.open;
    if (status.open) return;
    notice.textContent = describe(status.next_open_at);
    clearTimeout(timer);
    // setTimeout overflows past ~24.8 days; a later opening is picked up by the next reconnect or status event.
    const wait = status.next_open_at ? status.next_open_at * 1000 - Date.now() + 1000 : 0;
    if (wait > 0 && wait < 2 ** 31) timer = setTimeout(refresh, wait);
  }

  async function refresh() {
    try {
      const response = await fetch(`${serverUrl}/api/v1/status`);
      if (response.ok) show(await response.json());
    } catch { /* the connection banner already tells; the last known state stays */ }
  }

  return { refresh, show };
}

function describe(nextOpenAt) {
  if (!nextOpenAt) return t('awayUnknown');
  const when = new Date(nextOpenAt * 1000);
  const time = when.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (when.toDateString() === new Date().toDateString()) return t('awayAt', { time });
  return t('awayOn', { time, day: when.toLocaleDateString(locale, { weekday: 'long' }) });
}
