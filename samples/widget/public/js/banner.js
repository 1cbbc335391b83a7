import { $ } from './dom.js';
import { t } from './i18n.js';

// One banner line for network loss, rate limits and other failures. While a 429 countdown runs,
// buttons that would hit the server again are disabled.
export function createBanner(root) {
  const node = $(root, 'banner');
  let countdownTimer = null;

  function show(kind, text) {
    if (countdownTimer && kind !== 'ratelimit') return; // the countdown is the more useful message
    node.dataset.kind = kind;
    node.textContent = text;
    node.hidden = false;
    if (kind === 'error' || kind === 'hub') {
      setTimeout(() => clear(kind), 6000);
    }
  }

  function clear(kind) {
    if (kind && node.dataset.kind !== kind) return;
    node.hidden = true;
    node.dataset.kind = '';
  }

  function setBlocked(blocked) {
    for (const id of ['composer-send', 'ticket-submit']) {
      const button = $(root, id);
      button.disabled = blocked;
      if (blocked) button.dataset.blocked = 'true'; else delete button.dataset.blocked;
    }
  }

  function countdown(seconds) {
    clearInterval(countdownTimer);
    let left = Math.max(1, seconds);
    const tick = () => {
      if (left <= 0) {
        clearInterval(countdownTimer);
        countdownTimer = null;
        setBlocked(false);
        clear('ratelimit');
        return;
      }
      show('ratelimit', t('rateLimited', { seconds: left }));
      left -= 1;
    };
    setBlocked(true);
    countdownTimer = setInterval(tick, 1000);
    tick();
  }

  return { show, clear, countdown };
}
