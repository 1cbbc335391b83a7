// SignalR connection to /hubs/tickets. Authorizes with the seed's handshake after every (re)connect,
// re-subscribes, then asks the app to catch up over REST (after_seq) for anything missed while away.
const EVENTS = ['message', 'edit_message', 'delete_message', 'ticket_closed', 'ticket_created',
  'ticket_updated', 'typing', 'authorized', 'error', 'read', 'status'];

export function createRealtime({ serverUrl, session, handlers, onStatus, onResync }) {
  const subscriptions = new Set();
  let stopped = false;
  let retryTimer = null;
  let attempt = 0;

  const connection = new signalR.HubConnectionBuilder()
    // Token auth, not cookies: withCredentials off keeps CORS simple (no credentialed requests).
    .withUrl(`${serverUrl}/hubs/tickets`, { accessTokenFactory: () => session.freshToken(), withCredentials: false })
    // Never give up: a phone that loses signal for minutes should come back on its own.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(500 * 2 ** ctx.previousRetryCount, 5000) })
    .configureLogging(signalR.LogLevel.None)
    .build();

  for (const name of EVENTS) connection.on(name, (payload) => handlers[name]?.(payload));

  const connected = () => connection.state === signalR.HubConnectionState.Connected;

  async function authorizeAndSubscribe() {
    await connection.invoke('authorize', { token: await session.freshToken() });
    // A refused subscription (ticket deleted meanwhile) must not tear down the whole connection.
    for (const id of subscriptions) await connection.invoke('subscribe', id).catch(() => {});
    attempt = 0;
    onStatus('connected');
    onResync();
  }

  async function start() {
    clearTimeout(retryTimer);
    if (stopped || connection.state !== signalR.HubConnectionState.Disconnected) return;
    onStatus('connecting');
    try {
      await connection.start();
      await authorizeAndSubscribe();
    } catch {
      if (connection.state === signalR.HubConnectionState.Connected) await connection.stop().catch(() => {});
      scheduleStart();
    }
  }

  function scheduleStart() {
    clearTimeout(retryTimer);
    if (stopped) return;
    onStatus('offline');
    retryTimer = setTimeout(start, Math.min(1000 * 2 ** attempt++, 10000));
  }

  connection.onreconnecting(() => onStatus('reconnecting'));
  connection.onreconnected(() => authorizeAndSubscribe().catch(() => connection.stop()));
  connection.onclose(() => scheduleStart());
  // The browser knows before our backoff does that the network is back.
  window.addEventListener('online', () => { if (!connected()) start(); });

  const invoke = (method, ...args) => (connected() ? connection.invoke(method, ...args).catch(() => {}) : Promise.resolve());

  return {
    start: () => { stopped = false; return start(); },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      subscriptions.clear();
      await connection.stop();
      onStatus('idle');
    },
    subscribe(id) { subscriptions.add(id); return invoke('subscribe', id); },
    unsubscribe(id) { subscriptions.delete(id); return invoke('unsubscribe', id); },
    typing: (id) => invoke('typing', id),
    // A refreshed token is handed to the hub too, in case it checks expiry on live connections.
    reauthorize: (token) => invoke('authorize', { token }),
  };
}
