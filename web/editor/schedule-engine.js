/*
 * The schedule engine, in the browser, for the preview of unsaved edits.
 */

import { DAY_LABEL, DAY_MS, DAYS, MINUTE } from './constants.js';
import { parseHHMM } from './times.js';

//
// The same rule as the server's (crates/baton-domain/src/schedule): a slot covers the instants
// whose local wall-clock time in the zone lies in [start, end) on the date it starts on, running
// into the next date when end <= start; an override replaces the slots that start on its date.
// Evaluated on the wall clock, a time skipped by a DST gap is never open, a slot starting inside
// a gap opens at the first instant after it, and a repeated hour is open both times. The zone's
// offsets come from the browser's own tz data (Intl), which can lag the server's bundled
// database.

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

/** Compiles the model's schedule for the preview, or explains why it cannot. */
export function compileSchedule(sched) {
  const tz = sched.timezone;
  if (!tz || !zoneWorks(tz)) return { problem: tz ? 'unknown time zone “' + tz + '”' : 'no time zone chosen' };
  const compileList = (slots, where) => {
    const out = [];
    for (let i = 0; i < slots.length; i++) {
      const start = parseHHMM(slots[i].start, false);
      const end = parseHHMM(slots[i].end, true);
      if (start === null || end === null) return { problem: where + ', slot ' + (i + 1) + ' is not HH:MM–HH:MM' };
      if (start === end) return { problem: where + ', slot ' + (i + 1) + ' is empty (start = end)' };
      out.push({ start, end });
    }
    return { slots: out };
  };
  const weekly = [];
  for (const d of DAYS) {
    const day = sched.weekly[d];
    if (!day.enabled) {
      weekly.push([]);
      continue;
    }
    const r = compileList(day.slots, DAY_LABEL[d]);
    if (r.problem) return r;
    weekly.push(r.slots);
  }
  const overrides = new Map();
  for (const o of sched.overrides) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date) || Number.isNaN(Date.parse(o.date + 'T00:00:00Z'))) {
      return { problem: o.date ? 'the date “' + o.date + '” is not valid' : 'a special date has no date yet' };
    }
    const r = o.closed ? { slots: [] } : compileList(o.slots, o.date);
    if (r.problem) return r;
    overrides.set(o.date, r.slots);
  }
  const bounds = new Set([0]);
  for (const list of [...weekly, ...overrides.values()]) {
    for (const x of list) {
      bounds.add(x.start);
      bounds.add(x.end % 1440);
    }
  }
  return { tz, never: sched.never_available, weekly, overrides, bounds: [...bounds].sort((a, b) => a - b) };
}

function slotsStartingOn(c, dayNumber) {
  const date = new Date(dayNumber * DAY_MS);
  const key = date.toISOString().slice(0, 10);
  if (c.overrides.has(key)) return c.overrides.get(key);
  return c.weekly[(date.getUTCDay() + 6) % 7];
}

/** Whether the schedule is open at a local wall-clock time (ms since the epoch, as if UTC). */
function openAtLocal(c, local) {
  const dayNumber = Math.floor(local / DAY_MS);
  const m = (local - dayNumber * DAY_MS) / MINUTE;
  for (const x of slotsStartingOn(c, dayNumber)) {
    if (x.end > x.start ? m >= x.start && m < x.end : m >= x.start) return true;
  }
  for (const x of slotsStartingOn(c, dayNumber - 1)) {
    if (x.end <= x.start && m < x.end) return true;
  }
  return false;
}

export function isOpenAt(c, t) {
  return !c.never && openAtLocal(c, t + offsetAt(c.tz, t));
}

/**
 * The first instant after t0 at which "open" flips, looking at most 366 days ahead, or null.
 * Walks the window in 6-hour pieces; within a piece the offset is constant except at a
 * transition, found to the second. Open can only flip at a slot boundary on the wall clock or
 * at a transition, so only those instants are checked.
 */
export function nextChange(c, t0) {
  if (c.never) return null;
  const open = isOpenAt(c, t0);
  const limit = t0 + 366 * DAY_MS;
  const STEP = 6 * 3600 * 1000;
  let a = t0;
  let offA = offsetAt(c.tz, a);
  while (a < limit) {
    const b = Math.min(a + STEP, limit);
    const offB = offsetAt(c.tz, b);
    const pieces = [];
    if (offA === offB) pieces.push({ from: a, to: b, off: offA, transition: false });
    else {
      let lo = a;
      let hi = b;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo) break;
        if (offsetAt(c.tz, mid) === offA) lo = mid;
        else hi = mid;
      }
      pieces.push({ from: a, to: hi, off: offA, transition: false });
      pieces.push({ from: hi, to: b, off: offsetAt(c.tz, hi), transition: true });
    }
    for (const piece of pieces) {
      const candidates = [];
      if (piece.transition && piece.from > t0) candidates.push(piece.from);
      const firstDay = Math.floor((piece.from + piece.off) / DAY_MS);
      const lastDay = Math.floor((piece.to + piece.off) / DAY_MS);
      for (let d = firstDay; d <= lastDay; d++) {
        for (const bound of c.bounds) {
          const instant = d * DAY_MS + bound * MINUTE - piece.off;
          if (instant > t0 && instant >= piece.from && instant < piece.to) candidates.push(instant);
        }
      }
      candidates.sort((x, y) => x - y);
      for (const instant of candidates) {
        if (openAtLocal(c, instant + piece.off) !== open) return instant;
      }
    }
    a = b;
    offA = offB;
  }
  return null;
}

// The engine, for the end-to-end test that checks it against the server's (`baton schedule check`).
window.batonEditorSchedule = Object.freeze({
  check(doc, at) {
    const c = compileSchedule({
      timezone: doc.timezone,
      never_available: Boolean(doc.never_available),
      weekly: Object.fromEntries(
        DAYS.map((d) => {
          const day = (doc.weekly || {})[d];
          return [d, day ? { enabled: day.enabled !== false, slots: day.slots || [] } : { enabled: false, slots: [] }];
        }),
      ),
      overrides: (doc.overrides || []).map((o) => ({ date: o.date, closed: !(o.slots || []).length, slots: o.slots || [] })),
    });
    if (c.problem) return { problem: c.problem };
    const t = Date.parse(at);
    const next = nextChange(c, t);
    return { open: isOpenAt(c, t), next_change: next === null ? null : new Date(next).toISOString().replace(/\.000Z$/, 'Z') };
  },
});
