/*
 * The schedule's time zone: a searchable list (combobox) of the server's zones.
 */

import { $, h } from '../shared/dom.js';
import { BROWSER_TZ } from './constants.js';
import { clearErrors } from './errors.js';
import { announce } from './fields.js';
import { knownZone } from './load.js';
import { changed } from './save.js';
import { S } from './state.js';
import { fmtInstant, offsetAt, offsetLabel, zoneWorks } from './times.js';

// -- time zone picker

export function renderTimezoneField() {
  const input = $('tz-input');
  if (document.activeElement !== input) input.value = S.model.schedule.timezone;
  const browserButton = $('tz-use-browser');
  const browserZone = knownZone(BROWSER_TZ);
  browserButton.hidden = !browserZone || browserZone === S.model.schedule.timezone;
  browserButton.textContent = 'Use my browser’s time zone (' + (browserZone || BROWSER_TZ) + ')';
  $('tz-notice').textContent = S.tzNotice;
  $('tz-notice').hidden = !S.tzNotice;
  renderTzNow();
}

export function renderTzNow() {
  const tz = S.model.schedule.timezone;
  const el = $('tz-now');
  if (!zoneWorks(tz)) {
    el.textContent = tz ? 'Unknown time zone “' + tz + '”: choose one from the list.' : 'Choose a time zone.';
    el.classList.add('warn');
    return;
  }
  el.classList.remove('warn');
  const now = Date.now();
  let text = 'Now in ' + tz + ': ' + fmtInstant(now, tz) + ' (' + offsetLabel(offsetAt(tz, now)) + ')';
  if (BROWSER_TZ && BROWSER_TZ !== tz) text += ' · your time (' + BROWSER_TZ + '): ' + fmtInstant(now, BROWSER_TZ);
  else text += ' · the same as your local time';
  el.textContent = text;
}

function tzFilter(query) {
  const q = query.trim().toLowerCase().replace(/\s+/g, '_');
  if (!q) return S.timezones.slice();
  const scored = [];
  for (const name of S.timezones) {
    const lower = name.toLowerCase();
    const loose = lower.replace(/[_/-]/g, ' ');
    let score = -1;
    if (lower === q) score = 0;
    else if (lower.split('/').pop().startsWith(q)) score = 1;
    else if (lower.split(/[/_-]/).some((part) => part.startsWith(q))) score = 2;
    else if (lower.includes(q) || loose.includes(q.replace(/_/g, ' '))) score = 3;
    if (score >= 0) scored.push([score, name]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1));
  return scored.map((x) => x[1]);
}

const TZ_SHOWN = 60;

export function openTzList(query, browsing) {
  const list = $('tz-list');
  const input = $('tz-input');
  const matches = tzFilter(query);
  S.tzMatches = matches.slice(0, TZ_SHOWN);
  S.tzActive = S.tzMatches.length && !browsing ? 0 : -1;
  const now = Date.now();
  const items = S.tzMatches.map((name, i) => {
    let offset = '';
    try {
      offset = offsetLabel(offsetAt(name, now));
    } catch (_) {
      offset = '';
    }
    return h(
      'li',
      {
        id: 'tz-opt-' + i,
        role: 'option',
        'data-value': name,
        'aria-selected': i === S.tzActive ? 'true' : 'false',
        onmousedown: (ev) => ev.preventDefault(),
        onclick: () => chooseTz(name),
      },
      h('span', { class: 'tz-name', text: name }),
      offset ? h('span', { class: 'tz-offset', text: offset }) : null,
    );
  });
  if (!items.length) items.push(h('li', { class: 'tz-empty', role: 'option', 'aria-disabled': 'true', text: 'No time zone matches “' + query.trim() + '”' }));
  else if (matches.length > TZ_SHOWN) {
    items.push(h('li', { class: 'tz-more', role: 'option', 'aria-disabled': 'true', text: matches.length - TZ_SHOWN + ' more: keep typing to narrow the list' }));
  }
  list.replaceChildren(...items);
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
  setTzActive(S.tzActive);
}

export function closeTzList() {
  $('tz-list').hidden = true;
  $('tz-input').setAttribute('aria-expanded', 'false');
  $('tz-input').removeAttribute('aria-activedescendant');
  S.tzActive = -1;
}

function setTzActive(i) {
  S.tzActive = i;
  const input = $('tz-input');
  for (const li of $('tz-list').querySelectorAll('li[data-value]')) li.setAttribute('aria-selected', 'false');
  const li = i >= 0 ? $('tz-opt-' + i) : null;
  if (li) {
    li.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({ block: 'nearest' });
  } else input.removeAttribute('aria-activedescendant');
}

export function chooseTz(name) {
  $('tz-input').value = name;
  closeTzList();
  setTimezone(name);
  announce('Time zone: ' + name);
}

function setTimezone(name) {
  S.model.schedule.timezone = name;
  S.tzNotice = '';
  clearErrors('schedule.timezone');
  renderTimezoneField();
  changed();
}

export function onTzInput() {
  const value = $('tz-input').value;
  S.model.schedule.timezone = value.trim();
  S.tzNotice = '';
  $('tz-notice').hidden = true;
  clearErrors('schedule.timezone');
  openTzList(value);
  renderTzNow();
  changed();
}

export function onTzKey(ev) {
  const list = $('tz-list');
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    if (list.hidden) {
      openTzList('', true);
      return;
    }
    if (!S.tzMatches.length) return;
    const next = ev.key === 'ArrowDown' ? Math.min(S.tzActive + 1, S.tzMatches.length - 1) : Math.max(S.tzActive - 1, 0);
    setTzActive(next);
  } else if (ev.key === 'Enter') {
    ev.preventDefault();
    if (!list.hidden && S.tzActive >= 0 && S.tzMatches[S.tzActive]) chooseTz(S.tzMatches[S.tzActive]);
    else {
      const canonical = knownZone($('tz-input').value.trim());
      if (canonical) chooseTz(canonical);
    }
  } else if (ev.key === 'Escape') {
    if (!list.hidden) {
      ev.preventDefault();
      closeTzList();
    }
  }
}

export function onTzBlur() {
  closeTzList();
  const value = $('tz-input').value.trim();
  const canonical = knownZone(value);
  if (canonical && canonical !== S.model.schedule.timezone) setTimezone(canonical);
  if (canonical) $('tz-input').value = canonical;
}
