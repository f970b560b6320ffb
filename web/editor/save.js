/*
 * Unsaved changes, saving everything at once, and discarding.
 */

import { describe } from '../shared/api.js';
import { $ } from '../shared/dom.js';
import { DAYS } from './constants.js';
import { applyErrors, validateSettings } from './errors.js';
import { announce } from './fields.js';
import { renderAll } from './handoff.js';
import { api } from './http.js';
import { useSaved } from './load.js';
import { fromServer, isDirty, toBody } from './model.js';
import { refreshAvailability, schedulePreview } from './preview.js';
import { S } from './state.js';
import { normalizeTime } from './times.js';
import { closeTzList } from './timezone.js';
import { refreshSummaries } from './weekly.js';

export function changed() {
  S.justSaved = false;
  refreshSummaries();
  updateNeverState();
  updateDirty();
  schedulePreview();
}

export function updateNeverState() {
  const never = Boolean(S.model && S.model.schedule.never_available);
  $('never-note').hidden = !never;
  for (const id of ['days', 'overrides']) $(id).classList.toggle('ignored', never);
}

export function updateDirty() {
  const el = $('dirty-indicator');
  const dirty = isDirty();
  let state;
  let text;
  if (S.saving) {
    state = 'saving';
    text = 'Saving…';
  } else if (dirty && (S.errors.length || S.errorNote)) {
    state = 'error';
    text = 'Not saved: ' + (S.errors.length ? S.errors.length + (S.errors.length === 1 ? ' problem' : ' problems') + ' to fix' : 'see above');
  } else if (dirty) {
    state = 'dirty';
    text = 'Unsaved changes';
  } else if (S.justSaved) {
    state = 'saved';
    text = 'All changes saved';
  } else {
    state = 'clean';
    text = 'No changes';
  }
  el.dataset.state = state;
  el.textContent = text;
  $('save').disabled = S.saving || !dirty;
  $('discard').disabled = S.saving || !dirty;
  const base = 'Agent Editor — ' + (S.botName || 'Baton') + ' — Baton';
  document.title = (dirty ? '• ' : '') + base;
}

function normalizeAllTimes() {
  const fix = (slots) => {
    for (const x of slots) {
      x.start = normalizeTime(x.start);
      x.end = normalizeTime(x.end);
    }
  };
  for (const d of DAYS) fix(S.model.schedule.weekly[d].slots);
  for (const o of S.model.schedule.overrides) fix(o.slots);
}

export async function save(ev) {
  if (ev) ev.preventDefault();
  if (!S.model || S.saving || !S.botId) return;
  closeTzList();
  normalizeAllTimes();
  const clientErrors = validateSettings(S.model.settings);
  const body = toBody(S.model);
  const sent = JSON.stringify(body);
  const id = S.botId;
  S.errorNote = '';
  if (typeof body.settings.accept_timeout_seconds !== 'number') {
    // Not a number at all: the request could not even be read. Nothing is sent.
    S.errors = clientErrors;
    renderAll();
    focusSummary();
    return;
  }
  S.saving = true;
  updateDirty();
  try {
    const res = await api('PUT', '/bots/' + encodeURIComponent(id) + '/handoff', body);
    if (id !== S.botId) return;
    const editedMeanwhile = JSON.stringify(toBody(S.model)) !== sent;
    S.savedData = res;
    S.saved = JSON.stringify(toBody(fromServer(res)));
    S.errors = [];
    S.tzNotice = '';
    if (!editedMeanwhile) S.model = fromServer(res);
    S.justSaved = true;
    S.saving = false;
    renderAll();
    announce('Saved.');
    refreshAvailability();
  } catch (err) {
    S.saving = false;
    if (err.status === 400 && err.code === 'invalid') {
      const fromServerErrors = err.errors && err.errors.length ? err.errors : [{ field: err.field || 'body', message: err.message }];
      const merged = [];
      const seen = new Set();
      for (const e of fromServerErrors) {
        merged.push({ field: e.field || 'body', message: e.message });
        seen.add(e.field);
      }
      // The server stops at the first settings problem (and checks settings only once the
      // schedule is valid): add the ones found here.
      for (const e of clientErrors) if (!seen.has(e.field)) merged.push(e);
      S.errors = merged;
      applyErrors();
      focusSummary();
    } else if (err.status === 401 || err.status === 403) {
      S.errorNote = 'Not saved: ' + (err.status === 401 ? 'your session has ended.' : 'only admins can change these settings.');
      applyErrors();
    } else {
      S.errorNote = 'Not saved: ' + describe(err) + ' Your changes are still here; try again.';
      applyErrors();
      focusSummary();
    }
  } finally {
    S.saving = false;
    updateDirty();
  }
}

function focusSummary() {
  const summary = $('error-summary');
  if (summary.hidden) return;
  summary.scrollIntoView({ block: 'start' });
  summary.focus({ preventScroll: true });
}

export function discard() {
  if (!S.savedData) return;
  useSaved(S.savedData);
  S.tzNotice = '';
  S.justSaved = false;
  renderAll();
  announce('Changes discarded.');
  // The Discard button is disabled now that nothing changed: focus the form's first field.
  const first = document.querySelector('#editor input:not([disabled]), #editor textarea:not([disabled]), #editor select:not([disabled])');
  if (first) first.focus();
}
