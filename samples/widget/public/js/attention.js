import { $ } from './dom.js';
import { t } from './i18n.js';

// Replies the customer has not seen: a count on the launcher, "(n) …" in the tab title while the tab is hidden,
// a short sound they can turn off, and a browser notification, asked for only after their first message.
export function createAttention(root, launcher) {
  const baseTitle = document.title;
  const store = (() => { try { return window.localStorage; } catch { return null; } })();
  const soundButton = $(root, 'sound-toggle');
  const prompt = $(root, 'notify-prompt');
  let unread = 0;
  let muted = store?.getItem('st-muted') === '1';
  let audio = null;

  const isOpen = () => !root.hidden;
  const watching = () => isOpen() && !document.hidden;

  function render() {
    const badge = $(launcher, 'launcher-unread');
    badge.hidden = unread === 0;
    badge.textContent = unread > 99 ? '99+' : String(unread);
    // The name is the button's own text (no aria-label), so the visible count is part of it.
    $(launcher, 'launcher-label').textContent = unread ? `${t('openChat')}, ` : t('openChat');
    $(launcher, 'launcher-suffix').textContent = unread ? ` ${t('unreadSuffix')}` : '';
    document.title = unread && document.hidden ? `(${unread}) ${baseTitle}` : baseTitle;
    soundButton.setAttribute('aria-pressed', String(!muted));
    soundButton.setAttribute('aria-label', muted ? t('soundOff') : t('soundOn'));
    soundButton.dataset.muted = String(muted);
  }

  function beep() {
    if (muted) return;
    try {
      audio ??= new AudioContext();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.25);
    } catch { /* no audio device: the count and the title still tell */ }
  }

  function notify(message) {
    if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
    try {
      const note = new Notification(t('replyFrom', { name: message.author_name }), { body: message.content, tag: message.ticket_id });
      note.onclick = () => { window.focus(); note.close(); };
    } catch { /* some browsers only notify from a service worker */ }
  }

  soundButton.addEventListener('click', () => {
    muted = !muted;
    store?.setItem('st-muted', muted ? '1' : '0');
    render();
  });
  $(root, 'notify-yes').addEventListener('click', async () => {
    prompt.hidden = true;
    store?.setItem('st-notify-asked', '1');
    await Notification.requestPermission().catch(() => {});
  });
  $(root, 'notify-no').addEventListener('click', () => {
    prompt.hidden = true;
    store?.setItem('st-notify-asked', '1');
  });
  document.addEventListener('visibilitychange', () => { if (watching()) unread = 0; render(); });
  render();

  return {
    // A message from someone else. viewing: its ticket is open on screen.
    incoming(message, viewing) {
      if (!(viewing && watching())) unread += 1;
      beep();
      notify(message);
      render();
    },
    opened() { if (watching()) unread = 0; render(); },
    // After the customer's own first message, never on load.
    sent() {
      if ('Notification' in window && Notification.permission === 'default' && store?.getItem('st-notify-asked') !== '1') prompt.hidden = false;
    },
    get unread() { return unread; },
  };
}
