/*
 * Where the widget runs: its script tag (bot, server, language) and one widget per bot per page.
 */

const script =
  document.currentScript ||
  Array.from(document.querySelectorAll('script[data-bot]')).find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src));
if (!script || !script.src) return;
const BOT_ID = (script.getAttribute('data-bot') || '').trim();
const ORIGIN = new URL(script.src, location.href).origin;
const WS_ORIGIN = ORIGIN.replace(/^http/, 'ws');
const API = ORIGIN + '/api/v1/widget';
const STORAGE_KEY = 'baton.widget.v1.' + BOT_ID;

/**
 * The visitor's language as a BCP 47 tag: the script's data-lang, else the page's <html lang>,
 * else the browser's first preference. The server serves the texts of its primary subtag
 * (English when it does not speak that language).
 */
const LANG_TAG = (() => {
  const candidates = [script.getAttribute('data-lang'), document.documentElement.getAttribute('lang')];
  if (navigator.languages) candidates.push(...navigator.languages);
  candidates.push(navigator.language);
  for (const c of candidates) {
    const tag = String(c || '').trim();
    if (/^[A-Za-z0-9-]{1,35}$/.test(tag)) return tag;
  }
  return 'en';
})();

window.__batonWidgets = window.__batonWidgets || {};
if (!BOT_ID || window.__batonWidgets[BOT_ID]) return;
window.__batonWidgets[BOT_ID] = true;
