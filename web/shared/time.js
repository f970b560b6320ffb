/* Reading the server's timestamps and showing times in the browser's locale. */

/** Parses the server's RFC 3339 timestamps (which may carry nanoseconds); null when absent or bad. */
export function parseTime(value) {
  if (!value) return null;
  const t = Date.parse(String(value).replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(t) ? null : t;
}

/** The time of day, hours and minutes, in the browser's locale; '' for none. */
export function clock(t) {
  return t ? new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
}

/** How long ago, in words: "just now", "5 min ago", "2 h ago", else the date. */
export function ago(t) {
  if (!t) return '';
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return new Date(t).toLocaleDateString();
}

/** A running wait: "m:ss", or "h h m min" from an hour on. */
export function elapsed(t) {
  if (!t) return '';
  const s = Math.max(0, Math.floor((Date.now() - t) / 1000));
  const m = Math.floor(s / 60);
  if (m >= 60) return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  return m + ':' + String(s % 60).padStart(2, '0');
}
