// Every string the widget shows, English and German. The language comes from the embedding option
// (SUPPORT_TICKET_CONFIG.lang), then ?lang= on the page, then the page's <html lang>.
const STRINGS = {
  en: {
    support: 'Support', supportChat: 'Support chat', back: 'Back', signOut: 'Sign out', connection: 'Connection',
    signIn: 'Sign in', createAccount: 'Create account', guest: 'Guest', username: 'Username', password: 'Password',
    email: 'Email', demoHint: 'Demo accounts: alice, bob (customers), agent, admin. Password: the name + "-demo".',
    guestHint: 'No account needed. Your tickets stay with this browser session.', yourName: 'Your name (optional)',
    continueAsGuest: 'Continue as guest', filterByStatus: 'Filter by status', allTickets: 'All tickets',
    notClosed: 'Not closed', OPEN: 'Open', IN_PROGRESS: 'In progress', WAITING: 'Waiting', CLOSED: 'Closed',
    NORMAL: 'Normal', URGENT: 'Urgent', CRITICAL: 'Critical', newTicket: 'New ticket', noTickets: 'No tickets yet.',
    topic: 'Topic', whatHappened: 'What happened?', urgency: 'Urgency', openTicket: 'Open ticket', status: 'Status',
    issueLevel: 'Issue level', assignToMe: 'Assign to me', closeTicket: 'Close ticket', ticketClosed: 'This ticket is closed.',
    reopen: 'Reopen', writeMessage: 'Write a message…', message: 'Message', internalNote: 'Internal note', send: 'Send',
    myTickets: 'My tickets', conversation: 'Conversation', you: 'You', edited: 'edited', viaDiscord: 'via discord',
    edit: 'Edit', delete: 'Delete', cancel: 'Cancel', save: 'Save', editMessage: 'Edit message', newMessages: 'New messages',
    typing: '{name} is typing…', roleGuest: 'Guest', roleCustomer: 'Customer', roleAgent: 'Agent', roleAdmin: 'Admin',
    somethingWrong: 'Something went wrong.', tryAgain: 'Something went wrong. Please try again.',
    offlineReconnect: "You're offline or the server is unreachable. We'll reconnect automatically.",
    offlineSync: "You're offline. Messages will sync when you're back.", closedConflict: 'This ticket is closed.',
    ticketGone: 'That ticket no longer exists.', liveFailed: 'Live updates failed.',
    rateLimited: 'Too many requests. You can try again in {seconds}s.',
    attach: 'Attach a file', dropHere: 'Drop files to attach them', attachLimit: 'Images, PDF, text, log or ZIP up to {size}.',
    tooLarge: '{name} is larger than {size}.', uploading: 'Uploading {name}', uploadFailed: 'Upload failed',
    retry: 'Retry', remove: 'Remove', uploaded: 'Ready to send', attachments: 'Files to send', fileSent: 'Sent a file',
    openFile: 'Open {name}', openChat: 'Open support chat', minimize: 'Minimize chat', unreadSuffix: 'unread',
    soundOn: 'Sound on', soundOff: 'Sound off', notifyAsk: 'Get a browser notification when we reply?',
    notifyYes: 'Notify me', notifyNo: 'Not now', replyFrom: 'New reply from {name}',
    cannotReachSignin: 'Cannot reach the sign-in service. Check your connection.',
    cannotReachServer: 'Cannot reach the support server. Check your connection.',
    sessionEnded: 'Your session has ended. Please sign in again.', requestFailed: 'Request failed ({status})',
    seen: 'Seen', awayAt: "We're back at {time} (your time); we'll email you the answer.",
    awayOn: "We're back {day} at {time} (your time); we'll email you the answer.",
    awayUnknown: "We're away right now; we'll email you the answer.",
    autoCloseWarning: 'This ticket will close for inactivity on {when} unless you reply.', system: 'Notice',
    closeRequestAsk: 'Our agent thinks this is solved. May we close the ticket?', closeRequestReason: 'Note: {reason}',
    closeRequestAccept: 'Close', closeRequestDecline: 'Keep open', closeRequestPending: 'Waiting for the customer to confirm the close.',
    askToClose: 'Ask to close', rateLegend: 'How did we do?', rateStar: '{n} of 5 stars', rateComment: 'Comment (optional)',
    rateSubmit: 'Send rating', rateSkip: 'Skip', rateThanks: 'Thank you for your rating!',
    rateAlready: 'This ticket has been rated already. Thank you!', rateChoose: 'Choose 1 to 5 stars first.',
  },
  de: {
    support: 'Support', supportChat: 'Support-Chat', back: 'Zurück', signOut: 'Abmelden', connection: 'Verbindung',
    signIn: 'Anmelden', createAccount: 'Konto erstellen', guest: 'Gast', username: 'Benutzername', password: 'Passwort',
    email: 'E-Mail', demoHint: 'Demokonten: alice, bob (Kunden), agent, admin. Passwort: der Name + "-demo".',
    guestHint: 'Kein Konto nötig. Ihre Tickets bleiben bei dieser Browsersitzung.', yourName: 'Ihr Name (optional)',
    continueAsGuest: 'Als Gast fortfahren', filterByStatus: 'Nach Status filtern', allTickets: 'Alle Tickets',
    notClosed: 'Nicht geschlossen', OPEN: 'Offen', IN_PROGRESS: 'In Bearbeitung', WAITING: 'Wartend', CLOSED: 'Geschlossen',
    NORMAL: 'Normal', URGENT: 'Dringend', CRITICAL: 'Kritisch', newTicket: 'Neues Ticket', noTickets: 'Noch keine Tickets.',
    topic: 'Betreff', whatHappened: 'Was ist passiert?', urgency: 'Dringlichkeit', openTicket: 'Ticket eröffnen', status: 'Status',
    issueLevel: 'Dringlichkeit', assignToMe: 'Mir zuweisen', closeTicket: 'Ticket schließen', ticketClosed: 'Dieses Ticket ist geschlossen.',
    reopen: 'Wieder öffnen', writeMessage: 'Nachricht schreiben…', message: 'Nachricht', internalNote: 'Interne Notiz', send: 'Senden',
    myTickets: 'Meine Tickets', conversation: 'Unterhaltung', you: 'Sie', edited: 'bearbeitet', viaDiscord: 'über Discord',
    edit: 'Bearbeiten', delete: 'Löschen', cancel: 'Abbrechen', save: 'Speichern', editMessage: 'Nachricht bearbeiten', newMessages: 'Neue Nachrichten',
    typing: '{name} schreibt…', roleGuest: 'Gast', roleCustomer: 'Kunde', roleAgent: 'Mitarbeiter', roleAdmin: 'Admin',
    somethingWrong: 'Etwas ist schiefgegangen.', tryAgain: 'Etwas ist schiefgegangen. Bitte versuchen Sie es erneut.',
    offlineReconnect: 'Sie sind offline oder der Server ist nicht erreichbar. Wir verbinden uns automatisch neu.',
    offlineSync: 'Sie sind offline. Nachrichten werden synchronisiert, sobald Sie wieder online sind.', closedConflict: 'Dieses Ticket ist geschlossen.',
    ticketGone: 'Dieses Ticket gibt es nicht mehr.', liveFailed: 'Live-Aktualisierung fehlgeschlagen.',
    rateLimited: 'Zu viele Anfragen. Sie können es in {seconds} s erneut versuchen.',
    attach: 'Datei anhängen', dropHere: 'Dateien hier ablegen, um sie anzuhängen', attachLimit: 'Bilder, PDF, Text, Log oder ZIP bis {size}.',
    tooLarge: '{name} ist größer als {size}.', uploading: '{name} wird hochgeladen', uploadFailed: 'Hochladen fehlgeschlagen',
    retry: 'Erneut versuchen', remove: 'Entfernen', uploaded: 'Bereit zum Senden', attachments: 'Zu sendende Dateien', fileSent: 'Datei gesendet',
    openFile: '{name} öffnen', openChat: 'Support-Chat öffnen', minimize: 'Chat minimieren', unreadSuffix: 'ungelesen',
    soundOn: 'Ton an', soundOff: 'Ton aus', notifyAsk: 'Möchten Sie eine Browser-Benachrichtigung, wenn wir antworten?',
    notifyYes: 'Benachrichtigen', notifyNo: 'Jetzt nicht', replyFrom: 'Neue Antwort von {name}',
    cannotReachSignin: 'Der Anmeldedienst ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.',
    cannotReachServer: 'Der Support-Server ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.',
    sessionEnded: 'Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an.', requestFailed: 'Anfrage fehlgeschlagen ({status})',
    seen: 'Gesehen', awayAt: 'Wir sind um {time} Uhr (Ihre Zeit) wieder da; wir antworten Ihnen per E-Mail.',
    awayOn: 'Wir sind {day} um {time} Uhr (Ihre Zeit) wieder da; wir antworten Ihnen per E-Mail.',
    awayUnknown: 'Wir sind gerade nicht da; wir antworten Ihnen per E-Mail.',
    autoCloseWarning: 'Dieses Ticket wird am {when} wegen Inaktivität geschlossen, wenn Sie nicht antworten.', system: 'Hinweis',
    closeRequestAsk: 'Unser Mitarbeiter hält das Anliegen für gelöst. Dürfen wir das Ticket schließen?', closeRequestReason: 'Hinweis: {reason}',
    closeRequestAccept: 'Schließen', closeRequestDecline: 'Offen lassen', closeRequestPending: 'Wartet auf die Bestätigung des Kunden.',
    askToClose: 'Schließen vorschlagen', rateLegend: 'Wie zufrieden waren Sie?', rateStar: '{n} von 5 Sternen', rateComment: 'Kommentar (optional)',
    rateSubmit: 'Bewertung senden', rateSkip: 'Überspringen', rateThanks: 'Vielen Dank für Ihre Bewertung!',
    rateAlready: 'Dieses Ticket wurde bereits bewertet. Vielen Dank!', rateChoose: 'Bitte wählen Sie zuerst 1 bis 5 Sterne.',
  },
};

const wanted = window.SUPPORT_TICKET_CONFIG?.lang ?? new URLSearchParams(location.search).get('lang')
  ?? document.documentElement.lang ?? 'en';
export const lang = wanted.toLowerCase().split('-')[0] in STRINGS ? wanted.toLowerCase().split('-')[0] : 'en';
// Dates follow the browser's own locale when it speaks the widget's language (de-AT, en-GB), and the browser's time zone.
export const locale = navigator.languages?.find((l) => l.toLowerCase().startsWith(lang)) ?? lang;

export function t(key, vars = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? '');
}

// Static markup: data-i18n="key" sets the text, data-i18n-attr="aria-label:key;placeholder:key" sets attributes.
export function translate(root) {
  document.documentElement.lang = lang;
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      node.setAttribute(attr, t(key));
    }
  }
}

export function formatBytes(bytes) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}
