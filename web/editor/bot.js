/*
 * The Bot tool: name, greeting, persona; the embed snippet; new bots and archiving.
 */

import { describe } from '../shared/api.js';
import { $ } from '../shared/dom.js';
import { capitalize } from '../shared/text.js';
import { fillTranslations, pathId, showBaseAsPlaceholder } from './fields.js';
import { api } from './http.js';
import { loadBots, showLoadError } from './load.js';
import { confirmDiscard } from './session.js';
import { S } from './state.js';
import { showTab } from './tabs.js';

/** The bot shown, as the server last returned it. */
function shownBot() {
  return (S.bots || []).find((b) => b.id === S.botId) || null;
}

export function renderBotTool() {
  const bot = shownBot();
  if (!bot) return;
  $('bt-name').value = bot.name;
  $('bt-greeting').value = bot.greeting;
  $('bt-persona').value = bot.persona || '';
  const greetings = {};
  for (const [lang, texts] of Object.entries(bot.translations || {})) greetings[lang] = texts.greeting;
  fillTranslations(S.greetingTranslations, greetings);
  showBaseAsPlaceholder(S.greetingTranslations, bot.greeting);
  for (const f of ['name', 'greeting', 'persona']) showBotError(f, '');
  clearGreetingErrors();
  $('bt-status').textContent = '';
  $('bt-copy-status').textContent = '';
  $('bt-error').hidden = true;
  $('bt-snippet').textContent =
    '<script src="' + location.origin + '/widget.js" data-bot="' + bot.id + '" async></' + 'script>';
}

function clearGreetingErrors() {
  for (const [lang, area] of S.greetingTranslations.inputs) {
    area.removeAttribute('aria-invalid');
    $('err-' + pathId('translations.' + lang + '.greeting')).textContent = '';
  }
}

function showBotError(field, text) {
  const input = $('bt-' + field);
  $('bt-' + field + '-error').textContent = text;
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

async function saveBot(ev) {
  ev.preventDefault();
  const bot = shownBot();
  if (!bot) return;
  const translations = {};
  for (const [lang, area] of S.greetingTranslations.inputs) {
    if (area.value.trim()) translations[lang] = { greeting: area.value.trim() };
  }
  const body = {
    name: $('bt-name').value,
    greeting: $('bt-greeting').value,
    persona: $('bt-persona').value,
    translations,
  };
  for (const f of ['name', 'greeting', 'persona']) showBotError(f, '');
  clearGreetingErrors();
  if (!body.name.trim()) {
    showBotError('name', 'A bot needs a name.');
    $('bt-name').focus();
    return;
  }
  $('bt-save').disabled = true;
  $('bt-status').textContent = 'Saving…';
  try {
    const saved = (await api('PATCH', '/bots/' + encodeURIComponent(bot.id), body)).bot;
    S.bots = S.bots.map((b) => (b.id === saved.id ? saved : b));
    $('bt-status').textContent = 'Saved.';
    refreshBotNames(saved);
  } catch (err) {
    $('bt-status').textContent = '';
    if (err.field && ['name', 'greeting', 'persona'].includes(err.field)) {
      showBotError(err.field, err.message);
      $('bt-' + err.field).focus();
    } else if (err.field && err.field.startsWith('translations.')) {
      const problems = err.errors && err.errors.length ? err.errors : [{ field: err.field, message: err.message }];
      let first = null;
      for (const p of problems) {
        const area = document.querySelector('#bot-tool [data-field="' + CSS.escape(p.field) + '"]');
        const box = $('err-' + pathId(p.field));
        if (!area || !box) continue;
        box.textContent = capitalize(p.message);
        area.setAttribute('aria-invalid', 'true');
        first = first || area;
      }
      S.greetingTranslations.details.open = true;
      if (first) first.focus();
    } else {
      $('bt-error').textContent = 'Nothing was saved: ' + describe(err);
      $('bt-error').hidden = false;
    }
  } finally {
    $('bt-save').disabled = false;
  }
}

function refreshBotNames(bot) {
  const option = [...$('bot-picker').options].find((o) => o.value === bot.id);
  if (option) option.textContent = bot.name;
  if (S.bots.length === 1) $('bot-name').textContent = bot.name;
  S.botName = bot.name;
  $('title-bot-name').textContent = bot.name;
  $('kn-bot-name').textContent = bot.name;
  document.title = 'Agent Editor — ' + bot.name + ' — Baton';
}

async function newBot() {
  $('bot-new').disabled = true;
  try {
    const bot = (await api('POST', '/bots', { name: 'New bot' })).bot;
    const url = new URL(location.href);
    url.searchParams.set('bot', bot.id);
    history.replaceState(null, '', url);
    await loadBots();
    showTab('bot');
    $('bt-name').focus();
    $('bt-name').select();
  } catch (err) {
    showLoadError('Could not create a bot: ' + describe(err));
  } finally {
    $('bot-new').disabled = false;
  }
}

async function archiveBot() {
  const bot = shownBot();
  if (!bot) return;
  if (!confirm('Archive “' + bot.name + '”? Its widget will say the chat is no longer available.')) return;
  try {
    await api('DELETE', '/bots/' + encodeURIComponent(bot.id));
  } catch (err) {
    $('bt-error').textContent = 'The bot was not archived: ' + describe(err);
    $('bt-error').hidden = false;
    return;
  }
  const url = new URL(location.href);
  url.searchParams.delete('bot');
  history.replaceState(null, '', url);
  S.botId = null;
  await loadBots();
  showTab('handoff');
}

async function copySnippet() {
  const text = $('bt-snippet').textContent;
  try {
    await navigator.clipboard.writeText(text);
    $('bt-copy-status').textContent = 'Copied.';
  } catch (_) {
    // No clipboard access (an insecure origin): select it for a manual copy.
    const range = document.createRange();
    range.selectNodeContents($('bt-snippet'));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    $('bt-copy-status').textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
}

export function wireBotTool() {
  $('bt-form').addEventListener('submit', saveBot);
  $('bot-new').addEventListener('click', () =>
    confirmDiscard('You have unsaved changes. Discard them and create a new bot?', newBot),
  );
  $('bt-archive').addEventListener('click', archiveBot);
  $('bt-copy').addEventListener('click', copySnippet);
}
