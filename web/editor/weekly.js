/*
 * The weekly schedule: a row per day, its slots, and copying a day to others.
 */

import { $, h } from '../shared/dom.js';
import { DAY_LABEL, DAYS } from './constants.js';
import { applyErrors, clearErrors } from './errors.js';
import { announce, pathId } from './fields.js';
import { limit } from './limits.js';
import { changed } from './save.js';
import { S } from './state.js';
import { fmtHHMM, normalizeTime, parseHHMM, slotNote, slotsSummary } from './times.js';

// -- weekly days

export function renderDays() {
  $('days').replaceChildren(...DAYS.map(dayElement));
}

function dayElement(day) {
  const model = S.model.schedule.weekly[day];
  const path = 'schedule.weekly.' + day;
  const label = DAY_LABEL[day];
  const status = !model.enabled ? 'Closed' : model.slots.length ? slotsSummary(model.slots) : 'Closed (no slots)';
  const slots = h(
    'div',
    { class: 'slots', 'data-field': path + '.slots', 'data-errhost': '' },
    model.slots.map((slot, i) => slotRow(model.slots, i, path, day, label, () => renderDay(day))),
    !model.enabled && model.slots.length
      ? h('p', { class: 'help', text: 'Closed on ' + label + 's. The slots are kept for when you open the day again.' })
      : null,
    model.enabled && !model.slots.length ? h('p', { class: 'help', text: 'No slots: closed all day.' }) : null,
    h('p', { class: 'field-error', id: 'err-' + pathId(path + '.slots') }),
  );
  return h(
    'div',
    { class: 'day' + (model.enabled ? '' : ' off'), 'data-day': day, 'data-field': path, 'data-errhost': '' },
    h(
      'div',
      { class: 'day-head' },
      h(
        'span',
        { class: 'day-toggle', 'data-field': path + '.enabled' },
        h('input', {
          type: 'checkbox',
          id: 'day-' + day + '-enabled',
          checked: model.enabled,
          'aria-describedby': 'day-' + day + '-status',
          onchange: (ev) => {
            model.enabled = ev.target.checked;
            if (model.enabled && !model.slots.length) model.slots.push({ start: '09:00', end: '17:00' });
            clearErrors(path + '.enabled');
            renderDay(day);
            changed();
            announce(label + (model.enabled ? ' open' : ' closed'));
          },
        }),
        h('label', { for: 'day-' + day + '-enabled', class: 'day-name', text: label }),
      ),
      h('span', { class: 'day-status', id: 'day-' + day + '-status', text: status }),
      // The spoken name starts with the visible words (label in name); the day follows.
      h(
        'button',
        { type: 'button', class: 'linkish copy-button', id: day + '-copy', onclick: () => openCopy(day) },
        'Copy to other days…',
        h('span', { class: 'sr-only', text: ' (' + label + '’s hours)' }),
      ),
    ),
    slots,
    h('button', {
      type: 'button',
      class: 'add-slot',
      id: day + '-add-slot',
      text: '+ Add slot',
      'aria-label': 'Add slot on ' + label,
      disabled: model.slots.length >= limit('schedule.slots_per_day'),
      title: model.slots.length >= limit('schedule.slots_per_day') ? 'At most ' + limit('schedule.slots_per_day') + ' slots a day' : null,
      onclick: () => {
        addSlot(model.slots);
        if (!model.enabled) model.enabled = true;
        clearErrors(path + '.slots');
        renderDay(day);
        changed();
        focusLast(day + '-slot-' + (model.slots.length - 1) + '-start');
      },
    }),
    h('p', { class: 'field-error', id: 'err-' + pathId(path) }),
  );
}

function renderDay(day) {
  const old = document.querySelector('.day[data-day="' + day + '"]');
  const fresh = dayElement(day);
  if (old) old.replaceWith(fresh);
  else renderDays();
  applyErrors();
}

export function focusLast(id) {
  const el = $(id);
  if (el) {
    el.focus();
    el.select();
  }
}

export function addSlot(slots) {
  if (slots.length >= limit('schedule.slots_per_day')) return;
  if (!slots.length) {
    slots.push({ start: '09:00', end: '17:00' });
    return;
  }
  const lastEnd = parseHHMM(slots[slots.length - 1].end, true);
  if (lastEnd !== null && lastEnd > parseHHMM(slots[slots.length - 1].start, false) && lastEnd <= 1320) {
    const start = lastEnd + 60;
    slots.push({ start: fmtHHMM(start), end: fmtHHMM(Math.min(start + 120, 1440)) });
  } else slots.push({ start: '', end: '' });
}

