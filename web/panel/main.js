/*
 * Baton Live Chat panel: login, the queue of waiting handoffs with their briefs, accepting,
 * the conversation list, and live conversations over the panel WebSocket (docs/websocket.md);
 * tickets left by visitors nobody could take live (list, filters, ticket view with the transcript,
 * assign, status, priority, notes, replies by email); handoff analytics (figures, inline SVG charts
 * with table alternatives, the CSV download); and, for admins, the ticket integrations
 * (notification email, signed webhook, delivery outbox).
 *
 * This module wires the page and starts it; each view lives in its own module beside it, and what
 * the panel and the editor share (API client, DOM and time helpers, login) in web/shared/.
 *
 * Served under a strict CSP: no inline scripts or handlers. Every piece of text from the server
 * is inserted with textContent, never parsed as HTML.
 */

import { $ } from '../shared/dom.js';
import { elapsed } from '../shared/time.js';
import { wireAnalytics } from './analytics.js';
import { conversationAction, sendTyping, submit, updateCounter } from './conversation.js';
import { loadConversations, renderConversations, rovingTabs, setFilter } from './conversations.js';
import { api, describe } from './http.js';
import { loadOutbox, wireIntegrations } from './integrations.js';
import { unlockAudio, updateNotifyButton } from './notify.js';
import { accept } from './queue.js';
import { pickerKey, updatePicker, wireSavedReplies } from './saved-replies.js';
import { enterApp, login, logout, showLogin } from './session.js';
import { reconnectNow } from './socket.js';
import { S } from './state.js';
import { setStatus } from './status.js';
import { wireTeam } from './team.js';
import { renderTickets, wireTickets } from './tickets.js';

function tick() {
  for (const el of document.querySelectorAll('.handoff-wait')) el.textContent = elapsed(Number(el.dataset.since) || null);
}

function wire() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('status-online').addEventListener('click', () => setStatus('online'));
  $('status-away').addEventListener('click', () => setStatus('away'));
  $('notify-enable').addEventListener('click', async () => {
    try {
      await Notification.requestPermission();
    } catch (_) {
      /* older Safari: callback form; ignore */
    }
    updateNotifyButton();
  });
  for (const b of document.querySelectorAll('.conversations .filters button')) b.addEventListener('click', () => setFilter(b.dataset.filter));
  for (const list of document.querySelectorAll('[role="tablist"]')) rovingTabs(list);
  wireTickets();
  wireTeam();
  wireSavedReplies();
  wireIntegrations();
  wireAnalytics();
  $('composer').addEventListener('submit', submit);
  const input = $('composer-input');
  input.addEventListener('keydown', (ev) => {
    if (pickerKey(ev)) return;
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    updateCounter();
    sendTyping();
    updatePicker();
  });
  $('action-accept').addEventListener('click', (ev) => accept(ev.currentTarget.dataset.handoff, ev.currentTarget));
  $('action-join').addEventListener('click', (ev) => conversationAction('join', ev.currentTarget));
  $('action-handback').addEventListener('click', (ev) => conversationAction('hand-back', ev.currentTarget));
  $('action-resolve').addEventListener('click', (ev) => conversationAction('resolve', ev.currentTarget));
  document.addEventListener('pointerdown', unlockAudio);
  document.addEventListener('keydown', unlockAudio);
  window.addEventListener('online', reconnectNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') reconnectNow();
  });
  setInterval(tick, 1000);
  setInterval(() => {
    if (!S.agent) return;
    // `conversation` events come on creation and owner changes only; new messages in
    // conversations nobody follows would leave their previews stale, so refresh the list too.
    if (S.wsReady && document.visibilityState === 'visible') loadConversations();
    else renderConversations();
    if (S.view === 'tickets') renderTickets();
    if (S.view === 'integrations' && document.visibilityState === 'visible') loadOutbox();
  }, 30000);
}

async function boot() {
  wire();
  try {
    const res = await api('GET', '/me');
    enterApp(res.agent, res.csrf_token);
  } catch (err) {
    showLogin(err.status === 401 || !err.status ? (err.network ? err.message : '') : describe(err));
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
else boot();
