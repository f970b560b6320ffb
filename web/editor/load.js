/*
 * Loading the bots, the time zones and a bot's handoff settings.
 */

import { describe } from '../shared/api.js';
import { $, h } from '../shared/dom.js';
import { renderBotTool } from './bot.js';
import { BROWSER_TZ, DAYS } from './constants.js';
import { renderAll } from './handoff.js';
import { api } from './http.js';
import { K, loadKnowledge } from './knowledge.js';
import { fromServer, toBody } from './model.js';
import { refreshAvailability, startTick } from './preview.js';
import { S } from './state.js';
import { zoneWorks } from './times.js';
import { renderTimezoneField } from './timezone.js';

export function showLoadError(text) {
  const el = $('load-error');
  el.textContent = text || '';
  el.hidden = !text;
}

export async function loadBots() {
  showLoadError('');
  let bots;
  try {
    bots = (await api('GET', '/bots')).bots || [];
  } catch (err) {
    if (err.status !== 401 && err.status !== 403) showLoadError('Could not load the bots: ' + describe(err));
    return;
  }
  S.bots = bots;
  const picker = $('bot-picker');
  picker.replaceChildren(...bots.map((b) => h('option', { value: b.id, text: b.name })));
  picker.hidden = bots.length < 2;
  $('bot-name').hidden = bots.length !== 1;
  $('bot-name').textContent = bots.length === 1 ? bots[0].name : '';
  if (!bots.length) {
    showLoadError('This workspace has no bot yet, so there is nothing to edit.');
    return;
  }
  const wanted = new URLSearchParams(location.search).get('bot');
  const bot = bots.find((b) => b.id === wanted) || bots[0];
  await loadTimezones();
  await loadBot(bot.id);
}

async function loadTimezones() {
  if (S.timezones.length) return;
  let names = [];
  try {
    names = (await api('GET', '/timezones')).timezones || [];
  } catch (_) {
    try {
      names = Intl.supportedValuesOf('timeZone');
    } catch (__) {
      names = [];
    }
  }
  S.timezones = names;
  S.tzByLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  if (S.model) renderTimezoneField();
}

export async function loadBot(id) {
  showLoadError('');
  $('editor').dataset.loaded = 'false';
  let data;
  try {
    data = await api('GET', '/bots/' + encodeURIComponent(id) + '/handoff');
  } catch (err) {
    if (err.status !== 401 && err.status !== 403) showLoadError('Could not load this bot’s handoff settings: ' + describe(err));
    return;
  }
  S.botId = id;
  S.botName = (data.bot && data.bot.name) || '';
  $('bot-picker').value = id;
  $('title-bot-name').textContent = S.botName;
  document.title = 'Agent Editor — ' + S.botName + ' — Baton';
  const url = new URL(location.href);
  if (url.searchParams.get('bot') !== id) {
    url.searchParams.set('bot', id);
    history.replaceState(null, '', url);
  }
  useSaved(data);
  $('kn-bot-name').textContent = S.botName;
  renderBotTool();
  if (K.botId !== id) loadKnowledge(id);
  // A schedule nobody has touched yet (UTC, open all week): show it in the admin's own zone.
  S.tzNotice = '';
  const sched = data.schedule;
  if (isUntouchedDefault(sched) && BROWSER_TZ && BROWSER_TZ !== 'UTC' && knownZone(BROWSER_TZ)) {
    S.model.schedule.timezone = knownZone(BROWSER_TZ);
    S.tzNotice =
      'This bot still has the default schedule in UTC. The time zone is set to your browser’s, ' +
      S.model.schedule.timezone + '; save to keep it.';
  }
  S.serverAvail = null;
  renderAll();
  $('editor').dataset.loaded = 'true';
  refreshAvailability();
  startTick();
}

/** The server's answer becomes the form and the saved baseline. */
export function useSaved(data) {
  S.savedData = data;
  S.model = fromServer(data);
  S.saved = JSON.stringify(toBody(fromServer(data)));
  S.errors = [];
  S.errorNote = '';
}

function isUntouchedDefault(sched) {
  if (!sched || sched.timezone !== 'UTC' || sched.never_available) return false;
  if ((sched.overrides || []).length) return false;
  const weekly = sched.weekly || {};
  return DAYS.every((d) => {
    const day = weekly[d];
    return (
      day &&
      day.enabled !== false &&
      Array.isArray(day.slots) &&
      day.slots.length === 1 &&
      day.slots[0].start === '00:00' &&
      day.slots[0].end === '24:00'
    );
  });
}

export function knownZone(name) {
  if (!name) return null;
  if (S.tzByLower.size) return S.tzByLower.get(name.toLowerCase()) || null;
  return zoneWorks(name) ? name : null;
}
