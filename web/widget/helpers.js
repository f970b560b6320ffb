/*
 * Small helpers: building elements, icons, client ids, sizes, links in FreshChat messages,
 * timestamps, the conversation kept in localStorage, API errors, colours.
 */

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
