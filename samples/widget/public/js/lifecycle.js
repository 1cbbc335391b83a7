import { $, el } from './dom.js';
import { ApiError } from './errors.js';
import { locale, t } from './i18n.js';

// The ticket's lifecycle as the customer meets it: an agent's close request (Close / Keep open), the auto-close
// warning, and the rating offered once after a close. Staff see the pending request and can ask for one.
export function setupLifecycle(view, { api, session, onTicketChanged, onError }) {
  const prompt = $(view, 'close-request');
  const autoClose = $(view, 'autoclose-notice');
  const form = $(view, 'rating-form');
  const stars = $(view, 'rating-stars');
  const thanks = $(view, 'rating-thanks');
  const ratingError = $(view, 'rating-error');
  const store = (() => { try { return window.sessionStorage; } catch { return null; } })();
  let ticket = null;

  for (let n = 1; n <= 5; n += 1) {
    const id = `st-star-${n}`;
    stars.append(
      el('input', { type: 'radio', name: 'score', value: n, id, class: 'st-sr', testid: `rating-star-${n}` }),
      el('label', { for: id, class: 'st-star', title: t('rateStar', { n }) },
        el('span', { 'aria-hidden': 'true' }, '★'), el('span', { class: 'st-sr' }, t('rateStar', { n }))));
  }
  const paint = (score) => stars.querySelectorAll('label').forEach((l, i) => l.classList.toggle('on', i < score));
  const chosen = () => Number(form.querySelector('input[name="score"]:checked')?.value ?? 0);
  stars.addEventListener('change', () => { paint(chosen()); ratingError.hidden = true; });

  const owner = () => ticket && ticket.user_id === session.user?.id;
  const skipKey = () => `st-rating-skipped-${ticket?.id}`;

  function render(next, lastMessage) {
    const changed = next?.id !== ticket?.id;
    ticket = next;
    if (changed) { form.reset(); paint(0); thanks.hidden = true; ratingError.hidden = true; }
    const closed = ticket.status === 'CLOSED';
    if (!closed) thanks.hidden = true;
    const request = !closed && ticket.close_request;
    prompt.hidden = !request;
    if (request) {
      $(prompt, 'close-request-text').textContent = owner() ? t('closeRequestAsk') : t('closeRequestPending');
      const reason = $(prompt, 'close-request-reason');
      reason.hidden = !request.reason;
      reason.textContent = request.reason ? t('closeRequestReason', { reason: request.reason }) : '';
      $(prompt, 'close-request-actions').hidden = !owner();
    }
    $(view, 'agent-close-request').hidden = closed || !!ticket.close_request || !session.isStaff;
    // The server posts the warning as a message from Lifecycle:SystemName; say it in the customer's words and zone.
    const warned = !closed && ticket.auto_close_at && lastMessage?.author_id === 'system';
    autoClose.hidden = !warned;
    autoClose.textContent = warned ? t('autoCloseWarning', { when: formatWhen(ticket.auto_close_at) }) : '';
    const offer = closed && owner() && !ticket.rating && store?.getItem(skipKey()) !== '1' && thanks.hidden;
    form.hidden = !offer;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const score = chosen();
    if (!score) { ratingError.textContent = t('rateChoose'); ratingError.hidden = false; return; }
    const comment = $(form, 'rating-comment').value.trim();
    const button = $(form, 'rating-submit');
    button.disabled = true;
    try {
      const rated = await api.rateTicket(ticket.id, comment ? { score, comment } : { score });
      finish(t('rateThanks'));
      onTicketChanged(rated);
    } catch (error) {
      // 409: rated already (another tab, or a double click that raced): the ticket now says so.
      if (!(error instanceof ApiError && error.status === 409)) { onError(error); return; }
      const fresh = await api.getTicket(ticket.id).catch(() => null);
      if (fresh?.rating) { finish(t('rateAlready')); onTicketChanged(fresh); } else onError(error);
    } finally {
      button.disabled = false;
    }
  });

  function finish(text) {
    thanks.textContent = text;
    thanks.hidden = false;
    form.hidden = true;
    thanks.focus();
  }

  $(form, 'rating-skip').addEventListener('click', () => {
    store?.setItem(skipKey(), '1');
    form.hidden = true;
    $(view, 'reopen-ticket').focus();
  });

  const answer = (call, focus) => call(ticket.id).then((next) => { onTicketChanged(next); focus(); }).catch(onError);
  $(prompt, 'close-request-accept').addEventListener('click', () =>
    answer(api.acceptCloseRequest, () => (form.hidden ? $(view, 'reopen-ticket') : stars.querySelector('input')).focus()));
  $(prompt, 'close-request-decline').addEventListener('click', () =>
    answer(api.declineCloseRequest, () => $(view, 'composer-input').focus()));
  $(view, 'agent-close-request').addEventListener('click', () =>
    api.requestClose(ticket.id).then(onTicketChanged).catch(onError));

  return { render };
}

export function formatWhen(unixSeconds) {
  return new Date(unixSeconds * 1000).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
