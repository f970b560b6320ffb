/*
 * The schedule's live preview (the server's engine on the unsaved edits) and the server's view of
 * availability now.
 */

import { describe } from '../shared/api.js';
import { $ } from '../shared/dom.js';
import { capitalize } from '../shared/text.js';
import { parseTime } from '../shared/time.js';
import { BROWSER_TZ, REASONS } from './constants.js';
import { describeField, humanMessage } from './errors.js';
import { api } from './http.js';
import { isDirty, toBody } from './model.js';
import { S } from './state.js';
import { fmtInstant, fromNow } from './times.js';
import { renderTzNow } from './timezone.js';

/** Asks for a new preview once the edits pause (each change would otherwise be a request). */
export function schedulePreview() {
  clearTimeout(S.previewTimer);
  S.previewTimer = setTimeout(renderPreview, 250);
}

/**
 * Shows what the edited schedule says now, as the server's schedule engine computes it
 * (POST /bots/{id}/schedule/preview; nothing is saved). Only the latest answer is painted.
 */
export async function renderPreview() {
  if (!S.model || !S.botId) return;
  const id = S.botId;
  S.previewAsks += 1;
  const ask = S.previewAsks;
  const schedule = toBody(S.model).schedule;
  let answer = null;
  let error = null;
  try {
    answer = await api('POST', '/bots/' + encodeURIComponent(id) + '/schedule/preview', schedule);
  } catch (err) {
    error = err;
  }
  if (ask !== S.previewAsks || id !== S.botId || !S.model) return;
  paintPreview(answer, error);
}

/** The first problem the server found in the schedule, in the words of the error summary. */
function previewProblem(err) {
  const first = (err.errors && err.errors[0]) || { field: err.field, message: err.message };
  if (!first.field || first.field === 'body') return capitalize(first.message || 'the schedule is not valid') + '.';
  const field = 'schedule.' + first.field;
  return describeField(field) + ': ' + humanMessage(field, first.message).replace(/\.?$/, '.');
}

function paintPreview(answer, error) {
  const box = $('preview');
  const state = $('preview-state');
  const next = $('preview-next');
  const local = $('preview-local');
  next.removeAttribute('data-next');
  local.textContent = '';
  $('preview-label').textContent = isDirty() ? 'Your unsaved edits, computed by the server' : 'This schedule, computed by the server';
  if (error) {
    box.dataset.state = 'invalid';
    if (error.status === 400) {
      state.textContent = 'Preview paused';
      next.textContent = previewProblem(error);
    } else {
      state.textContent = 'Preview unavailable';
      next.textContent = describe(error);
    }
    return;
  }
  if (answer.never_available) {
    box.dataset.state = 'never';
    state.textContent = 'Never available';
    next.textContent = 'Live chat is never offered; visitors always get the offline message and lead capture.';
    return;
  }
  const open = answer.open;
  const tz = answer.timezone;
  box.dataset.state = open ? 'open' : 'closed';
  state.textContent = open ? 'Open now' : 'Closed now';
  if (!S.model.settings.enabled) state.textContent += ' (but handoff is off, so live chat is not offered)';
  const change = parseTime(answer.next_change);
  if (change === null) {
    next.textContent = open ? 'Always open: no change in the next 366 days.' : 'Always closed: no opening in the next 366 days.';
    return;
  }
  next.dataset.next = answer.next_change;
  next.textContent = (open ? 'Closes ' : 'Opens ') + fmtInstant(change, tz) + ' in ' + tz + ' — ' + fromNow(change);
  if (BROWSER_TZ && BROWSER_TZ !== tz) local.textContent = 'Your local time (' + BROWSER_TZ + '): ' + fmtInstant(change, BROWSER_TZ);
  else local.textContent = 'The same as your local time.';
}

export async function refreshAvailability() {
  if (!S.botId) return;
  const id = S.botId;
  try {
    const a = await api('GET', '/bots/' + encodeURIComponent(id) + '/availability');
    if (id !== S.botId) return;
    S.serverAvail = a;
    S.serverAvailError = '';
  } catch (err) {
    if (id !== S.botId) return;
    S.serverAvail = null;
    S.serverAvailError = describe(err);
  }
  renderServerAvailability();
}

export function renderServerAvailability() {
  const a = S.serverAvail;
  const state = $('server-state');
  const next = $('server-next');
  const live = $('server-live');
  next.removeAttribute('data-next');
  if (!a) {
    state.textContent = S.serverAvailError ? 'Unavailable' : 'Checking…';
    next.textContent = S.serverAvailError || '';
    live.textContent = '';
    return;
  }
  const savedTz = (S.savedData && S.savedData.schedule && S.savedData.schedule.timezone) || 'UTC';
  state.textContent = a.never_available ? 'Never available' : a.schedule_open ? 'Open now' : 'Closed now';
  state.dataset.open = String(Boolean(a.schedule_open && !a.never_available));
  const change = parseTime(a.next_change);
  if (change) {
    next.dataset.next = a.next_change;
    next.textContent =
      (a.schedule_open ? 'Closes ' : 'Opens ') + fmtInstant(change, savedTz) + ' in ' + savedTz + ' — ' + fromNow(change);
  } else next.textContent = a.never_available ? '' : a.schedule_open ? 'Always open: no change in the next 366 days.' : 'No opening in the next 366 days.';
  const agents = typeof a.agents_with_capacity === 'number' ? a.agents_with_capacity : null;
  const agentsText = agents === null ? '' : agents + (agents === 1 ? ' agent' : ' agents') + ' online with room for a chat';
  live.textContent = a.live
    ? 'Live chat is offered right now' + (agentsText ? ' (' + agentsText + ').' : '.')
    : 'Live chat is not offered right now: ' + (REASONS[a.reason] || a.reason || 'offline') + (agentsText && a.reason !== 'nobody_available' ? ' (' + agentsText + ').' : '.');
}

export function startTick() {
  stopTick();
  let n = 0;
  S.tick = setInterval(() => {
    if (!S.model || document.hidden) return;
    n += 1;
    renderTzNow();
    renderPreview();
    if (n % 2 === 0) refreshAvailability();
    else renderServerAvailability();
  }, 30000);
}

export function stopTick() {
  if (S.tick) clearInterval(S.tick);
  S.tick = null;
}
