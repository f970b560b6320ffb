/*
 * Problems with the form: checked here or reported by the server, shown next to their fields and
 * in a summary.
 */

import { $, h } from '../shared/dom.js';
import { capitalize, charCount } from '../shared/text.js';
import { DAY_LABEL, FIELD_LABEL, TEXT_FIELDS } from './constants.js';
import { parentPath, pathId } from './fields.js';
import { limit } from './limits.js';
import { S } from './state.js';

export function describeField(path) {
  if (FIELD_LABEL[path]) return FIELD_LABEL[path];
  let m = /^schedule\.weekly\.([a-z]+)(?:\.slots(?:\[(\d+)\](?:\.(start|end))?)?|\.(enabled))?$/.exec(path);
  if (m) {
    const day = DAY_LABEL[m[1]] || m[1];
    if (m[2] !== undefined) return day + ', slot ' + (Number(m[2]) + 1) + (m[3] ? ' ' + m[3] : '');
    return day;
  }
  m = /^schedule\.overrides\[(\d+)\](?:\.(date)|\.slots(?:\[(\d+)\](?:\.(start|end))?)?)?$/.exec(path);
  if (m) {
    const o = S.model && S.model.schedule.overrides[Number(m[1])];
    const name = o && o.date ? 'Special date ' + o.date : 'Special date ' + (Number(m[1]) + 1);
    if (m[2]) return name + ', date';
    if (m[3] !== undefined) return name + ', slot ' + (Number(m[3]) + 1) + (m[4] ? ' ' + m[4] : '');
    return name;
  }
  return path || 'Request';
}

/** Server messages, made readable where they name an internal path or an empty value. */
export function humanMessage(field, message) {
  let text = String(message || '');
  if (/\.date$/.test(field) && /^"" is not/.test(text)) return 'Choose a date.';
  if (/\.(start|end)$/.test(field) && /^"" is not/.test(text)) return 'Enter a time as HH:MM.';
  text = text.replace(/overrides\[(\d+)\]/g, (_, n) => {
    const o = S.model && S.model.schedule.overrides[Number(n)];
    return 'the special date in row ' + (Number(n) + 1) + (o && o.date ? ' (' + o.date + ')' : '');
  });
  return capitalize(text);
}

/** Settings checks the server makes (it reports only the first; these show them all at once). */
export function validateSettings(s) {
  const errors = [];
  for (const f of TEXT_FIELDS) {
    const n = charCount(s[f.key].trim());
    if (n === 0) errors.push({ field: 'settings.' + f.key, message: f.label + ' cannot be empty.' });
    else if (n > limit(f.limit)) errors.push({ field: 'settings.' + f.key, message: f.label + ' is ' + n + ' characters; at most ' + limit(f.limit) + '.' });
  }
  const raw = s.accept_timeout_seconds.trim();
  const min = limit('handoff.accept_timeout_seconds.min');
  const max = limit('handoff.accept_timeout_seconds.max');
  if (!/^\d+$/.test(raw)) {
    errors.push({ field: 'settings.accept_timeout_seconds', message: 'Enter a whole number of seconds from ' + min + ' to ' + max + '.' });
  } else if (Number(raw) < min || Number(raw) > max) {
    errors.push({ field: 'settings.accept_timeout_seconds', message: 'The accept timeout must be between ' + min + ' and ' + max + ' seconds.' });
  }
  return errors;
}

/** Drops the errors of a field, of what is inside it, and of the row it belongs to. */
export function clearErrors(path) {
  if (!S.errors.length) return;
  const before = S.errors.length;
  S.errors = S.errors.filter((e) => {
    const f = e.field;
    const inside = f === path || f.startsWith(path + '.') || f.startsWith(path + '[');
    const row = /\[\d+\]$/.test(f) && (path.startsWith(f + '.') || path.startsWith(f + '['));
    return !(inside || row);
  });
  if (S.errors.length !== before) applyErrors();
}

function findFieldElement(path) {
  let p = path;
  while (p) {
    const el = document.querySelector('[data-field="' + CSS.escape(p) + '"]');
    if (el) return el;
    p = parentPath(p);
  }
  return null;
}

export function applyErrors() {
  for (const el of document.querySelectorAll('#editor .field-error')) {
    el.replaceChildren();
    el.hidden = true;
  }
  for (const el of document.querySelectorAll('#editor [aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of document.querySelectorAll('#editor .has-error')) el.classList.remove('has-error');

  const placed = [];
  for (const err of S.errors) {
    const el = findFieldElement(err.field);
    let target = null;
    if (el) {
      const host = el.hasAttribute('data-errhost') ? el : el.closest('[data-errhost]') || el;
      const hostPath = host.getAttribute('data-field') || '';
      const box = host.querySelector(':scope > .field-error') || $('err-' + pathId(hostPath)) || $('err-' + pathId(parentPath(err.field)));
      if (box) {
        box.append(h('span', { text: humanMessage(err.field, err.message) }));
        box.hidden = false;
      }
      host.classList.add('has-error');
      const controls = /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)
        ? [el]
        : [...el.querySelectorAll('input, textarea, select')].filter((c) => c.closest('[data-errhost]') === host && c.type !== 'radio');
      for (const c of controls) {
        c.setAttribute('aria-invalid', 'true');
        if (box && box.id) {
          const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
          if (!ids.includes(box.id)) c.setAttribute('aria-describedby', ids.concat(box.id).join(' '));
        }
      }
      target = controls[0] || el;
    }
    placed.push({ err, target });
  }
  // The summary lists the problems in page order (those without a place last).
  placed.sort((a, b) => {
    if (!a.target || !b.target) return (a.target ? 0 : 1) - (b.target ? 0 : 1);
    if (a.target === b.target) return 0;
    return a.target.compareDocumentPosition(b.target) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  renderSummary(placed);
}

function renderSummary(placed) {
  const summary = $('error-summary');
  const list = $('error-summary-list');
  if (!placed.length && !S.errorNote) {
    summary.hidden = true;
    list.replaceChildren();
    return;
  }
  summary.hidden = false;
  const n = placed.length;
  $('error-summary-title').textContent = 'Nothing was saved';
  $('error-summary-text').textContent = S.errorNote || (n === 1 ? 'Fix this problem, then save again:' : 'Fix these ' + n + ' problems, then save again:');
  list.replaceChildren(
    ...placed.map(({ err, target }) =>
      h(
        'li',
        null,
        h('button', {
          type: 'button',
          class: 'linkish',
          text: describeField(err.field),
          onclick: () => {
            if (target) {
              target.scrollIntoView({ block: 'center' });
              if (typeof target.focus === 'function') target.focus();
            }
          },
        }),
        ': ' + humanMessage(err.field, err.message),
      ),
    ),
  );
}