/**
 * One slot row: start and end inputs, what the slot means ("ends next day"), remove.
 * `idBase` makes the element ids (`monday-slot-0-start`, `override-2-slot-1-end`).
 */
export function slotRow(slots, i, listOwnerPath, idBase, ownerLabel, rerender) {
  const slot = slots[i];
  const path = listOwnerPath + '.slots[' + i + ']';
  const id = idBase + '-slot-' + i;
  const note = slotNote(slot);
  const noteEl = h('span', { class: 'slot-note ' + note.kind, id: id + '-note', text: note.text });
  const what = ownerLabel + ', slot ' + (i + 1);
  const timeInput = (which) =>
    h('input', {
      type: 'text',
      class: 'time',
      id: id + '-' + which,
      value: slot[which],
      inputmode: 'numeric',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '5',
      placeholder: 'HH:MM',
      'data-field': path + '.' + which,
      'aria-describedby': id + '-note err-' + pathId(path),
      oninput: (ev) => {
        slot[which] = ev.target.value.trim();
        clearErrors(path + '.' + which);
        const n = slotNote(slot);
        noteEl.textContent = n.text;
        noteEl.className = 'slot-note ' + n.kind;
        changed();
      },
      onchange: (ev) => {
        const normal = normalizeTime(ev.target.value);
        if (normal !== ev.target.value) {
          ev.target.value = normal;
          slot[which] = normal;
          const n = slotNote(slot);
          noteEl.textContent = n.text;
          noteEl.className = 'slot-note ' + n.kind;
          changed();
        }
        refreshSummaries();
      },
    });
  return h(
    'div',
    { class: 'slot', 'data-field': path, 'data-errhost': '', role: 'group', 'aria-label': what },
    h('label', { for: id + '-start', class: 'sr-only', text: what + ' start' }),
    timeInput('start'),
    h('span', { class: 'dash', 'aria-hidden': 'true', text: '–' }),
    h('label', { for: id + '-end', class: 'sr-only', text: what + ' end' }),
    timeInput('end'),
    noteEl,
    h('button', {
      type: 'button',
      class: 'slot-remove linkish',
      id: id + '-remove',
      text: 'Remove',
      'aria-label': 'Remove ' + what,
      onclick: () => {
        slots.splice(i, 1);
        clearErrors(listOwnerPath + '.slots');
        rerender();
        changed();
        announce(what + ' removed');
      },
    }),
    h('p', { class: 'field-error', id: 'err-' + pathId(path) }),
  );
}

/** Day status lines and override weekday labels, after an edit that does not re-render. */
export function refreshSummaries() {
  for (const day of DAYS) {
    const model = S.model.schedule.weekly[day];
    const el = $('day-' + day + '-status');
    if (el) el.textContent = !model.enabled ? 'Closed' : model.slots.length ? slotsSummary(model.slots) : 'Closed (no slots)';
  }
}

// -- copy to other days

function openCopy(day) {
  S.copySource = day;
  const model = S.model.schedule.weekly[day];
  $('copy-title').textContent = 'Copy ' + DAY_LABEL[day] + '’s hours';
  $('copy-text').textContent =
    (model.enabled && model.slots.length ? DAY_LABEL[day] + ': ' + slotsSummary(model.slots) + '. ' : DAY_LABEL[day] + ' is closed. ') +
    'The days you choose get the same hours; their own hours are replaced.';
  $('copy-days').replaceChildren(
    ...DAYS.filter((d) => d !== day).map((d) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'copy-to-' + d, value: d }), ' ' + DAY_LABEL[d]),
    ),
  );
  $('copy-error').textContent = '';
  $('copy-dialog').showModal();
  const first = $('copy-days').querySelector('input');
  if (first) first.focus();
}

export function setCopyChecks(days) {
  for (const input of $('copy-days').querySelectorAll('input')) input.checked = days.includes(input.value);
}

export function applyCopy(ev) {
  ev.preventDefault();
  const source = S.copySource;
  const targets = [...$('copy-days').querySelectorAll('input:checked')].map((i) => i.value);
  if (!targets.length) {
    $('copy-error').textContent = 'Choose at least one day.';
    return;
  }
  const from = S.model.schedule.weekly[source];
  for (const d of targets) {
    S.model.schedule.weekly[d] = { enabled: from.enabled, slots: from.slots.map((x) => ({ start: x.start, end: x.end })) };
    clearErrors('schedule.weekly.' + d);
  }
  $('copy-dialog').close();
  renderDays();
  applyErrors();
  changed();
  const names = targets.map((d) => DAY_LABEL[d]).join(', ');
  announce('Copied ' + DAY_LABEL[source] + '’s hours to ' + names + '.');
  const button = $(source + '-copy');
  if (button) button.focus();
}
