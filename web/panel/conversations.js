/*
 * The conversation list, its filters, and roving focus in tab lists.
 */

import { $, h } from '../shared/dom.js';
import { ago, parseTime } from '../shared/time.js';
import { openConversation, paintChat, subscribe, unsubscribe } from './conversation.js';
import { api, describe } from './http.js';
import { STATES, visitorLabel } from './labels.js';
import { toast } from './notify.js';
import { S } from './state.js';
import { learnBot } from './tickets.js';

export async function loadConversations() {
  const query = '?limit=200' + (S.filter ? '&state=' + S.filter : '');
  try {
    const res = await api('GET', '/conversations' + query);
    for (const c of res.conversations || []) {
      upsertConversation(c, true);
      // The server keeps this agent's place in each conversation: unread survives reloads.
      const chat = chatFor(c.id);
      if (c.id !== S.current) chat.unread = c.unread || 0;
      chat.countedUpTo = Math.max(chat.countedUpTo || 0, c.last_seq || 0);
    }
    renderConversations();
  } catch (err) {
    if (err.status !== 401) toast('Could not load conversations', describe(err), { kind: 'error' });
  }
}

export function isMine(c) {
  return Boolean(c && S.agent && c.state === 'human' && c.agent_id === S.agent.id);
}

export function upsertConversation(view, quiet) {
  if (!view || !view.id) return;
  const before = S.conversations.get(view.id);
  // The list entry's preview is kept fresher locally (from followed conversations).
  if (before && before.last_seq > view.last_seq) {
    view.last_text = before.last_text;
    view.last_seq = before.last_seq;
    view.updated_at = before.updated_at;
  }
  S.conversations.set(view.id, view);
  learnBot(view.bot_id, view.bot_name);
  if (isMine(view)) subscribe(view.id);
  else if (before && isMine(before) && view.id !== S.current) unsubscribe(view.id);
  if (!quiet) renderConversations();
  if (view.id === S.current) paintChat();
}

export function chatFor(id) {
  let chat = S.chats.get(id);
  if (!chat) {
    chat = { messages: new Map(), lastSeq: 0, subscribed: false, unread: 0, pending: new Map() };
    S.chats.set(id, chat);
  }
  return chat;
}

export function renderConversations() {
  const list = $('conversation-list');
  const items = Array.from(S.conversations.values())
    .filter((c) => !S.filter || c.state === S.filter)
    .sort((a, b) => (parseTime(b.updated_at) || 0) - (parseTime(a.updated_at) || 0))
    .slice(0, 300);
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.conversation : null;
  list.replaceChildren(...items.map(conversationItem));
  $('conversation-empty').hidden = items.length > 0;
  if (focused) {
    const again = list.querySelector('[data-conversation="' + CSS.escape(focused) + '"]');
    if (again) again.focus();
  }
}

function conversationItem(c) {
  const chat = S.chats.get(c.id);
  const unread = chat && chat.unread && c.id !== S.current ? chat.unread : 0;
  const stateText = c.state === 'human' && c.agent_name ? (isMine(c) ? 'You' : c.agent_name) : STATES[c.state] || c.state;
  return h(
    'li',
    {},
    h(
      'button',
      { type: 'button', 'data-conversation': c.id, 'aria-current': c.id === S.current ? 'true' : 'false', onclick: () => openConversation(c.id) },
      h('span', { class: 'conv-name', text: visitorLabel(c) }, c.visitor_verified ? h('span', { class: 'verified', 'aria-label': 'verified', text: '' }) : null),
      h(
        'span',
        { class: 'conv-badges' },
        unread ? h('span', { class: 'unread', 'aria-label': unread + ' unread', text: String(unread) }) : null,
        h('span', { class: 'state ' + c.state, text: stateText }),
      ),
      h('span', { class: 'conv-last', text: (c.last_text || 'No messages yet') }),
      h('span', { class: 'conv-time', 'data-time': String(parseTime(c.updated_at) || ''), text: c.bot_name + ' · ' + ago(parseTime(c.updated_at)) }),
    ),
  );
}

/**
 * Makes a role=tablist of buttons behave like tabs: one tab stop (the selected tab), arrow keys
 * move to the previous or next tab and select it, Home and End to the first and last.
 */
export function rovingTabs(list) {
  const tabs = () => Array.from(list.querySelectorAll('[role="tab"]')).filter((t) => !t.hidden);
  const sync = () => {
    for (const t of tabs()) t.tabIndex = t.getAttribute('aria-selected') === 'true' ? 0 : -1;
  };
  sync();
  new MutationObserver(sync).observe(list, { subtree: true, attributeFilter: ['aria-selected'] });
  list.addEventListener('keydown', (ev) => {
    const all = tabs();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    let next = null;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') next = all[(at + 1) % all.length];
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') next = all[(at - 1 + all.length) % all.length];
    else if (ev.key === 'Home') next = all[0];
    else if (ev.key === 'End') next = all[all.length - 1];
    if (!next) return;
    ev.preventDefault();
    next.focus();
    next.click();
  });
}

export function setFilter(filter) {
  S.filter = filter;
  for (const b of document.querySelectorAll('.conversations .filters button')) b.setAttribute('aria-selected', String(b.dataset.filter === filter));
  renderConversations();
  loadConversations();
}
