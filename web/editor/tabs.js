/*
 * The editor's tools as tabs: Handoff, Knowledge, Bot.
 */

import { $ } from '../shared/dom.js';
import { K, loadKnowledge } from './knowledge.js';
import { S } from './state.js';

const TAB_NAMES = { handoff: 'Handoff', knowledge: 'Knowledge', bot: 'Bot' };

export function showTab(tab) {
  K.tab = TAB_NAMES[tab] ? tab : 'handoff';
  $('editor').hidden = K.tab !== 'handoff';
  $('knowledge').hidden = K.tab !== 'knowledge';
  $('bot-tool').hidden = K.tab !== 'bot';
  for (const b of document.querySelectorAll('.tool-tabs button')) b.setAttribute('aria-current', b.dataset.tab === K.tab ? 'page' : 'false');
  $('brand-sub').textContent = TAB_NAMES[K.tab];
  const url = new URL(location.href);
  url.hash = K.tab === 'handoff' ? '' : '#' + K.tab;
  history.replaceState(null, '', url);
  if (K.tab === 'knowledge' && S.botId && K.botId !== S.botId) loadKnowledge(S.botId);
}
