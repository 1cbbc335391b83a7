import { NetworkError, toApiError } from './errors.js';

// REST client for the ticket server (/api/v1), straight from the browser (CORS), never proxied.
export function createTicketApi(serverUrl, session) {
  async function request(method, path, { body, query, headers = {}, retried = false } = {}) {
    const url = new URL(`${serverUrl}/api/v1${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
    }
    const token = await session.freshToken();
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new NetworkError();
    }
    // A 401 usually means the token just expired (laptop slept, clock skew): refresh once and retry.
    if (response.status === 401 && !retried) {
      await session.refresh();
      return request(method, path, { body, query, headers, retried: true });
    }
    if (!response.ok) throw await toApiError(response);
    return response.status === 204 ? null : response.json();
  }

  // XHR, not fetch: only XHR reports upload progress.
  async function upload(id, file, onProgress, retried = false) {
    const token = await session.freshToken();
    const response = await new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${serverUrl}/api/v1/tickets/${encodeURIComponent(id)}/attachments`);
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
      xhr.onload = () => resolve(new Response(xhr.responseText || null, { status: xhr.status, headers: { 'Content-Type': 'application/json' } }));
      xhr.onerror = () => reject(new NetworkError());
      const form = new FormData();
      form.append('file', file, file.name || 'pasted.png');
      xhr.send(form);
    });
    if (response.status === 401 && !retried) {
      await session.refresh();
      return upload(id, file, onProgress, true);
    }
    if (!response.ok) throw await toApiError(response);
    return response.json();
  }

  const t = (id) => `/tickets/${encodeURIComponent(id)}`;
  const m = (id, messageId) => `${t(id)}/messages/${encodeURIComponent(messageId)}`;

  return {
    listTickets: (filters) => request('GET', '/tickets', { query: { limit: 50, ...filters } }),
    getTicket: (id) => request('GET', t(id)),
    createTicket: (ticket) => request('POST', '/tickets', { body: ticket }),
    updateTicket: (id, patch) => request('PATCH', t(id), { body: patch }),
    closeTicket: (id) => request('POST', `${t(id)}/close`, { body: {} }),
    reopenTicket: (id) => request('POST', `${t(id)}/reopen`, { body: {} }),
    listMessages: (id, afterSeq = 0) => request('GET', `${t(id)}/messages`, { query: { after_seq: afterSeq, limit: 100 } }),
    // The idempotency key makes a retry after a dropped response safe (no duplicate message).
    sendMessage: (id, message, idempotencyKey) =>
      request('POST', `${t(id)}/messages`, { body: message, headers: { 'Idempotency-Key': idempotencyKey } }),
    editMessage: (id, messageId, content) => request('PATCH', m(id, messageId), { body: { content } }),
    deleteMessage: (id, messageId) => request('DELETE', m(id, messageId)),
    uploadFile: upload,
    markRead: (id, seq) => request('POST', `${t(id)}/read`, { body: { seq } }),
    requestClose: (id) => request('POST', `${t(id)}/close-request`, { body: {} }),
    acceptCloseRequest: (id) => request('POST', `${t(id)}/close-request/accept`),
    declineCloseRequest: (id) => request('POST', `${t(id)}/close-request/decline`),
    rateTicket: (id, rating) => request('POST', `${t(id)}/rating`, { body: rating }),
    // A fresh short-lived signed link: <img src> cannot carry the bearer token.
    getAttachment: (id, attachmentId) => request('GET', `${t(id)}/attachments/${encodeURIComponent(attachmentId)}`),
  };
}
