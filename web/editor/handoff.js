/*
 * The Handoff tool's settings: texts, triggers, accept timeout, lead capture, and their wiring.
 */

import { $, h } from '../shared/dom.js';
import { charCount } from '../shared/text.js';
import { CHECKS, LEVELS, TEXT_FIELDS, TRANSLATED, TRIGGERS } from './constants.js';
import { applyErrors, clearErrors } from './errors.js';
import { fillTranslations, showBaseAsPlaceholder } from './fields.js';
import { limit } from './limits.js';
import { renderOverrides } from './overrides.js';
import { renderPreview, renderServerAvailability } from './preview.js';
import { changed, updateDirty, updateNeverState } from './save.js';
import { S } from './state.js';
import { duration } from './times.js';
import { renderTimezoneField } from './timezone.js';
import { renderDays } from './weekly.js';

export function renderAll() {
  renderSettings();
  renderTimezoneField();
  $('never-available').checked = S.model.schedule.never_available;
  updateNeverState();
  renderDays();
  renderOverrides();
  applyErrors();
  updateDirty();
  renderPreview();
  renderServerAvailability();
}

function renderSettings() {
  const s = S.model.settings;
  for (const f of TEXT_FIELDS) {
    $(f.id).value = s[f.key];
    updateCounter(f);
  }
  for (const f of TRANSLATED) {
    fillTranslations(S.translationBlocks[f.key], s.translations[f.key]);
    showBaseAsPlaceholder(S.translationBlocks[f.key], s[f.key]);
  }
  for (const f of CHECKS) $(f.id).checked = s[f.key];
  for (const f of TRIGGERS) $(f.id).value = s.ai_triggers[f.key];
  $('accept-timeout').value = s.accept_timeout_seconds;
  updateTimeoutHelp();
  updateLeadState();
}

function updateCounter(f) {
  const n = charCount($(f.id).value);
  const el = $(f.id + '-count');
  const max = limit(f.limit);
  el.textContent = n + ' / ' + max;
  el.classList.toggle('over', n > max);
}

function updateTimeoutHelp() {
  const raw = S.model.settings.accept_timeout_seconds.trim();
  const n = Number(raw);
  const min = limit('handoff.accept_timeout_seconds.min');
  const max = limit('handoff.accept_timeout_seconds.max');
  let text = 'How long a waiting visitor waits for an agent to accept before getting the offline path (' + min + ' to ' + max + ').';
  if (/^\d+$/.test(raw) && n >= min && n <= max) {
    const human = n < 60 ? n + ' s' : duration(Math.floor(n / 60)) + (n % 60 ? ' ' + (n % 60) + ' s' : '');
    text = 'Visitors wait up to ' + human + ' for an agent to accept, then get the offline path (' + min + ' to ' + max + ' seconds).';
  }
  $('accept-timeout-help').textContent = text;
}

function updateLeadState() {
  const on = S.model.settings.lead_capture_enabled;
  for (const id of ['lead-prompt', 'lead-success']) $(id).closest('.field').classList.toggle('dimmed', !on);
}

export function bindSettings() {
  for (const f of TEXT_FIELDS) {
    $(f.id).addEventListener('input', (ev) => {
      if (!S.model) return;
      S.model.settings[f.key] = ev.target.value;
      updateCounter(f);
      if (S.translationBlocks[f.key]) showBaseAsPlaceholder(S.translationBlocks[f.key], ev.target.value);
      clearErrors('settings.' + f.key);
      changed();
    });
  }
  for (const f of TRANSLATED) {
    for (const [lang, area] of S.translationBlocks[f.key].inputs) {
      area.addEventListener('input', (ev) => {
        if (!S.model) return;
        S.model.settings.translations[f.key][lang] = ev.target.value;
        clearErrors('settings.translations.' + lang + '.' + f.key);
        changed();
      });
    }
  }
  for (const f of CHECKS) {
    $(f.id).addEventListener('change', (ev) => {
      if (!S.model) return;
      S.model.settings[f.key] = ev.target.checked;
      clearErrors('settings.' + f.key);
      if (f.key === 'lead_capture_enabled') updateLeadState();
      changed();
    });
  }
  for (const f of TRIGGERS) {
    const select = $(f.id);
    select.replaceChildren(...LEVELS.map(([value, label]) => h('option', { value, text: label })));
    select.addEventListener('change', (ev) => {
      if (!S.model) return;
      S.model.settings.ai_triggers[f.key] = ev.target.value;
      clearErrors('settings.ai_triggers.' + f.key);
      changed();
    });
  }
  $('accept-timeout').addEventListener('input', (ev) => {
    if (!S.model) return;
    S.model.settings.accept_timeout_seconds = ev.target.value;
    clearErrors('settings.accept_timeout_seconds');
    updateTimeoutHelp();
    changed();
  });
  $('never-available').addEventListener('change', (ev) => {
    if (!S.model) return;
    S.model.schedule.never_available = ev.target.checked;
    clearErrors('schedule.never_available');
    changed();
  });
}
