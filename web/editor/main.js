/*
 * Baton Agent Editor: a bot's Handoff tool: enable/disable, instruction, AI
 * triggers, accept timeout, "AI keeps helping while waiting", offline message, lead capture, and
 * the availability schedule (time zone, weekly slots, copy to other days, holidays and special
 * dates, never available) with a live preview; its Knowledge (Q&A entries and documents) and the
 * Bot tool (name, greeting, persona, embed snippet). Admins only.
 *
 * Everything in the Handoff tool is saved at once with PUT /api/v1/bots/{id}/handoff, which stores
 * all of it or nothing; every problem the server reports is shown next to its field (the error's
 * field path, e.g. `schedule.weekly.monday.slots[1]`, names the row) and in a summary.
 *
 * This module wires the page and starts it; each tool lives in its own module beside it, and what
 * the editor and the panel share (API client, DOM and time helpers, login) in web/shared/.
 *
 * Served under a strict CSP: no inline scripts or handlers. Text from the server or the user is
 * inserted with textContent, never parsed as HTML.
 */

import { $ } from '../shared/dom.js';
import { BROWSER_TZ, DAYS, TRANSLATED, WEEKDAYS } from './constants.js';
import { showBaseAsPlaceholder, translationsBlock } from './fields.js';
import { bindSettings } from './handoff.js';
import { wireKnowledge } from './knowledge.js';
import { knownZone, loadBot, useSaved } from './load.js';
import { isDirty } from './model.js';
import { addOverride } from './overrides.js';
import { refreshAvailability, renderPreview } from './preview.js';
import { discard, save } from './save.js';
import { confirmDiscard, login, logout, start } from './session.js';
import { S } from './state.js';
import { showTab } from './tabs.js';
import { chooseTz, onTzBlur, onTzInput, onTzKey, openTzList, renderTzNow } from './timezone.js';
import { wireTrySentence } from './try-sentence.js';
import { applyCopy, setCopyChecks } from './weekly.js';

function init() {
  // A Translations disclosure under each visitor-facing text of the Handoff tool.
  S.translationBlocks = {};
  for (const f of TRANSLATED) {
    const block = translationsBlock(f.id, f.label, f.limit, (lang) => 'settings.translations.' + lang + '.' + f.key);
    $(f.id).closest('.field').append(block.details);
    S.translationBlocks[f.key] = block;
  }
  S.greetingTranslations = translationsBlock('bt-greeting', 'Greeting', 'bot.greeting_chars', (lang) => 'translations.' + lang + '.greeting');
  $('bt-greeting').closest('.field').append(S.greetingTranslations.details);
  $('bt-greeting').addEventListener('input', (ev) => showBaseAsPlaceholder(S.greetingTranslations, ev.target.value));
  for (const el of document.querySelectorAll('#editor .field')) el.setAttribute('data-errhost', '');
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', () => confirmDiscard('You have unsaved changes. Log out anyway?', logout));
  $('denied-logout').addEventListener('click', logout);
  $('editor').addEventListener('submit', save);
  // Enter in a one-line field does not save by accident (Save or Ctrl+S does).
  $('editor').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && ev.target.tagName === 'INPUT') ev.preventDefault();
  });
  $('discard').addEventListener('click', discard);
  bindSettings();
  wireTrySentence();
  wireKnowledge();
  showTab(location.hash.slice(1));

  const tz = $('tz-input');
  tz.addEventListener('input', onTzInput);
  tz.addEventListener('keydown', onTzKey);
  tz.addEventListener('blur', onTzBlur);
  tz.addEventListener('click', () => {
    if ($('tz-list').hidden) openTzList('', true);
  });
  $('tz-use-browser').addEventListener('click', () => {
    const zone = knownZone(BROWSER_TZ);
    if (zone) chooseTz(zone);
  });

  $('add-override').addEventListener('click', addOverride);

  $('copy-form').addEventListener('submit', applyCopy);
  $('copy-cancel').addEventListener('click', () => $('copy-dialog').close());
  $('copy-weekdays').addEventListener('click', () => setCopyChecks(WEEKDAYS));
  $('copy-all').addEventListener('click', () => setCopyChecks(DAYS));
  $('copy-none').addEventListener('click', () => setCopyChecks([]));

  $('switch-stay').addEventListener('click', () => {
    S.onDiscard = null;
    $('switch-dialog').close();
    if (S.botId) $('bot-picker').value = S.botId;
  });
  $('switch-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    $('switch-dialog').close();
    const then = S.onDiscard;
    S.onDiscard = null;
    if (S.savedData) useSaved(S.savedData);
    if (then) then();
  });
  $('switch-dialog').addEventListener('cancel', () => {
    S.onDiscard = null;
    if (S.botId) $('bot-picker').value = S.botId;
  });

  $('bot-picker').addEventListener('change', (ev) => {
    const id = ev.target.value;
    if (id === S.botId) return;
    const name = (S.bots.find((b) => b.id === S.botId) || {}).name || 'this bot';
    confirmDiscard('You have unsaved changes for ' + name + '. Discard them and switch bots?', () => loadBot(id));
  });

  document.addEventListener('keydown', (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 's' && !$('app-view').hidden) {
      ev.preventDefault();
      if (isDirty()) save();
    }
  });
  window.addEventListener('beforeunload', (ev) => {
    if (isDirty()) {
      ev.preventDefault();
      ev.returnValue = '';
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && S.model) {
      renderTzNow();
      renderPreview();
      refreshAvailability();
    }
  });

  start();
}

init();
