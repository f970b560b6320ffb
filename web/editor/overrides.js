/*
 * Holidays and special dates: overrides that replace a date's slots.
 */

import { $, h } from '../shared/dom.js';
import { DAY_LABEL, DAYS } from './constants.js';
import { applyErrors, clearErrors } from './errors.js';
import { announce, pathId } from './fields.js';
import { limit } from './limits.js';
import { changed } from './save.js';
import { S } from './state.js';
import { offsetAt } from './times.js';
import { addSlot, focusLast, slotRow } from './weekly.js';

// -- overrides

export function renderOverrides() {
  const overrides = S.model.schedule.overrides;
  const rows = overrides.map((o, i) => overrideRow(o, i));
  if (!rows.length) rows.push(h('p', { class: 'help empty', text: 'No special dates. Add holidays (closed all day) or days with different hours.' }));
  $('overrides').replaceChildren(...rows);
  $('add-override').disabled = overrides.length >= limit('schedule.overrides');
  applyErrors();
}

function weekdayOf(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  const t = Date.parse(date + 'T00:00:00Z');
  if (Number.isNaN(t)) return '';
  return DAY_LABEL[DAYS[(new Date(t).getUTCDay() + 6) % 7]];
}

function todayInZone() {
  const tz = S.model.schedule.timezone;
  try {
    const local = Date.now() + offsetAt(tz, Date.now());
    return new Date(local).toISOString().slice(0, 10);
  } catch (_) {
    return new Date().toISOString().slice(0, 10);
  }
}

function overrideRow(o, i) {
  const path = 'schedule.overrides[' + i + ']';
  const id = 'override-' + i;
  const label = o.date ? o.date : 'Date ' + (i + 1);
  const weekday = h('span', { class: 'ov-weekday', id: id + '-weekday', text: weekdayOf(o.date) });
  const past = h('span', { class: 'tag past', id: id + '-past', text: 'past', hidden: !(o.date && o.date < todayInZone()) });
  const rerender = () => {
    renderOverrides();
  };
  const modeName = 'ov-mode-' + o.uid;
  const head = h(
    'div',
    { class: 'ov-head' },
    h(
      'div',
      { class: 'ov-date', 'data-field': path + '.date', 'data-errhost': '' },
      h('label', { for: id + '-date', text: 'Date' }),
      h('input', {
        type: 'date',
        id: id + '-date',
        value: o.date,
        'aria-describedby': id + '-weekday err-' + pathId(path + '.date'),
        oninput: (ev) => {
          o.date = ev.target.value;
          weekday.textContent = weekdayOf(o.date);
          past.hidden = !(o.date && o.date < todayInZone());
          clearErrors(path + '.date');
          changed();
        },
      }),
      weekday,
      past,
      h('p', { class: 'field-error', id: 'err-' + pathId(path + '.date') }),
    ),
    h(
      'fieldset',
      { class: 'ov-mode' },
      h('legend', { class: 'sr-only', text: 'Hours on ' + label }),
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'radio',
          name: modeName,
          id: id + '-closed',
          value: 'closed',
          checked: o.closed,
          onchange: () => {
            o.closed = true;
            clearErrors(path);
            rerender();
            changed();
          },
        }),
        ' Closed all day',
      ),
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'radio',
          name: modeName,
          id: id + '-open',
          value: 'open',
          checked: !o.closed,
          onchange: () => {
            o.closed = false;
            if (!o.slots.length) o.slots.push({ start: '09:00', end: '17:00' });
            clearErrors(path);
            rerender();
            changed();
          },
        }),
        ' Open at these times',
      ),
    ),
    h('button', {
      type: 'button',
      class: 'linkish ov-remove',
      id: id + '-remove',
      text: 'Remove date',
      'aria-label': 'Remove the special date ' + label,
      onclick: () => {
        S.model.schedule.overrides.splice(i, 1);
        clearErrors('schedule.overrides');
        rerender();
        changed();
        announce('Special date ' + label + ' removed');
        $('add-override').focus();
      },
    }),
  );
  const body = o.closed
    ? null
    : h(
        'div',
        { class: 'ov-slots' },
        h(
          'div',
          { class: 'slots', 'data-field': path + '.slots', 'data-errhost': '' },
          o.slots.map((slot, j) => slotRow(o.slots, j, path, id, label, rerender)),
          !o.slots.length ? h('p', { class: 'help', text: 'No slots: closed all day.' }) : null,
          h('p', { class: 'field-error', id: 'err-' + pathId(path + '.slots') }),
        ),
        h('button', {
          type: 'button',
          class: 'add-slot',
          id: id + '-add-slot',
          text: '+ Add slot',
          'aria-label': 'Add slot on ' + label,
          disabled: o.slots.length >= limit('schedule.slots_per_day'),
          onclick: () => {
            addSlot(o.slots);
            clearErrors(path + '.slots');
            rerender();
            changed();
            focusLast(id + '-slot-' + (o.slots.length - 1) + '-start');
          },
        }),
      );
  return h(
    'div',
    { class: 'override' + (o.closed ? ' closed' : ''), 'data-index': String(i), 'data-field': path, 'data-errhost': '' },
    head,
    body,
    h('p', { class: 'field-error', id: 'err-' + pathId(path) }),
  );
}

export function addOverride() {
  const overrides = S.model.schedule.overrides;
  if (overrides.length >= limit('schedule.overrides')) return;
  overrides.push({ uid: ++S.uid, date: '', closed: true, slots: [] });
  clearErrors('schedule.overrides');
  renderOverrides();
  changed();
  const input = $('override-' + (overrides.length - 1) + '-date');
  if (input) input.focus();
}
