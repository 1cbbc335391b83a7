import { locale, t } from './i18n.js';

// Tiny DOM helpers. Everything user-supplied goes through textContent, never innerHTML.
export const $ = (root, testId) => root.querySelector(`[data-testid="${testId}"]`);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'testid') node.dataset.testid = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

export function formatTime(unixSeconds) {
  const date = new Date(unixSeconds * 1000);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(locale, { month: 'short', day: 'numeric' });
}

// Enum values (OPEN, URGENT …) in the widget's language; anything else lower-cased.
export const label = (value) => {
  const known = t(value ?? '');
  return known !== value ? known.toLowerCase() : (value ?? '').replaceAll('_', ' ').toLowerCase();
};

export function newIdempotencyKey() {
  return crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
