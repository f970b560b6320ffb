/*
 * Times of day (HH:MM) in the schedule, durations, instants shown in a zone, and zones as the
 * browser knows them (Intl), for the time zone picker and "today" in the schedule's zone.
 */

import { DAY_MS, MINUTE } from './constants.js';

/** `HH:MM` → minutes after midnight, or null. 24:00 only as an end. The server's grammar. */
export function parseHHMM(text, isEnd) {
  const m = /^(\d\d):(\d\d)$/.exec(text);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour <= 23 && minute <= 59) return hour * 60 + minute;
  if (isEnd && hour === 24 && minute === 0) return 1440;
  return null;
}

export const fmtHHMM = (minutes) => String(Math.floor(minutes / 60)).padStart(2, '0') + ':' + String(minutes % 60).padStart(2, '0');

/** Friendly input: "9" → "09:00", "930" / "9.30" / "9h30" → "09:30". Anything else is left alone. */
export function normalizeTime(text) {
  const t = text.trim();
  let m = /^(\d{1,2})$/.exec(t);
  if (m && Number(m[1]) <= 24) return m[1].padStart(2, '0') + ':00';
  m = /^(\d{1,2})[:.hH]?(\d{2})$/.exec(t);
  if (m && Number(m[1]) <= 24) return m[1].padStart(2, '0') + ':' + m[2];
  return t;
}

export function slotNote(slot) {
  const start = parseHHMM(slot.start, false);
  const end = parseHHMM(slot.end, true);
  if (start === null || end === null) {
    const bad = start === null ? slot.start : slot.end;
    return { text: bad === '' ? 'enter HH:MM' : 'use HH:MM, e.g. 09:30', kind: 'warn' };
  }
  if (start === end) return { text: 'empty: start and end are equal', kind: 'warn' };
  if (end === 1440) return { text: 'until midnight · ' + duration(1440 - start), kind: '' };
  if (end < start || end === 0) return { text: 'ends next day at ' + fmtHHMM(end) + ' · ' + duration(1440 - start + end), kind: 'overnight' };
  return { text: duration(end - start), kind: '' };
}

export function duration(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return rest + ' min';
  return hours + ' h' + (rest ? ' ' + rest + ' min' : '');
}

export function slotsSummary(slots) {
  return slots.map((x) => (x.start || '?') + '–' + (x.end || '?')).join(', ');
}

export function fmtInstant(t, tz) {
  const opts = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (Math.abs(t - Date.now()) > 300 * DAY_MS) opts.year = 'numeric';
  try {
    return new Intl.DateTimeFormat(undefined, { ...opts, timeZone: tz }).format(new Date(t));
  } catch (_) {
    return new Date(t).toISOString();
  }
}

export function fromNow(t) {
  const minutes = Math.round((t - Date.now()) / MINUTE);
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 60) return 'in ' + minutes + ' min';
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return 'in ' + hours + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '');
  return 'in ' + Math.round(minutes / 1440) + ' days';
}

// ---- zones, from the browser's own tz data (Intl) ------------------------------------------

const formatterCache = new Map();

function partsFormatter(tz) {
  let f = formatterCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatterCache.set(tz, f);
  }
  return f;
}

/** Whether the browser knows the zone (its Intl tz data). */
export function zoneWorks(tz) {
  try {
    partsFormatter(tz);
    return true;
  } catch (_) {
    return false;
  }
}

/** The zone's UTC offset in ms at instant t. */
export function offsetAt(tz, t) {
  const whole = Math.floor(t / 1000) * 1000;
  const p = {};
  for (const part of partsFormatter(tz).formatToParts(new Date(whole))) p[part.type] = part.value;
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return local - whole;
}

export function offsetLabel(ms) {
  const minutes = Math.round(ms / MINUTE);
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return 'UTC' + sign + String(Math.floor(abs / 60)).padStart(2, '0') + ':' + String(abs % 60).padStart(2, '0');
}
