import { ApiError, NetworkError, SessionExpiredError, toApiError } from './errors.js';
import { t } from './i18n.js';

// Talks to the trusted backend (same origin). It holds the short-lived ticket-server token in memory
// only; the refresh credential is an HttpOnly cookie this script never sees.
export function createSession({ onChange }) {
  let current = null; // { token, expires_at, user }
  let refreshing = null;
  let timer = null;

  async function post(path, body) {
    let response;
    try {
      response = await fetch(`/auth/${path}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    } catch {
      throw new NetworkError(t('cannotReachSignin'));
    }
    if (!response.ok) throw await toApiError(response);
    return response.status === 204 ? null : response.json();
  }

  function adopt(next) {
    current = next;
    clearTimeout(timer);
    if (next) {
      // Refresh at ~80% of the remaining lifetime so requests never race the expiry.
      const remainingMs = next.expires_at * 1000 - Date.now();
      timer = setTimeout(() => refresh().catch(() => {}), Math.max(1000, remainingMs * 0.8));
    }
    onChange(next);
    return next;
  }

  // Rotating refresh tokens must not be spent twice, so concurrent callers share one request.
  function refresh() {
    refreshing ??= post('refresh')
      .then(adopt)
      .catch((error) => {
        if (error instanceof ApiError && error.status === 401) {
          adopt(null);
          throw new SessionExpiredError();
        }
        throw error;
      })
      .finally(() => { refreshing = null; });
    return refreshing;
  }

  return {
    get user() { return current?.user ?? null; },
    get isStaff() { return ['AGENT', 'ADMIN'].includes(current?.user?.role); },
    signIn: (username, password) => post('signin', { username, password }).then(adopt),
    signUp: (username, email, password) => post('signup', { username, email, password }).then(adopt),
    guest: (name) => post('guest', { name }).then(adopt),
    refresh,
    // Picks up an existing session after a page reload; null when there is none.
    resume: () => refresh().catch((error) => {
      if (error instanceof SessionExpiredError) return null;
      throw error;
    }),
    async signOut() {
      await post('signout').catch(() => {});
      adopt(null);
    },
    async freshToken() {
      if (!current) throw new SessionExpiredError();
      if (current.expires_at * 1000 - Date.now() < 15000) await refresh();
      return current.token;
    },
  };
}
