import { t } from './i18n.js';

// Errors the UI knows how to explain. Bodies follow the ticket server's shape {error, message, errors?}.
export class ApiError extends Error {
  constructor(status, code, message, { retryAfter = null, errors = null } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.errors = errors;
  }
}

export class NetworkError extends Error {
  constructor(message = t('cannotReachServer')) {
    super(message);
  }
}

export class SessionExpiredError extends Error {
  constructor(message = t('sessionEnded')) {
    super(message);
  }
}

// Retry-After is only readable cross-origin when the server exposes it (CORS); fall back to a
// short wait rather than leaving the user stuck.
export async function toApiError(response) {
  const body = await response.json().catch(() => null);
  const header = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  const retryAfter = response.status === 429 ? (Number.isFinite(header) ? header : 10) : null;
  const message = body?.message ?? t('requestFailed', { status: response.status });
  return new ApiError(response.status, body?.error ?? 'ERROR', message, { retryAfter, errors: body?.errors ?? null });
}
