/*!
 * Baton chat widget.
 *
 *   <script src="https://chat.example.com/widget.js" data-bot="BOT_ID" async></script>
 *
 * Optional attributes: data-accent="#2563eb" (a CSS colour), data-position="left|right",
 * data-lang="de" (the visitor's language; otherwise the page's <html lang>, then the browser's).
 *
 * The widget renders inside a Shadow DOM (the page's styles do not reach it, its styles do not
 * leak out), talks to the server the script was loaded from, and keeps the conversation id, its
 * token and the last sequence number in localStorage (one entry per bot), so a reload resumes the
 * same conversation. Live events come over a WebSocket that reconnects with exponential backoff
 * and resumes from the last sequence number seen (docs/websocket.md). Messages are sent with a
 * client_id, so a retry never creates a duplicate.
 *
 * Every piece of text that comes from the server or the visitor is inserted with textContent;
 * nothing here ever parses data as HTML.
 *
 * The widget's own texts come from the server with the bot (`strings`, in the visitor's language);
 * only the few needed before that answer arrives, or if it never does, are built in (English).
 */
(() => {
  'use strict';

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

  // ---- small helpers --------------------------------------------------------------------------

  /** Builds an element. Strings among the children become text nodes (never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = value;
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return el;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  /** A decorative 24×24 icon from path data. */
  function icon(...paths) {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const d of paths) {
      const p = document.createElementNS(SVG_NS, 'path');
      p.setAttribute('d', d);
      svg.append(p);
    }
    return svg;
  }
  const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
  const ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
  const ICON_SEND = 'M3 11l18-8-8 18-2-8-8-2z';
  const ICON_PERSON = 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0';
  const ICON_CLIP = 'M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7';
  /** Images the server shows inline (their bytes were checked); everything else is a link. */
  const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

  /** A client id: letters, digits and '-' (the server's ClientMessageId rule), random. */
  function newClientId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'w-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  const encoder = new TextEncoder();
  const byteLength = (text) => encoder.encode(text).length;

  /** Parses the server's RFC 3339 timestamps (which may carry nanoseconds). */
  /**
   * A message's text as nodes: each file or image a FreshChat agent sent (`data.links`, each
   * with the placeholder the server wrote in the text) becomes a link named after it. Only
   * http(s) URLs; everything else stays text.
   */
  function withLinks(m) {
    const text = String(m.text || '');
    const links = ((m.data && Array.isArray(m.data.links)) ? m.data.links : []).filter(
      (l) => l && typeof l.placeholder === 'string' && l.placeholder && typeof l.url === 'string' && /^https?:\/\//i.test(l.url),
    );
    const nodes = [];
    let rest = text;
    while (links.length) {
      let first = null;
      let at = -1;
      for (const l of links) {
        const i = rest.indexOf(l.placeholder);
        if (i >= 0 && (at < 0 || i < at)) { at = i; first = l; }
      }
      if (!first) break;
      if (at > 0) nodes.push(rest.slice(0, at));
      const a = h('a', { class: 'file-link', href: first.url, target: '_blank', rel: 'noopener noreferrer' });
      a.textContent = String(first.name || first.url);
      nodes.push(a);
      rest = rest.slice(at + first.placeholder.length);
    }
    if (rest) nodes.push(rest);
    return nodes;
  }

  function parseTime(value) {
    if (!value) return null;
    const t = Date.parse(String(value).replace(/(\.\d{3})\d+/, '$1'));
    return Number.isNaN(t) ? null : new Date(t);
  }

  /**
   * The texts needed before the server's answer arrives (the launcher, the composer, a message
   * sent at once) and those that say why it did not come. Everything else comes from the server's
   * `strings`; these must stay word for word the English ones there.
   */
  const FALLBACK_STRINGS = {
    launcher_open: 'Open chat',
    launcher_open_unread: 'Open chat ({count} new)',
    close_chat: 'Close chat',
    title: 'Chat',
    subtitle_ai: 'AI assistant',
    conversation: 'Conversation',
    composer_placeholder: 'Write a message…',
    message_label: 'Message',
    send_message: 'Send message',
    attach_file: 'Attach a file',
    talk_to_person: 'Talk to a person',
    powered_by: 'Powered by Baton',
    you_said: 'You said:',
    pending_sending: 'Sending…',
    pending_waiting: 'Waiting to send…',
    pending_offline: 'Waiting for the connection…',
    pending_server: 'The server had a problem; retrying…',
    pending_failed: 'Not sent.',
    retry: 'Retry',
    delete: 'Delete',
    error_unknown_bot: 'This chat is not set up correctly (unknown bot).',
    error_bot_gone: 'This chat is no longer available.',
    error_network: "Can't reach the chat right now. Check your connection — we'll keep trying.",
    error_server: 'The chat server had a problem. Please try again in a moment.',
    error_other: 'Something went wrong.',
  };

  /** The texts in use: the built-in ones until the server's arrive (see Widget.loadBot). */
  let strings = FALLBACK_STRINGS;
  /** The language of `strings` (the server's `lang`), and the locale dates are written in. */
  let lang = 'en';
  let locale = 'en-GB';

  /** The text for `key`, with its {placeholders} filled in from `params`. */
  function t(key, params) {
    const text = strings[key] || FALLBACK_STRINGS[key] || '';
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }

  /** Takes the server's texts for the language it chose; dates follow that language too. */
  function useStrings(serverStrings, serverLang) {
    if (!serverStrings || typeof serverStrings !== 'object') return;
    strings = serverStrings;
    lang = typeof serverLang === 'string' && serverLang ? serverLang : 'en';
    const primary = LANG_TAG.split('-')[0].toLowerCase();
    // English availability dates read the British way ("Monday 12 January 09:00"); another
    // language takes the page's region when the page asked for it (pt-BR, de-AT).
    if (lang === 'en') locale = 'en-GB';
    else locale = primary === lang && LANG_TAG.includes('-') ? LANG_TAG : lang;
    try {
      new Intl.DateTimeFormat(locale);
    } catch (_) {
      locale = lang;
    }
    formats = null;
  }

  let formats = null;
  /** Date formats in the current locale, made once per language. */
  function dateFormats() {
    if (!formats) {
      formats = {
        // "09:00": the visitor's local wall-clock time, 24-hour.
        hourMinute: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
        weekday: new Intl.DateTimeFormat(locale, { weekday: 'long' }),
        weekdayDate: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long' }),
        weekdayDateYear: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      };
    }
    return formats;
  }

  /** A message's time; in English, the browser's own locale (12- or 24-hour as the visitor is used to). */
  function clockTime(date) {
    return date ? date.toLocaleTimeString(lang === 'en' ? [] : locale, { hour: '2-digit', minute: '2-digit' }) : '';
  }

  function fullTime(date) {
    return date ? date.toLocaleString(lang === 'en' ? [] : locale) : null;
  }

  const DAY_MS = 24 * 60 * 60 * 1000;

  /**
   * When the team is back, in the visitor's local time zone: "today 17:00", "tomorrow 09:00",
   * "Monday 09:00", or with the date when it is more than six days away ("Monday 12 January 09:00").
   */
  function backInWords(when, now) {
    const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    // Rounded: a day across a daylight-saving change is 23 or 25 hours long.
    const days = Math.round((midnight(when) - midnight(now)) / DAY_MS);
    const f = dateFormats();
    const time = f.hourMinute.format(when);
    if (days <= 0) return t('back_today', { time });
    if (days === 1) return t('back_tomorrow', { time });
    if (days <= 6) return t('back_day', { day: f.weekday.format(when), time });
    const date = when.getFullYear() === now.getFullYear() ? f.weekdayDate : f.weekdayDateYear;
    return t('back_day', { day: date.format(when), time });
  }

  function waitInWords(seconds) {
    if (seconds === null || seconds === undefined) return '';
    if (seconds < 60) return t('wait_under_minute');
    const minutes = Math.round(seconds / 60);
    return minutes === 1 ? t('wait_one_minute') : t('wait_minutes', { minutes });
  }

  function secondsInWords(seconds) {
    return seconds === 1 ? t('seconds_one') : t('seconds_other', { count: seconds });
  }

  const storage = {
    load() {
      try {
        return JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null') || {};
      } catch (_) {
        return {};
      }
    },
    save(value) {
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      } catch (_) {
        // Storage may be full or disabled (private mode, sandboxed frames): the chat still works
        // for this page view.
      }
    },
    clear() {
      try {
        localStorage.removeItem(STORAGE_KEY);
      } catch (_) {
        /* see save() */
      }
    },
  };

  /** An API failure: `network` when the server could not be reached, else the HTTP status. */
  class ApiError extends Error {
    constructor(message, fields) {
      super(message);
      Object.assign(this, fields);
    }
  }

  function safeColor(value) {
    return value && window.CSS && CSS.supports && CSS.supports('color', value) ? value : null;
  }

  // ---- styles (scoped to the shadow root) -----------------------------------------------------

  const CSS_TEXT = `
:host { all: initial; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.root {
  --accent: #2563eb; --accent-text: #fff; --bg: #fff; --fg: #111827; --muted: #6b7280;
  --bot-bg: #f3f4f6; --agent-bg: #ecfdf5; --agent-border: #10b981; --line: #e5e7eb;
  --danger: #b91c1c; --warn-bg: #fff7ed; --warn-border: #f59e0b;
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); text-align: left; direction: ltr;
}
.root.left { right: auto; left: 20px; }
button { font: inherit; cursor: pointer; }
/* A two-tone ring (dark inside, white outside) reads at 3:1 or more on any page and on the accent. */
button:focus-visible, textarea:focus-visible, input:focus-visible, .log:focus-visible { outline: 3px solid #111827; outline-offset: 1px; box-shadow: 0 0 0 4px #fff; }
.head button:focus-visible, .launcher:focus-visible { outline-color: #fff; box-shadow: 0 0 0 4px #111827; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.launcher {
  width: 60px; height: 60px; border-radius: 50%; border: 0; background: var(--accent); color: var(--accent-text);
  box-shadow: 0 6px 20px rgba(0,0,0,.22); display: grid; place-items: center; position: relative; margin-left: auto;
  transition: transform .15s ease;
}
.root.left .launcher { margin-left: 0; }
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 28px; height: 28px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.badge {
  position: absolute; top: -2px; right: -2px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  background: #dc2626; color: #fff; font-size: 12px; font-weight: 700; display: grid; place-items: center;
}
.panel {
  position: absolute; bottom: 76px; right: 0; width: 380px; height: min(620px, calc(100vh - 110px));
  background: var(--bg); border-radius: 16px; box-shadow: 0 12px 48px rgba(0,0,0,.25); overflow: hidden;
  display: flex; flex-direction: column; border: 1px solid var(--line);
}
.root.left .panel { right: auto; left: 0; }
.head { background: var(--accent); color: var(--accent-text); padding: 14px 12px 14px 16px; display: flex; align-items: center; gap: 12px; }
.avatar { width: 38px; height: 38px; border-radius: 50%; background: rgba(255,255,255,.22); display: grid; place-items: center; flex: none; }
.avatar svg { width: 22px; height: 22px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.titles { flex: 1; min-width: 0; }
.titles h2 { margin: 0; font-size: 16px; font-weight: 650; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.titles p { margin: 2px 0 0; font-size: 13px; }
.titles p.status { display: flex; align-items: center; gap: 6px; font-size: 12.5px; opacity: 1; }
.status .dot { width: 8px; height: 8px; border-radius: 50%; flex: none; background: #d1d5db; box-shadow: 0 0 0 2px rgba(255,255,255,.35); }
.status[data-kind="online"] .dot { background: #22c55e; }
.status[data-kind="away"] .dot, .status[data-kind="busy"] .dot { background: #f59e0b; }
.status .status-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.close { background: transparent; border: 0; color: inherit; width: 36px; height: 36px; border-radius: 8px; display: grid; place-items: center; }
.close:hover { background: rgba(255,255,255,.18); }
.close svg { width: 20px; height: 20px; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round; }
.conn { background: #fef3c7; color: #92400e; font-size: 13px; padding: 6px 14px; border-bottom: 1px solid #fde68a; }
.banner { background: var(--warn-bg); border-bottom: 1px solid #fed7aa; padding: 10px 14px; font-size: 14px; display: flex; gap: 10px; align-items: center; }
.banner .text { flex: 1; }
.banner strong { display: block; }
.link-button { background: transparent; border: 1px solid var(--line); border-radius: 999px; padding: 5px 12px; font-size: 13px; color: var(--fg); background: #fff; white-space: nowrap; }
.link-button:hover { border-color: var(--accent); color: var(--accent); }
.log-region { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.log { list-style: none; margin: 0; padding: 14px 12px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; overscroll-behavior: contain; }
.msg { display: flex; flex-direction: column; max-width: 84%; }
.msg .who { font-size: 12px; color: var(--muted); margin: 0 4px 2px; }
.msg .who .tag { display: inline-block; font-size: 10px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; padding: 0 5px; border-radius: 4px; margin-left: 4px; vertical-align: 1px; }
.msg .bubble { padding: 9px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg .sub { font-size: 11px; color: var(--muted); margin: 2px 6px 0; }
.msg.visitor { align-self: flex-end; align-items: flex-end; }
.msg.visitor .bubble { background: var(--accent); color: var(--accent-text); border-bottom-right-radius: 4px; }
.msg.bot { align-self: flex-start; }
.msg.bot .bubble { background: var(--bot-bg); border-bottom-left-radius: 4px; }
.msg.bot .tag { background: #e0e7ff; color: #3730a3; }
.msg.agent { align-self: flex-start; }
.msg.agent .bubble { background: var(--agent-bg); border: 1px solid var(--agent-border); border-bottom-left-radius: 4px; }
.msg.agent .tag { background: #d1fae5; color: #065f46; }
.msg.pending .bubble { opacity: .65; }
.msg.draft .bubble:empty::before { content: "…"; color: var(--muted); }
.msg.draft .sub .dots span { display: inline-block; width: 4px; height: 4px; margin-left: 2px; border-radius: 50%; background: var(--muted); animation: blink 1.2s infinite both; }
.msg.draft .sub .dots span:nth-child(2) { animation-delay: .2s; }
.msg.draft .sub .dots span:nth-child(3) { animation-delay: .4s; }
.msg.failed .bubble { background: #fee2e2; color: var(--danger); border: 1px solid #fca5a5; }
.msg.failed .sub { color: var(--danger); }
.msg .sub button { background: none; border: 0; padding: 0 2px; min-height: 24px; margin-left: 6px; color: inherit; text-decoration: underline; font-size: 11px; font-weight: 600; }
.sys { align-self: center; max-width: 92%; text-align: center; font-size: 13px; color: var(--muted); padding: 4px 10px; }
.sys.important { color: var(--fg); background: var(--warn-bg); border: 1px solid #fed7aa; border-radius: 10px; padding: 8px 12px; }
.sys.joined { color: #065f46; font-weight: 600; }
.sys.retry { color: var(--danger); background: #fef2f2; border: 1px solid #fecaca; border-radius: 10px; padding: 8px 12px; }
.sys.captured { color: #065f46; background: #ecfdf5; border: 1px solid #a7f3d0; border-radius: 10px; padding: 8px 12px; }
.sys.declined { font-style: italic; }
.lead {
  align-self: stretch; background: #fff; border: 1px solid var(--line); border-left: 3px solid var(--accent);
  border-radius: 12px; padding: 10px 12px; font-size: 14px;
}
.lead-prompt { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.lead-form { display: flex; flex-direction: column; gap: 3px; margin-top: 8px; }
.lead-form label { font-size: 12px; font-weight: 600; color: var(--muted); margin-top: 5px; }
.lead-form label .opt { font-weight: 400; }
.lead-form input, .lead-form textarea {
  font: inherit; font-size: 14px; color: var(--fg); background: #fff; width: 100%;
  border: 1px solid var(--line); border-radius: 8px; padding: 7px 10px;
}
.lead-form textarea { flex: none; resize: vertical; min-height: 58px; max-height: 160px; }
.lead-form [aria-invalid="true"] { border-color: var(--danger); background: #fffafa; }
.field-error { color: var(--danger); font-size: 12.5px; }
.field-error:empty, .form-error:empty { display: none; }
.form-error { color: var(--danger); font-size: 13px; margin-top: 6px; }
.lead-buttons { display: flex; gap: 8px; margin-top: 8px; align-items: center; flex-wrap: wrap; }
.lead-submit { background: var(--accent); color: var(--accent-text); border: 0; border-radius: 999px; padding: 7px 18px; font-weight: 600; }
.lead-submit:disabled, .lead-decline:disabled { opacity: .6; cursor: progress; }
.lead-decline { background: transparent; border: 0; color: var(--muted); text-decoration: underline; padding: 7px 4px; font-size: 13px; }
.lead-done { margin: 8px 0 0; font-size: 13px; color: #065f46; font-weight: 600; overflow-wrap: anywhere; }
.lead-done.declined { color: var(--muted); font-weight: 400; }
.typing { padding: 0 16px 6px; font-size: 13px; color: var(--muted); min-height: 0; }
.typing .dots span { display: inline-block; width: 5px; height: 5px; margin-left: 2px; border-radius: 50%; background: var(--muted); animation: blink 1.2s infinite both; }
.typing .dots span:nth-child(2) { animation-delay: .2s; }
.typing .dots span:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .2; } 40% { opacity: 1; } }
.actions { padding: 0 12px 8px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.transcript-form { display: flex; gap: 6px; flex: 1 1 100%; }
.transcript-form input { flex: 1; min-width: 0; min-height: 32px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 8px; font: inherit; }
.transcript-form button { min-height: 32px; padding: 0 12px; border: 0; border-radius: 8px; background: var(--accent); color: var(--on-accent, #fff); font: inherit; cursor: pointer; }
.transcript-status { font-size: 13px; }
.human-button { display: inline-flex; align-items: center; gap: 6px; }
.human-button svg { width: 16px; height: 16px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
.text-button { background: transparent; border: 0; padding: 5px 4px; font-size: 12.5px; color: var(--muted); text-decoration: underline; text-underline-offset: 2px; }
.text-button:hover { color: var(--accent); }
.text-button:disabled { opacity: .6; cursor: progress; }
.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--line); }
textarea {
  flex: 1; resize: none; border: 1px solid var(--line); border-radius: 12px; padding: 9px 12px; font: inherit; color: var(--fg);
  background: #fff; max-height: 140px; min-height: 40px; line-height: 1.4;
}
textarea[aria-invalid="true"] { border-color: var(--danger); }
.send { width: 40px; height: 40px; border-radius: 50%; border: 0; background: var(--accent); color: var(--accent-text); display: grid; place-items: center; flex: none; }
.send:disabled { opacity: .45; cursor: not-allowed; }
.attach { width: 40px; height: 40px; border-radius: 50%; border: 1px solid var(--line); background: transparent; color: inherit; display: grid; place-items: center; flex: none; cursor: pointer; }
.attach svg { width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
.bubble .file-thumb { display: block; max-width: 220px; max-height: 220px; border-radius: 8px; }
.bubble .file-link { color: inherit; text-decoration: underline; word-break: break-all; }
.send svg { width: 20px; height: 20px; fill: currentColor; }
.foot { display: flex; justify-content: space-between; gap: 8px; padding: 0 14px 8px; font-size: 12px; color: var(--muted); min-height: 8px; }
.foot .error { color: var(--danger); }
.foot .counter.over { color: var(--danger); font-weight: 600; }
.brand { text-align: center; font-size: 11px; color: var(--muted); padding: 0 0 8px; }
@media (max-width: 480px) {
  .root { bottom: 14px; right: 14px; }
  .root.left { left: 14px; }
  .root.open .launcher { display: none; }
  .panel { position: fixed; inset: 0; width: auto; height: auto; border-radius: 0; border: 0; }
}
@media (prefers-reduced-motion: reduce) { .launcher { transition: none; } .typing .dots span, .msg.draft .sub .dots span { animation: none; opacity: .6; } }
`;

  // ---- the widget -----------------------------------------------------------------------------

  const SYSTEM_IMPORTANT = new Set(['handoff_offline', 'handoff_expired', 'agent_left', 'handed_back']);
  /** System entries that end a request for contact details. */
  const LEAD_OUTCOMES = new Set(['lead_captured', 'lead_declined']);
  const LEAD_FIELDS = ['email', 'name', 'description'];
  /** System entries after which a streamed reply still being previewed will not be stored. */
  const DRAFT_ENDERS = new Set(['agent_joined', 'lead_requested']);
  /** A streamed reply preview with no new text for this long is dropped (the engine gave up). */
  const DRAFT_IDLE_MS = 60000;
  /** The server's limits on the lead form's fields (crates/baton-domain/src/contact.rs). */
  const MAX_NAME_CHARS = 100;
  const MAX_DESCRIPTION_CHARS = 2000;

  /** A server message ("that email address has no @") as a sentence. */
  function sentence(text) {
    const t = String(text || '').trim();
    if (!t) return '';
    return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?…]$/.test(t) ? '' : '.');
  }

  class Widget {
    constructor(host) {
      const saved = storage.load();
      /** The conversation and its token, once one exists. */
      this.conversationId = saved.conversationId || null;
      this.token = saved.token || null;
      /** The last sequence number stored in localStorage, and the last one the visitor has seen. */
      this.savedSeq = saved.lastSeq || 0;
      this.seenSeq = saved.seenSeq || 0;
      /** Messages not yet confirmed by the server: client_id → {text, el, state}. */
      this.outbox = new Map();
      /** Files being uploaded (or failed), by client id: their pending bubbles. */
      this.uploads = new Map();
      for (const item of saved.outbox || []) {
        if (item && item.client_id && typeof item.text === 'string') this.outbox.set(item.client_id, { ...item, state: 'queued' });
      }
      /** The last sequence number received on this page (the WebSocket resumes from it). */
      this.streamSeq = 0;
      /** seq → list element, for messages shown. */
      this.shown = new Map();
      this.maxShown = 0;
      /** Requests for contact details shown (lead_requested seq → inline form), and their outcomes. */
      this.leadCards = new Map();
      this.leadOutcomes = new Map();
      this.state = null;
      this.agentName = null;
      this.bot = null;
      this.maxBytes = 4096;
      this.open = false;
      this.unread = 0;
      this.ws = null;
      this.wsReady = false;
      this.reconnectAttempt = 0;
      this.reconnectTimer = null;
      this.heartbeatTimer = null;
      this.pongTimer = null;
      this.typingTimer = null;
      /** The bot's reply while it is streamed: {el, bubble, text, timer}, until the stored one arrives. */
      this.draft = null;
      this.lastTypingSent = 0;
      this.starting = null;
      this.failedConnects = 0;
      /** The latest answer of GET …/availability, and the difference between the server's clock and ours. */
      this.availability = null;
      this.clockSkew = 0;
      this.availabilityTimer = null;
      this.availabilityInterval = null;
      this.loadingAvailability = false;

      this.root = host.attachShadow({ mode: 'open' });
      this.installStyles();
      this.build();
      this.renderOutbox();
      this.updateControls();
      // The bot's answer brings the texts in the visitor's language (the launcher's label too), so
      // it is asked for at once; a conversation resumes once they are here (or could not come).
      this.loadBot().then(() => {
        if (this.conversationId) this.connect();
        // Messages written before a reload whose conversation never started: send them now.
        else if (this.outbox.size > 0) this.flushOutbox();
      });
      window.addEventListener('online', () => this.reconnectNow());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') this.reconnectNow();
      });
    }

    installStyles() {
      if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
        try {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(CSS_TEXT);
          this.root.adoptedStyleSheets = [sheet];
          return;
        } catch (_) {
          /* fall back to a <style> element */
        }
      }
      this.root.append(h('style', { text: CSS_TEXT }));
    }

    build() {
      /** Matches the styles' phone layout, where the open chat covers the window. */
      this.fullScreenQuery = window.matchMedia('(max-width: 480px)');
      const accent = safeColor(script.getAttribute('data-accent'));
      const left = script.getAttribute('data-position') === 'left';
      this.el = {};
      const e = this.el;
      e.badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
      e.launcher = h(
        'button',
        { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'baton-panel', onclick: () => this.toggle() },
        icon(ICON_CHAT),
        e.badge,
      );
      e.title = h('h2', { id: 'baton-title' });
      e.subtitle = h('p');
      e.statusText = h('span', { class: 'status-text' });
      e.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', hidden: true }, h('span', { class: 'dot', 'aria-hidden': 'true' }), e.statusText);
      e.close = h('button', { class: 'close', type: 'button', onclick: () => this.toggle(false) }, icon(ICON_CLOSE));
      e.conn = h('div', { class: 'conn', role: 'status', hidden: true });
      e.bannerText = h('div', { class: 'text' });
      e.back = h('button', { class: 'link-button', type: 'button', onclick: () => this.cancelHandoff() });
      e.banner = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', hidden: true }, e.bannerText, e.back);
      // The live region wraps the list: role=log on the <ol> itself would orphan its items.
      e.log = h('ol', { class: 'log', tabindex: '0' });
      e.logRegion = h('div', { class: 'log-region', role: 'log', 'aria-live': 'polite' }, e.log);
      e.greeting = h('li', { class: 'msg bot greeting', hidden: true }, h('div', { class: 'who' }), h('div', { class: 'bubble' }));
      e.log.append(e.greeting);
      e.typing = h('div', { class: 'typing', 'aria-live': 'polite', hidden: true });
      e.humanLabel = h('span');
      e.human = h(
        'button',
        { class: 'link-button human-button', type: 'button', onclick: () => this.requestHandoff() },
        icon(ICON_PERSON),
        e.humanLabel,
      );
      e.ticket = h('button', {
        class: 'text-button ticket-button',
        type: 'button',
        onclick: () => this.requestTicket(),
      });
      e.restart = h('button', { class: 'link-button', type: 'button', hidden: true, onclick: () => this.restart() });
      // After a resolve: the conversation by email (the visitor's known address, or one they type).
      e.transcript = h('button', { class: 'link-button', type: 'button', hidden: true, onclick: () => this.askTranscript() });
      e.transcriptEmail = h('input', { type: 'email', id: 'baton-transcript-email', autocomplete: 'email', inputmode: 'email', spellcheck: 'false', required: true });
      e.transcriptLabel = h('label', { for: 'baton-transcript-email', class: 'sr-only' });
      e.transcriptSend = h('button', { class: 'send-transcript', type: 'submit' });
      e.transcriptForm = h('form', { class: 'transcript-form', novalidate: true, hidden: true }, e.transcriptLabel, e.transcriptEmail, e.transcriptSend);
      e.transcriptForm.addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.sendTranscript(e.transcriptEmail.value);
      });
      e.transcriptStatus = h('span', { class: 'transcript-status', role: 'status' });
      e.actions = h('div', { class: 'actions' }, e.human, e.ticket, e.restart, e.transcript, e.transcriptForm, e.transcriptStatus);
      e.input = h('textarea', {
        id: 'baton-input',
        rows: '1',
        'aria-describedby': 'baton-counter baton-error',
        maxlength: null,
      });
      e.send = h('button', { class: 'send', type: 'submit' }, icon(ICON_SEND));
      e.file = h('input', { type: 'file', hidden: true, tabindex: '-1', 'aria-hidden': 'true', onchange: () => this.sendFile() });
      e.attach = h('button', { class: 'attach', type: 'button', onclick: () => e.file.click() }, icon(ICON_CLIP));
      e.form = h('form', { class: 'composer', novalidate: true }, e.attach, e.file, e.input, e.send);
      e.counter = h('span', { class: 'counter', id: 'baton-counter', 'aria-live': 'polite' });
      e.error = h('span', { class: 'error', id: 'baton-error', role: 'alert' });
      e.foot = h('div', { class: 'foot' }, e.error, e.counter);
      e.panel = h(
        'section',
        { class: 'panel', id: 'baton-panel', role: 'dialog', 'aria-labelledby': 'baton-title', hidden: true },
        // A <div>, not a <header>: the host page has its own banner landmark.
        h('div', { class: 'head' }, h('div', { class: 'avatar' }, icon(ICON_CHAT)), h('div', { class: 'titles' }, e.title, e.subtitle, e.status), e.close),
        e.conn,
        e.banner,
        e.logRegion,
        e.typing,
        e.actions,
        e.form,
        e.foot,
        (e.brand = h('div', { class: 'brand' })),
      );
      e.rootEl = h('div', { class: 'root' + (left ? ' left' : '') }, e.panel, e.launcher);
      if (accent) e.rootEl.style.setProperty('--accent', accent);
      this.applyStrings();
      this.root.append(e.rootEl);

      e.form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.submit();
      });
      e.input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
          ev.preventDefault();
          this.submit();
        }
      });
      e.input.addEventListener('input', () => {
        this.autosize();
        this.updateCounter();
        this.sendTyping();
      });
      e.panel.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') {
          ev.stopPropagation();
          this.toggle(false);
        } else if (ev.key === 'Tab' && this.fullScreen()) {
          this.trapTab(ev);
        }
      });
      // Full screen (a phone), the open chat is all there is: Escape closes it wherever focus is.
      document.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape' && this.open && this.fullScreen() && !ev.defaultPrevented) this.toggle(false);
      });
      this.fullScreenQuery.addEventListener('change', () => this.lockPage(this.open && this.fullScreen()));
    }

    /**
     * Writes the texts of the elements built once, in the current language, and everything that
     * depends on state (called again when the server's texts arrive).
     */
    applyStrings() {
      const e = this.el;
      e.rootEl.setAttribute('lang', lang);
      this.updateLauncherLabel();
      if (!this.bot || !this.bot.name) e.title.textContent = t('title');
      e.close.setAttribute('aria-label', t('close_chat'));
      e.back.textContent = t('back_to_assistant');
      e.log.setAttribute('aria-label', t('conversation'));
      e.logRegion.setAttribute('aria-label', t('conversation'));
      e.humanLabel.textContent = t('talk_to_person');
      e.ticket.textContent = t('leave_message');
      e.ticket.setAttribute('aria-label', t('leave_message_label'));
      e.ticket.title = t('leave_message_hint');
      e.restart.textContent = t('start_new');
      e.transcript.textContent = t('transcript_button');
      e.transcriptLabel.textContent = t('transcript_email_label');
      e.transcriptEmail.placeholder = t('transcript_email_label');
      e.transcriptSend.textContent = t('transcript_send');
      e.input.setAttribute('aria-label', t('message_label'));
      e.send.setAttribute('aria-label', t('send_message'));
      e.attach.setAttribute('aria-label', t('attach_file'));
      e.attach.title = t('attach_file');
      e.brand.textContent = t('powered_by');
      this.setState(this.state, this.agentName);
      for (const item of this.outbox.values()) this.paintPending(item);
    }

    /** "Open chat", "Close chat" or "Open chat (2 new)". */
    updateLauncherLabel() {
      let label;
      if (this.open) label = t('close_chat');
      else if (this.unread > 0) label = t('launcher_open_unread', { count: this.unread });
      else label = t('launcher_open');
      this.el.launcher.setAttribute('aria-label', label);
    }

    /** True while the open chat covers the whole window (the phone layout of the styles). */
    fullScreen() {
      return this.fullScreenQuery.matches;
    }

    /** Keeps Tab and Shift+Tab inside the open chat: from the last control to the first and back. */
    trapTab(ev) {
      const focusable = Array.from(
        this.el.panel.querySelectorAll('button, textarea, input, select, a[href], [tabindex="0"]'),
      ).filter((el) => !el.disabled && el.getClientRects().length > 0);
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const active = this.root.activeElement;
      if (ev.shiftKey && (active === first || !this.el.panel.contains(active))) {
        ev.preventDefault();
        last.focus();
      } else if (!ev.shiftKey && (active === last || !this.el.panel.contains(active))) {
        ev.preventDefault();
        first.focus();
      }
    }

    /** Stops (or lets again) the page behind the full-screen chat scroll. */
    lockPage(lock) {
      const html = document.documentElement;
      if (lock && !this.pageLocked) {
        this.pageLocked = { overflow: html.style.overflow };
        html.style.overflow = 'hidden';
      } else if (!lock && this.pageLocked) {
        html.style.overflow = this.pageLocked.overflow;
        this.pageLocked = null;
      }
    }

    // ---- opening and closing

    toggle(force) {
      const open = typeof force === 'boolean' ? force : !this.open;
      if (open === this.open) return;
      this.open = open;
      this.el.panel.hidden = !open;
      this.el.rootEl.classList.toggle('open', open);
      this.el.launcher.setAttribute('aria-expanded', String(open));
      this.updateLauncherLabel();
      this.el.panel.setAttribute('aria-modal', String(open && this.fullScreen()));
      this.lockPage(open && this.fullScreen());
      if (open) {
        this.loadBot();
        this.refreshAvailability();
        clearInterval(this.availabilityInterval);
        this.availabilityInterval = setInterval(() => this.refreshAvailability(), 60000);
        this.markSeen();
        this.scrollToEnd();
        this.el.input.focus();
      } else {
        clearInterval(this.availabilityInterval);
        clearTimeout(this.availabilityTimer);
        this.availabilityInterval = null;
        this.availabilityTimer = null;
        this.el.launcher.focus();
      }
    }

    // ---- availability ("We're online" / "We're away — back Monday 09:00")

    /** Asks the server whether a person can be reached now, and when that changes. */
    async refreshAvailability() {
      if (this.loadingAvailability) return;
      this.loadingAvailability = true;
      try {
        const a = await this.api('GET', '/bots/' + encodeURIComponent(BOT_ID) + '/availability');
        if (a && typeof a.live === 'boolean') {
          this.availability = a;
          const at = parseTime(a.at);
          this.clockSkew = at ? at.getTime() - Date.now() : 0;
        }
      } catch (_) {
        // Unknown for now: keep what was shown (or nothing) and try again on the next refresh.
      } finally {
        this.loadingAvailability = false;
      }
      this.renderAvailability();
      this.scheduleAvailability();
    }

    /** Asks again just after the next change (the schedule opens or closes), while the chat is open. */
    scheduleAvailability() {
      clearTimeout(this.availabilityTimer);
      this.availabilityTimer = null;
      const next = this.availability && parseTime(this.availability.next_change);
      if (!this.open || !next) return;
      const serverNow = Date.now() + this.clockSkew;
      // At least a second (a change already past must not loop), at most six hours (clocks drift,
      // machines sleep; the 60-second refresh covers the rest while the chat is open).
      const delay = Math.min(6 * 60 * 60 * 1000, Math.max(1000, next.getTime() - serverNow + 1000));
      this.availabilityTimer = setTimeout(() => this.refreshAvailability(), delay);
    }

    /** The status line in the header and the "Talk to a person" button's wording. */
    renderAvailability() {
      const e = this.el;
      const a = this.availability;
      const messages = !!this.bot && this.bot.lead_capture_enabled !== false;
      let kind = null;
      let text = '';
      if (a && a.live) {
        kind = 'online';
        text = t('status_online');
      } else if (a && a.reason === 'schedule_closed') {
        const next = parseTime(a.next_change);
        kind = 'away';
        if (next) text = t('status_away_back', { when: backInWords(new Date(next.getTime() - this.clockSkew), new Date()) });
        else text = messages ? t('status_away_message') : t('status_away');
      } else if (a && a.reason === 'nobody_available') {
        // The same words as the chat's offline message: the team is offline, not "busy".
        kind = 'busy';
        text = messages ? t('status_offline_message') : t('status_offline');
      } else if (a && messages) {
        // Live chat is never offered here (handoff off, or never available): promise no person.
        kind = 'message';
        text = t('status_message');
      }
      // While a person is in the chat, the header already says who.
      const show = kind !== null && this.state !== 'human' && this.state !== 'freshchat';
      e.status.hidden = !show;
      if (show) {
        e.status.dataset.kind = kind;
        if (e.statusText.textContent !== text) e.statusText.textContent = text;
      }
      // Nobody can chat and messages are taken: "Leave a message" is the one way to a person (a
      // second button leading to the same form would only make the visitor choose).
      const away = !!a && !a.live;
      this.awayWithMessages = away && messages;
      if (away) e.human.title = t('human_unavailable');
      else e.human.removeAttribute('title');
      this.updateControls();
    }

    markSeen() {
      this.unread = 0;
      this.seenSeq = Math.max(this.seenSeq, this.streamSeq);
      this.el.badge.hidden = true;
      this.persist();
    }

    async loadBot() {
      if (this.bot || this.loadingBot) return;
      this.loadingBot = true;
      try {
        const bot = await this.api('GET', '/bots/' + encodeURIComponent(BOT_ID) + '?lang=' + encodeURIComponent(LANG_TAG));
        this.bot = bot;
        useStrings(bot.strings, bot.lang);
        this.applyStrings();
        this.maxBytes = bot.max_message_bytes || this.maxBytes;
        this.el.title.textContent = bot.name || t('title');
        if (bot.greeting) {
          this.el.greeting.querySelector('.who').textContent = bot.name || t('assistant_name');
          this.el.greeting.querySelector('.who').append(h('span', { class: 'tag', text: t('tag_ai') }));
          this.el.greeting.querySelector('.bubble').textContent = bot.greeting;
          this.el.greeting.hidden = false;
        }
        this.updateControls();
        this.updateCounter();
        this.renderAvailability();
      } catch (err) {
        if (err.status === 404) this.showError(t('error_unknown_bot'));
        else if (err.status === 410) this.showError(t('error_bot_gone'));
        else this.showError(this.describe(err));
      } finally {
        this.loadingBot = false;
      }
    }

    // ---- HTTP

    async api(method, path, body) {
      const headers = {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (this.token && path.startsWith('/conversations/')) headers.Authorization = 'Bearer ' + this.token;
      let res;
      try {
        res = await fetch(API + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          mode: 'cors',
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch (_) {
        throw new ApiError('network', { network: true });
      }
      let data = null;
      try {
        data = await res.json();
      } catch (_) {
        data = null;
      }
      if (!res.ok) {
        const error = (data && data.error) || {};
        const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
        throw new ApiError(error.message || 'HTTP ' + res.status, {
          status: res.status,
          code: error.code,
          field: error.field,
          retryAfter: Number.isFinite(retry) ? retry : null,
        });
      }
      return data;
    }

    /** "Email me this conversation": at once to a known visitor's address, else ask for one. */
    askTranscript() {
      const e = this.el;
      if (identity && identity.email) {
        this.sendTranscript('');
        return;
      }
      e.transcriptForm.hidden = false;
      this.updateControls();
      e.transcriptEmail.focus();
    }

    async sendTranscript(email) {
      const e = this.el;
      e.transcriptSend.disabled = true;
      try {
        const body = email.trim() ? { email: email.trim() } : {};
        const res = await this.api('POST', '/conversations/' + encodeURIComponent(this.conversationId) + '/transcript', body);
        this.transcriptSent = true;
        e.transcriptForm.hidden = true;
        e.transcriptStatus.textContent = t('transcript_sent', { email: res.sent_to });
      } catch (err) {
        e.transcriptStatus.textContent = err.status === 400 ? t('transcript_failed') : this.describe(err);
        if (err.status === 400) {
          e.transcriptForm.hidden = false;
          e.transcriptEmail.focus();
        }
      } finally {
        e.transcriptSend.disabled = false;
        this.updateControls();
      }
    }

    /** A server failure in words a visitor understands. */
    describe(err) {
      if (err.network) return t('error_network');
      switch (err.status) {
        case 413:
          return t('error_too_large');
        case 429:
          return err.retryAfter ? t('error_rate_limited_for', { seconds: secondsInWords(err.retryAfter) }) : t('error_rate_limited');
        case 400:
          return t('error_invalid', { reason: (lang === 'en' && err.message) || t('error_invalid_reason') });
        case 403:
        case 404:
          return t('error_conversation_gone');
        case 409:
          // The server's explanation is English; another language gets its own general sentence.
          return err.message && lang === 'en' ? err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.' : t('error_conflict');
        default:
          return err.status >= 500 ? t('error_server') : (lang === 'en' && err.message) || t('error_other');
      }
    }

    /** Shows (or with '' clears) the error under the composer; `tooLong` marks the one the counter clears once the message fits again. */
    showError(text, tooLong) {
      this.el.error.textContent = text || '';
      if (text && tooLong) this.el.error.dataset.tooLong = '1';
      else delete this.el.error.dataset.tooLong;
    }

    // ---- the conversation

    persist() {
      if (!this.conversationId && this.outbox.size === 0) {
        storage.clear();
        return;
      }
      storage.save({
        conversationId: this.conversationId,
        token: this.token,
        lastSeq: Math.max(this.savedSeq, this.streamSeq),
        seenSeq: this.seenSeq,
        outbox: Array.from(this.outbox.values(), (m) => ({ client_id: m.client_id, text: m.text })),
      });
    }

    /** Starts the conversation on first need (a first message or "Talk to a person"). */
    ensureConversation() {
      if (this.conversationId) return Promise.resolve();
      if (!this.starting) {
        const body = { bot_id: BOT_ID, lang: LANG_TAG };
        if (identity) body.identity = identity;
        this.starting = this.api('POST', '/conversations', body)
          .then((res) => {
            this.conversationId = res.conversation.id;
            this.token = res.token;
            this.streamSeq = 0;
            this.setState(res.conversation.state, res.conversation.agent_name);
            this.persist();
            this.connect();
          })
          .finally(() => {
            this.starting = null;
          });
      }
      return this.starting;
    }

    /** Forgets the conversation (it no longer exists, or the visitor starts over). */
    forget(notice) {
      this.disconnect();
      this.conversationId = null;
      this.token = null;
      this.savedSeq = 0;
      this.seenSeq = 0;
      this.streamSeq = 0;
      this.discardDraft();
      for (const el of this.shown.values()) el.remove();
      this.shown.clear();
      this.maxShown = 0;
      this.leadCards.clear();
      this.leadOutcomes.clear();
      this.setState(null, null);
      this.persist();
      if (notice) this.showError(notice);
    }

    restart() {
      this.forget();
      this.showError('');
      this.el.input.focus();
    }

    setState(state, agentName) {
      this.state = state;
      this.agentName = agentName || null;
      if (state !== 'waiting') this.queue = null;
      if (state !== 'ai' && state !== 'waiting') this.discardDraft();
      const sub = this.el.subtitle;
      if (state === 'human') sub.textContent = this.agentName ? t('subtitle_human', { name: this.agentName }) : t('subtitle_human_unnamed');
      // Routed to the site's FreshChat: its team answers here (the AI is silent).
      else if (state === 'freshchat') sub.textContent = t('subtitle_freshchat');
      else if (state === 'waiting') sub.textContent = t('subtitle_waiting');
      else if (state === 'closed') sub.textContent = t('subtitle_closed');
      else if (state === 'lead_capture') sub.textContent = t('subtitle_lead_capture');
      else sub.textContent = t('subtitle_ai');
      this.updateControls();
      this.renderAvailability();
      this.syncLeads();
    }

    updateControls() {
      const e = this.el;
      const handoffEnabled = !this.bot || this.bot.handoff_enabled !== false;
      const withAi = this.state === 'ai' || this.state === null;
      e.human.hidden = !handoffEnabled || !withAi || !!this.awayWithMessages;
      // The server refuses the request (409) when the bot does not take messages for the team.
      e.ticket.hidden = !withAi || !this.bot || this.bot.lead_capture_enabled === false;
      e.restart.hidden = this.state !== 'closed';
      const transcripts = this.state === 'closed' && !!this.bot && this.bot.email_transcripts === true;
      e.transcript.hidden = !transcripts || !e.transcriptForm.hidden || !!this.transcriptSent;
      if (!transcripts) {
        // Written again (or a new conversation): a later resolve may be emailed again.
        e.transcriptForm.hidden = true;
        e.transcriptStatus.textContent = '';
        this.transcriptSent = false;
      }
      e.actions.hidden = e.human.hidden && e.ticket.hidden && e.restart.hidden && e.transcript.hidden && e.transcriptForm.hidden && !e.transcriptStatus.textContent;
      e.banner.hidden = this.state !== 'waiting';
      if (this.state === 'waiting') {
        e.bannerText.replaceChildren();
        const q = this.queue;
        if (q && q.position) {
          e.bannerText.append(
            h('strong', { text: q.position === 1 ? t('queue_next') : t('queue_position', { position: q.position }) }),
          );
          if (q.expected_wait_seconds !== null && q.expected_wait_seconds !== undefined) {
            e.bannerText.append(t('queue_wait', { wait: waitInWords(q.expected_wait_seconds) }));
          } else {
            e.bannerText.append(t('queue_soon'));
          }
        } else {
          e.bannerText.append(h('strong', { text: t('queue_finding') }), t('queue_stay'));
        }
      }
      if (this.state === 'closed') e.input.placeholder = t('composer_placeholder_closed');
      else if (this.state === 'lead_capture') e.input.placeholder = t('composer_placeholder_lead');
      else e.input.placeholder = t('composer_placeholder');
    }

    // ---- rendering messages

    renderMessage(m) {
      if (this.shown.has(m.seq)) return;
      if (m.client_id && this.uploads.has(m.client_id)) {
        // The socket showed the file before the upload's answer came: drop the pending bubble.
        this.uploads.get(m.client_id).el.remove();
        this.uploads.delete(m.client_id);
      }
      if (m.client_id && this.outbox.has(m.client_id)) {
        const pending = this.outbox.get(m.client_id);
        if (pending.el) pending.el.remove();
        this.outbox.delete(m.client_id);
        this.persist();
      }
      const el = m.author_kind === 'system' ? this.systemElement(m) : this.messageElement(m);
      el.dataset.seq = String(m.seq);
      // Keep sequence order; unconfirmed messages stay at the end.
      let before = null;
      if (m.seq < this.maxShown) {
        for (const [seq, other] of this.shown) {
          if (seq > m.seq && (!before || seq < Number(before.dataset.seq))) before = other;
        }
      }
      if (!before) before = this.el.log.querySelector('.msg.pending, .msg.failed');
      this.el.log.insertBefore(el, before);
      this.shown.set(m.seq, el);
      this.maxShown = Math.max(this.maxShown, m.seq);
      if (m.author_kind === 'bot' || m.author_kind === 'agent') this.hideTyping(m.author_kind);
      // The stored reply replaces its streamed preview (its text may differ); after a handoff or a
      // request for contact details, no reply of the AI is coming.
      if (m.author_kind === 'bot' || (m.author_kind === 'system' && (String(m.kind).startsWith('handoff_') || DRAFT_ENDERS.has(m.kind)))) {
        this.discardDraft();
      }
      if (LEAD_OUTCOMES.has(m.kind)) this.leadOutcomes.set(m.seq, { seq: m.seq, kind: m.kind, data: m.data || {} });
      if (m.kind === 'lead_requested' || LEAD_OUTCOMES.has(m.kind)) this.syncLeads();
      this.scrollToEnd();
    }

    messageElement(m) {
      const kind = m.author_kind === 'visitor' ? 'visitor' : m.author_kind === 'agent' ? 'agent' : 'bot';
      const li = h('li', { class: 'msg ' + kind });
      if (kind === 'visitor') {
        li.append(h('span', { class: 'sr-only', text: t('you_said') }));
      } else {
        const name = m.author_name || (kind === 'agent' ? t('support_name') : (this.bot && this.bot.name) || t('assistant_name'));
        li.append(h('div', { class: 'who' }, name, h('span', { class: 'tag', text: kind === 'agent' ? t('tag_team') : t('tag_ai') })));
      }
      if (m.kind === 'attachment') li.append(h('div', { class: 'bubble' }, this.fileElement(m)));
      else li.append(h('div', { class: 'bubble' }, ...withLinks(m)));
      const time = parseTime(m.created_at);
      li.append(h('div', { class: 'sub', title: fullTime(time), text: clockTime(time) }));
      return li;
    }

    /** A sent file: an image thumbnail or a named link, both to our download URL only. */
    fileElement(m) {
      const data = m.data || {};
      const name = String(data.name || m.text || 'file');
      if (!data.attachment_id || !this.token) return h('span', { text: name });
      const url =
        ORIGIN + '/api/v1/attachments/' + encodeURIComponent(data.attachment_id) + '?token=' + encodeURIComponent(this.token);
      const link = h('a', { class: 'file-link', href: url, target: '_blank', rel: 'noopener noreferrer' });
      if (INLINE_IMAGES.has(data.content_type)) {
        const img = h('img', { class: 'file-thumb', alt: name, loading: 'lazy' });
        img.src = url;
        link.append(img);
      } else {
        link.textContent = name;
      }
      return link;
    }

    /** Uploads the chosen file with a new client id, shown meanwhile as a pending bubble. */
    async sendFile() {
      const input = this.el.file;
      const file = input.files && input.files[0];
      input.value = '';
      if (!file) return;
      const upload = { clientId: newClientId(), file, el: null, sub: null };
      this.uploads.set(upload.clientId, upload);
      const sub = h('div', { class: 'sub' });
      upload.sub = sub;
      upload.el = h(
        'li',
        { class: 'msg visitor pending upload' },
        h('span', { class: 'sr-only', text: t('you_said') }),
        h('div', { class: 'bubble' }, h('span', { class: 'file-name', text: file.name || 'file' })),
        sub,
      );
      this.el.log.append(upload.el);
      this.scrollToEnd();
      await this.uploadFile(upload);
    }

    /** Paints a pending upload: sending, or failed with the reason and Retry / Delete. */
    paintUpload(upload, error) {
      const failed = error !== undefined;
      upload.el.classList.toggle('failed', failed);
      upload.el.classList.toggle('pending', !failed);
      upload.sub.replaceChildren();
      if (!failed) {
        upload.sub.append(t('pending_sending'));
        return;
      }
      upload.sub.append(
        (error ? error + ' ' : '') + t('pending_failed') + ' ',
        h('button', { type: 'button', text: t('retry'), onclick: () => this.uploadFile(upload) }),
        h('button', {
          type: 'button',
          text: t('delete'),
          onclick: () => {
            upload.el.remove();
            this.uploads.delete(upload.clientId);
          },
        }),
      );
    }

    /**
     * Sends one pending upload (again): always under its own client id, so a retry after a lost
     * answer stores one file. Network and server errors are retried twice by themselves.
     */
    async uploadFile(upload) {
      this.showError('');
      this.paintUpload(upload);
      for (let attempt = 1; ; attempt++) {
        try {
          await this.ensureConversation();
          const form = new FormData();
          form.append('client_id', upload.clientId);
          form.append('file', upload.file, upload.file.name);
          let res;
          try {
            res = await fetch(API + '/conversations/' + encodeURIComponent(this.conversationId) + '/attachments', {
              method: 'POST',
              headers: { Authorization: 'Bearer ' + this.token },
              body: form,
              mode: 'cors',
              credentials: 'omit',
              cache: 'no-store',
            });
          } catch (_) {
            throw new ApiError('network', { network: true });
          }
          const data = await res.json().catch(() => null);
          if (!res.ok) {
            const error = (data && data.error) || {};
            throw new ApiError(error.message || 'HTTP ' + res.status, { status: res.status, code: error.code, field: error.field });
          }
          this.uploads.delete(upload.clientId);
          upload.el.remove();
          this.renderMessage(data.message);
          return;
        } catch (err) {
          if ((err.network || err.status >= 500) && attempt < 3) {
            await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
            continue;
          }
          // The server's message names the limit or the accepted types.
          const refused = err.status === 413 || err.status === 415 || err.status === 409 || err.status === 400;
          // A lost connection needs no words beyond "Not sent.": Retry says what to do.
          const reason = refused ? err.message : err.network ? '' : this.describe(err);
          if (refused) this.showError(err.message);
          this.paintUpload(upload, reason);
          return;
        }
      }
    }

    systemElement(m) {
      if (m.kind === 'lead_requested') return this.leadCard(m);
      let cls = 'sys';
      if (SYSTEM_IMPORTANT.has(m.kind)) cls += ' important';
      if (m.kind === 'agent_joined') cls += ' joined';
      if (m.kind === 'lead_retry') cls += ' retry';
      if (m.kind === 'lead_captured') cls += ' captured';
      if (m.kind === 'lead_declined') cls += ' declined';
      const li = h('li', { class: cls, text: m.text });
      if (m.kind === 'lead_captured') li.prepend(h('span', { 'aria-hidden': 'true', text: '✓ ' }));
      return li;
    }

    // ---- contact details for a ticket (the offline path)

    /**
     * The bot's request for contact details, with an inline form. The form is live only while the
     * conversation collects details (state lead_capture) and this is the latest request; it
     * collapses into a confirmation once answered (by the form or by an address typed in the chat).
     */
    leadCard(m) {
      const prefill = (m.data && m.data.form) || {};
      const card = {
        seq: m.seq,
        // One key per request: a double click, a retry or a resubmission after an error can only
        // ever create one ticket. The entry's id makes it the same after a reload.
        clientId: 'w-lead-' + String(m.id || newClientId()).replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 56),
        fields: {},
        errors: {},
        busy: false,
        mode: null,
        submitted: null,
        declined: false,
      };
      const field = (name, label, control, optional) => {
        const id = 'baton-lead-' + m.seq + '-' + name;
        control.id = id;
        const error = h('div', { class: 'field-error', id: id + '-error', 'aria-live': 'polite' });
        control.setAttribute('aria-describedby', error.id);
        control.addEventListener('input', () => this.setFieldError(card, name, ''));
        card.fields[name] = control;
        card.errors[name] = error;
        return [h('label', { for: id }, label, optional ? h('span', { class: 'opt', text: ' ' + t('lead_optional') }) : null), control, error];
      };
      const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', inputmode: 'email', spellcheck: 'false', required: true, placeholder: t('lead_email_placeholder') });
      const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: String(MAX_NAME_CHARS) });
      name.value = typeof prefill.name === 'string' ? prefill.name : '';
      const description = h('textarea', { name: 'description', rows: '3', maxlength: String(MAX_DESCRIPTION_CHARS) });
      description.value = typeof prefill.description === 'string' ? prefill.description : '';
      card.formError = h('div', { class: 'form-error', role: 'alert' });
      card.submit = h('button', { type: 'submit', class: 'lead-submit', text: t('lead_send') });
      card.decline = h('button', { type: 'button', class: 'lead-decline', text: t('lead_decline'), onclick: () => this.declineLead(card) });
      card.form = h(
        'form',
        { class: 'lead-form', novalidate: true, hidden: true, 'aria-label': t('lead_form_label') },
        field('email', t('lead_email'), email),
        field('name', t('lead_name'), name, true),
        field('description', t('lead_description'), description),
        card.formError,
        h('div', { class: 'lead-buttons' }, card.submit, card.decline),
      );
      card.form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.submitLead(card);
      });
      card.done = h('p', { class: 'lead-done', role: 'status', hidden: true });
      card.el = h('li', { class: 'lead' }, h('p', { class: 'lead-prompt', text: m.text }), card.form, card.done);
      this.leadCards.set(m.seq, card);
      return card.el;
    }

    /** Decides, for every request shown, whether its form is live, answered or moot. */
    syncLeads() {
      if (!this.leadCards || this.leadCards.size === 0) return;
      const cards = Array.from(this.leadCards.values()).sort((a, b) => a.seq - b.seq);
      const outcomes = Array.from(this.leadOutcomes.values()).sort((a, b) => a.seq - b.seq);
      cards.forEach((card, i) => {
        const next = i + 1 < cards.length ? cards[i + 1].seq : Infinity;
        const outcome = outcomes.find((o) => o.seq > card.seq && o.seq < next) || null;
        let mode;
        if (outcome) mode = outcome.kind === 'lead_captured' ? 'captured' : 'declined';
        else if (card.submitted) mode = 'captured';
        else if (card.declined) mode = 'declined';
        else if (i === cards.length - 1 && this.state === 'lead_capture') mode = 'active';
        else mode = 'closed';
        this.paintLead(card, mode, outcome);
      });
    }

    paintLead(card, mode, outcome) {
      const was = card.mode;
      const hadFocus = card.form.contains(this.root.activeElement);
      card.mode = mode;
      card.form.hidden = mode !== 'active';
      card.done.hidden = mode !== 'captured' && mode !== 'declined';
      card.done.classList.toggle('declined', mode === 'declined');
      if (mode === 'captured') {
        const email = (outcome && outcome.data && outcome.data.email) || card.submitted;
        card.done.textContent = '✓ ' + (email ? t('lead_sent_to', { email }) : t('lead_sent'));
      } else if (mode === 'declined') {
        card.done.textContent = t('lead_declined');
      }
      if (mode === 'active' && was !== 'active' && this.open && this.wsReady) {
        // A live request (not one replayed after a reload): the email field is the next step.
        card.fields.email.focus({ preventScroll: true });
        this.scrollToEnd();
      } else if (mode !== 'active' && hadFocus) {
        this.el.input.focus();
      }
    }

    setFieldError(card, name, text) {
      const control = card.fields[name];
      if (!control) return;
      card.errors[name].textContent = text;
      if (text) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }

    async submitLead(card) {
      if (card.busy || card.mode !== 'active') return;
      for (const name of LEAD_FIELDS) this.setFieldError(card, name, '');
      card.formError.textContent = '';
      const email = card.fields.email.value.trim();
      if (!email) {
        this.setFieldError(card, 'email', t('lead_email_missing'));
        card.fields.email.focus();
        return;
      }
      const body = { client_id: card.clientId, email };
      const name = card.fields.name.value.trim();
      if (name) body.name = name;
      const description = card.fields.description.value.trim();
      if (description) body.description = description;
      this.setLeadBusy(card, true, t('lead_sending'));
      try {
        const res = await this.api('POST', '/conversations/' + this.conversationId + '/lead', body);
        card.submitted = email;
        if (res && res.state) this.setState(res.state, null);
        else this.syncLeads();
        if (!this.wsReady) this.catchUp();
      } catch (err) {
        if (err.status === 400 && err.field && card.fields[err.field]) {
          // The server's explanation is English; another language gets its own general sentence.
          this.setFieldError(card, err.field, lang === 'en' ? sentence(err.message) : t('error_invalid', { reason: t('error_invalid_reason') }));
          card.fields[err.field].focus();
        } else if (err.network || err.status >= 500) {
          // Safe to press again: the same key can only create one ticket.
          card.formError.textContent = err.network ? t('lead_error_network') : t('lead_error_server');
        } else {
          card.formError.textContent = this.describe(err);
          if (err.status === 409) this.refreshState();
        }
      } finally {
        this.setLeadBusy(card, false, t('lead_send'));
      }
    }

    async declineLead(card) {
      if (card.busy || card.mode !== 'active') return;
      card.formError.textContent = '';
      this.setLeadBusy(card, true, t('lead_send'));
      try {
        const res = await this.api('POST', '/conversations/' + this.conversationId + '/lead/decline');
        card.declined = true;
        if (res && res.state) this.setState(res.state, null);
        else this.syncLeads();
        if (!this.wsReady) this.catchUp();
      } catch (err) {
        card.formError.textContent = this.describe(err);
        if (err.status === 409) this.refreshState();
      } finally {
        this.setLeadBusy(card, false, t('lead_send'));
      }
    }

    setLeadBusy(card, busy, label) {
      card.busy = busy;
      card.submit.disabled = busy;
      card.decline.disabled = busy;
      card.submit.textContent = label;
      card.form.setAttribute('aria-busy', String(busy));
    }

    /** "Leave a message for the team": asks the server for the contact form at any time. */
    async requestTicket() {
      const button = this.el.ticket;
      button.disabled = true;
      this.showError('');
      try {
        await this.ensureConversation();
        const res = await this.api('POST', '/conversations/' + this.conversationId + '/ticket');
        if (res && res.state) this.setState(res.state, this.agentName);
        // The request itself arrives on the socket; without one, read it over HTTP.
        if (!this.wsReady) this.catchUp();
      } catch (err) {
        this.showError(this.describe(err));
      } finally {
        button.disabled = false;
      }
    }

    /** Reads the owner again after a refusal (e.g. a person took the conversation meanwhile). */
    async refreshState() {
      if (!this.conversationId) return;
      try {
        const view = await this.api('GET', '/conversations/' + this.conversationId);
        if (view && view.state) this.setState(view.state, view.agent_name);
      } catch (_) {
        /* the socket will tell */
      }
    }

    /** Fetches entries missed while the socket is down (the socket replays them too; seq dedupes). */
    async catchUp() {
      if (!this.conversationId) return;
      try {
        const res = await this.api('GET', '/conversations/' + this.conversationId + '/messages?after=' + this.maxShown + '&limit=500');
        for (const m of res.messages || []) this.renderMessage(m);
      } catch (_) {
        /* shown by the connection banner; the socket resumes later */
      }
    }

    renderOutbox() {
      for (const item of this.outbox.values()) this.renderPending(item);
    }

    renderPending(item) {
      const sub = h('div', { class: 'sub' });
      const li = h('li', { class: 'msg visitor pending' }, h('span', { class: 'sr-only', text: t('you_said') }), h('div', { class: 'bubble', text: item.text }), sub);
      item.el = li;
      item.sub = sub;
      this.el.log.append(li);
      this.paintPending(item);
      this.scrollToEnd();
    }

    paintPending(item) {
      if (!item.el) return;
      const failed = item.state === 'failed';
      item.el.classList.toggle('failed', failed);
      item.el.classList.toggle('pending', !failed);
      item.sub.replaceChildren();
      if (failed) {
        item.sub.append(
          t('pending_failed') + ' ',
          h('button', { type: 'button', text: t('retry'), onclick: () => this.retry(item) }),
          h('button', { type: 'button', text: t('delete'), onclick: () => this.discard(item) }),
        );
        if (item.error) item.sub.prepend(item.error + ' ');
      } else if (item.state === 'waiting') {
        item.sub.append(item.error || t('pending_waiting'));
      } else if (item.state === 'queued' && Date.now() < (this.rateLimitedUntil || 0)) {
        item.sub.append(t('pending_waiting'));
      } else {
        item.sub.append(t('pending_sending'));
      }
    }

    discard(item) {
      if (item.el) item.el.remove();
      this.outbox.delete(item.client_id);
      this.persist();
      this.el.input.focus();
    }

    scrollToEnd() {
      const log = this.el.log;
      requestAnimationFrame(() => {
        log.scrollTop = log.scrollHeight;
      });
    }

    // ---- sending

    submit() {
      const text = this.el.input.value;
      if (!text.trim()) return;
      if (byteLength(text) > this.maxBytes) {
        this.showError(this.tooLong(text), true);
        return;
      }
      if (Date.now() >= (this.rateLimitedUntil || 0)) this.showError('');
      this.el.input.value = '';
      this.autosize();
      this.updateCounter();
      const item = { client_id: newClientId(), text, state: 'queued', attempts: 0 };
      this.outbox.set(item.client_id, item);
      this.persist();
      this.renderPending(item);
      this.pump();
    }

    /**
     * Sends the outbox in order, one message at a time, so retries never reorder messages. Safe
     * to call at any moment: the client_id makes every retry idempotent.
     */
    async pump() {
      if (this.pumping) return;
      clearTimeout(this.pumpTimer);
      this.pumpTimer = null;
      const rateLimited = (this.rateLimitedUntil || 0) - Date.now();
      if (rateLimited > 0) {
        this.pumpTimer = setTimeout(() => this.pump(), rateLimited);
        return;
      }
      this.pumping = true;
      try {
        for (;;) {
          const item = Array.from(this.outbox.values()).find((m) => m.state !== 'failed');
          if (!item) break;
          const wait = await this.deliver(item);
          if (wait !== null) {
            this.pumpTimer = setTimeout(() => this.pump(), wait);
            break;
          }
        }
      } finally {
        this.pumping = false;
      }
    }

    /** One attempt at one message: null when done (sent or failed for good), else ms to wait. */
    async deliver(item) {
      item.state = 'sending';
      item.error = null;
      this.paintPending(item);
      try {
        await this.ensureConversation();
        const res = await this.api('POST', '/conversations/' + this.conversationId + '/messages', {
          client_id: item.client_id,
          text: item.text,
        });
        this.renderMessage(res.message);
        if (this.outbox.has(item.client_id)) {
          // Already shown (e.g. by the socket): just drop the pending copy.
          if (item.el) item.el.remove();
          this.outbox.delete(item.client_id);
          this.persist();
        }
        if (this.rateLimitedUntil) {
          this.rateLimitedUntil = 0;
          this.showError('');
        }
        return null;
      } catch (err) {
        item.attempts = (item.attempts || 0) + 1;
        let wait = null;
        if (err.network || err.status >= 500) {
          // Retried automatically: with backoff, and at once when the socket is back.
          if (item.attempts >= 8) {
            item.state = 'failed';
            item.error = this.describe(err);
          } else {
            item.state = 'waiting';
            item.error = err.network ? t('pending_offline') : t('pending_server');
            wait = Math.min(30000, 1000 * 2 ** Math.min(item.attempts, 5));
          }
        } else if (err.status === 429) {
          const seconds = err.retryAfter || 5;
          item.state = 'waiting';
          item.error = t('pending_rate_limited', { seconds: secondsInWords(seconds) });
          wait = seconds * 1000;
          this.rateLimitedUntil = Date.now() + wait;
          this.showError(this.describe(err));
        } else if ((err.status === 403 || err.status === 404) && this.conversationId && item.attempts < 3) {
          // The conversation is gone (e.g. the server's data was reset): start a new one.
          this.forget();
          item.state = 'queued';
          wait = 0;
        } else {
          item.state = 'failed';
          item.error = this.describe(err);
          this.showError(item.error);
        }
        this.paintPending(item);
        return wait;
      }
    }

    retry(item) {
      item.state = 'queued';
      item.attempts = 0;
      this.paintPending(item);
      this.pump();
    }

    /** Sends what is waiting now (the connection is back). */
    flushOutbox() {
      if (Date.now() < (this.rateLimitedUntil || 0)) return;
      for (const item of this.outbox.values()) if (item.state === 'waiting') item.attempts = 0;
      this.pump();
    }

    sendTyping() {
      const now = Date.now();
      if (!this.wsReady || !this.el.input.value.trim() || now - this.lastTypingSent < 2500) return;
      this.lastTypingSent = now;
      this.wsSend({ type: 'typing' });
    }

    autosize() {
      const input = this.el.input;
      input.style.height = 'auto';
      input.style.height = Math.min(140, input.scrollHeight + 2) + 'px';
    }

    /**
     * The counter under the message box, in characters. The server's limit is in bytes (UTF-8): a
     * letter of the Latin alphabet takes one, an accented letter two, most emoji four. So the
     * characters left are estimated from what the message holds so far, and bytes are only
     * mentioned when the message is over the limit and holds such characters.
     */
    updateCounter() {
      const text = this.el.input.value;
      const bytes = byteLength(text);
      const over = bytes > this.maxBytes;
      const c = this.el.counter;
      if (bytes > this.maxBytes * 0.8) {
        const chars = Array.from(text).length;
        const perChar = chars ? bytes / chars : 1;
        const left = Math.floor((this.maxBytes - bytes) / perChar);
        const about = bytes !== chars;
        if (over) c.textContent = t(about ? 'counter_over_about' : 'counter_over', { count: Math.ceil(-left) });
        else c.textContent = left === 1 ? t('counter_left_one') : t(about ? 'counter_left_about' : 'counter_left', { count: left });
      } else {
        c.textContent = '';
      }
      c.classList.toggle('over', over);
      this.el.input.setAttribute('aria-invalid', String(over));
      this.el.send.disabled = over;
      if (over) this.showError(this.tooLong(text), true);
      else if (this.el.error.dataset.tooLong) this.showError('');
    }

    /** Why `text` cannot be sent; bytes are named only when they explain it (non-Latin text, emoji). */
    tooLong(text) {
      const plain = byteLength(text) === Array.from(text).length;
      return plain ? t('too_long') : t('too_long') + ' ' + t('too_long_bytes', { bytes: this.maxBytes });
    }

    // ---- handoff

    async requestHandoff() {
      const button = this.el.human;
      button.disabled = true;
      this.showError('');
      try {
        await this.ensureConversation();
        const res = await this.api('POST', '/conversations/' + this.conversationId + '/handoff');
        for (const m of res.messages || []) this.renderMessage(m);
        if (res.state) this.setState(res.state, this.agentName);
      } catch (err) {
        this.showError(this.describe(err));
      } finally {
        button.disabled = false;
      }
    }

    async cancelHandoff() {
      const button = this.el.back;
      button.disabled = true;
      this.showError('');
      try {
        const res = await this.api('DELETE', '/conversations/' + this.conversationId + '/handoff');
        if (res.state) this.setState(res.state, null);
      } catch (err) {
        this.showError(this.describe(err));
      } finally {
        button.disabled = false;
      }
    }

    // ---- the bot's reply while it is streamed

    /** Appends a piece of the bot's reply ("delta" frame) to its live preview bubble. */
    appendDelta(text) {
      if (typeof text !== 'string' || !text) return;
      if (this.state !== null && this.state !== 'ai' && this.state !== 'waiting') return;
      let d = this.draft;
      if (!d) {
        const name = (this.bot && this.bot.name) || t('assistant_name');
        const bubble = h('div', { class: 'bubble' });
        // Hidden from screen readers: the log announces the stored reply once, not every piece.
        const el = h(
          'li',
          { class: 'msg bot draft', 'aria-hidden': 'true' },
          h('div', { class: 'who' }, name, h('span', { class: 'tag', text: t('tag_ai') })),
          bubble,
          h('div', { class: 'sub' }, t('streaming'), h('span', { class: 'dots' }, h('span'), h('span'), h('span'))),
        );
        d = { el, bubble, text: '', timer: null };
        this.draft = d;
        this.el.log.insertBefore(el, this.el.log.querySelector('.msg.pending, .msg.failed'));
        this.hideTyping('bot');
      }
      d.text += text;
      d.bubble.textContent = d.text;
      clearTimeout(d.timer);
      d.timer = setTimeout(() => this.discardDraft(), DRAFT_IDLE_MS);
      this.scrollToEnd();
    }

    discardDraft() {
      const d = this.draft;
      if (!d) return;
      this.draft = null;
      clearTimeout(d.timer);
      d.el.remove();
    }

    // ---- typing indicator

    showTyping(frame) {
      if (frame.author_kind !== 'agent' && frame.author_kind !== 'bot') return;
      const name = frame.name || (frame.author_kind === 'agent' ? t('typing_team') : t('typing_assistant'));
      this.el.typing.replaceChildren(t('typing', { name }), h('span', { class: 'dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')));
      this.el.typing.dataset.author = frame.author_kind;
      this.el.typing.hidden = false;
      clearTimeout(this.typingTimer);
      // An agent's notice fades unless renewed; the bot's lasts until its turn ends (delta_end or
      // its reply), with a long fallback in case that frame is lost.
      this.typingTimer = setTimeout(() => this.hideTyping(), frame.author_kind === 'bot' ? 60000 : 6000);
    }

    hideTyping(author) {
      if (author && this.el.typing.dataset.author !== author) return;
      clearTimeout(this.typingTimer);
      this.el.typing.hidden = true;
    }

    // ---- the WebSocket

    connect() {
      if (!this.conversationId || this.ws) return;
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      const url =
        WS_ORIGIN + '/api/v1/widget/conversations/' + encodeURIComponent(this.conversationId) + '/ws?token=' + encodeURIComponent(this.token) + '&after=' + this.streamSeq;
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (_) {
        this.scheduleReconnect();
        return;
      }
      this.ws = ws;
      this.wsReady = false;
      ws.addEventListener('message', (ev) => {
        if (this.ws !== ws) return;
        let frame;
        try {
          frame = JSON.parse(ev.data);
        } catch (_) {
          return;
        }
        this.onFrame(frame);
      });
      ws.addEventListener('close', () => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.wsReady = false;
        this.stopHeartbeat();
        this.scheduleReconnect();
      });
    }

    disconnect() {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.stopHeartbeat();
      const ws = this.ws;
      this.ws = null;
      this.wsReady = false;
      if (ws) ws.close(1000);
    }

    wsSend(frame) {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
    }

    reconnectNow() {
      if (!this.conversationId || this.ws) return;
      this.reconnectAttempt = 0;
      this.connect();
    }

    async scheduleReconnect() {
      if (!this.conversationId || this.reconnectTimer) return;
      this.reconnectAttempt += 1;
      this.failedConnects += 1;
      // After repeated failures, check whether the conversation still exists for this token.
      if (this.failedConnects === 3) {
        try {
          await this.api('GET', '/conversations/' + this.conversationId);
        } catch (err) {
          if (err.status === 403 || err.status === 404) {
            this.forget(t('conversation_expired'));
            return;
          }
        }
      }
      const base = Math.min(30000, 1000 * 2 ** Math.min(this.reconnectAttempt - 1, 5));
      const delay = Math.round(base * (0.5 + Math.random() / 2));
      if (this.reconnectAttempt > 1) {
        this.el.conn.textContent = t('connection_lost', { seconds: secondsInWords(Math.max(1, Math.round(delay / 1000))) });
        this.el.conn.hidden = false;
      }
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        this.connect();
      }, delay);
    }

    startHeartbeat() {
      this.stopHeartbeat();
      this.heartbeatTimer = setInterval(() => {
        this.wsSend({ type: 'ping' });
        clearTimeout(this.pongTimer);
        this.pongTimer = setTimeout(() => {
          // No answer: the connection is dead even if the browser has not noticed.
          if (this.ws) this.ws.close();
        }, 10000);
      }, 25000);
    }

    stopHeartbeat() {
      clearInterval(this.heartbeatTimer);
      clearTimeout(this.pongTimer);
    }

    onFrame(frame) {
      clearTimeout(this.pongTimer);
      switch (frame.type) {
        case 'message': {
          const m = frame.message;
          if (!m || typeof m.seq !== 'number') return;
          this.renderMessage(m);
          if (m.seq > this.streamSeq) this.streamSeq = m.seq;
          if (m.seq > this.savedSeq) this.savedSeq = m.seq;
          if (!this.open && m.author_kind !== 'visitor' && m.seq > this.seenSeq) {
            this.unread += 1;
            this.el.badge.textContent = String(this.unread);
            this.el.badge.hidden = false;
            this.updateLauncherLabel();
          } else if (this.open) {
            this.seenSeq = Math.max(this.seenSeq, m.seq);
          }
          this.persist();
          break;
        }
        case 'state':
          this.setState(frame.state, frame.agent_name);
          if (frame.state !== 'human') this.hideTyping('agent');
          if (frame.state === 'lead_capture') this.hideTyping('bot');
          break;
        case 'queue':
          if (frame.conversation_id === this.conversationId) {
            this.queue = { position: frame.position, expected_wait_seconds: frame.expected_wait_seconds };
            this.updateControls();
          }
          break;
        case 'typing':
          if (frame.author_kind === 'bot' && this.draft) break;
          this.showTyping(frame);
          break;
        case 'delta':
          if (frame.conversation_id === this.conversationId) this.appendDelta(frame.text);
          break;
        case 'delta_end':
          // The turn ended: a stored reply has replaced the preview; a dropped one must go.
          if (frame.conversation_id === this.conversationId) {
            this.discardDraft();
            this.hideTyping('bot');
          }
          break;
        case 'ready':
          this.wsReady = true;
          this.reconnectAttempt = 0;
          this.failedConnects = 0;
          this.el.conn.hidden = true;
          this.startHeartbeat();
          this.flushOutbox();
          break;
        case 'error':
          if (frame.error && frame.error.message) console.warn('[baton] ' + frame.error.message);
          break;
        default:
          break;
      }
    }
  }

  /**
   * Who the visitor is, when the site knows (a logged-in customer): from the script's
   * data-visitor-id, data-visitor-email, data-visitor-name and data-visitor-signature, or from
   * BatonWidget.identify({ external_id, email, name, signature }) before the conversation starts.
   * The signature is made by the site's server with the workspace's identity secret.
   */
  let identity = null;

  function identityFrom(value) {
    if (!value || typeof value !== 'object') return null;
    const text = (v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const externalId = text(value.external_id);
    const signature = text(value.signature);
    if (!externalId || !signature) return null;
    return { external_id: externalId, email: text(value.email), name: text(value.name), signature };
  }

  identity = identityFrom({
    external_id: script.getAttribute('data-visitor-id'),
    email: script.getAttribute('data-visitor-email'),
    name: script.getAttribute('data-visitor-name'),
    signature: script.getAttribute('data-visitor-signature'),
  });

  function start() {
    const host = document.createElement('div');
    host.id = 'baton-widget-' + BOT_ID.replace(/[^A-Za-z0-9_-]/g, '');
    document.body.append(host);
    const widget = new Widget(host);
    if (!window.BatonWidget) {
      window.BatonWidget = {
        open: () => widget.toggle(true),
        close: () => widget.toggle(false),
        /** Names the visitor for the next conversation; false when the identity is incomplete. */
        identify: (value) => {
          const next = identityFrom(value);
          if (next) identity = next;
          return Boolean(next);
        },
      };
    }
  }

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
})();
