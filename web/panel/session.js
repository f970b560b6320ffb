/*
 * Login, the session (entering the app, its end, logging out) and routing by the address.
 */

import { $ } from '../shared/dom.js';
import { loginHandler, signOut } from '../shared/session.js';
import { showAnalytics } from './analytics.js';
import { openConversation } from './conversation.js';
import { loadConversations } from './conversations.js';
import { api } from './http.js';
import { hideSecret } from './integrations.js';
import { loadLimits } from './limits.js';
import { updateNotifyButton } from './notify.js';
import { renderQueue } from './queue.js';
import { loadSavedReplies } from './saved-replies.js';
import { showIntegrations, showTickets, showView } from './sections.js';
import { connect, disconnect } from './socket.js';
import { S } from './state.js';
import { paintStatus } from './status.js';
import { showTeam } from './team.js';
import { loadAgents, loadBots, loadTickets, openTicket, renderAssigneeOptions } from './tickets.js';

export function showLogin(message) {
  $('loading').hidden = true;
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = message || '';
  $('login-email').focus();
}

/** The login form's submit handler. */
export function login(ev) {
  return loginHandler(api, enterApp)(ev);
}
function resetState() {
  disconnect();
  S.agent = null;
  S.csrf = null;
  S.queue.clear();
  S.conversations.clear();
  S.chats.clear();
  for (const draft of S.drafts.values()) clearTimeout(draft.timer);
  S.drafts.clear();
  S.current = null;
  S.firstHello = true;
  S.tickets.clear();
  S.openTickets = null;
  S.currentTicket = null;
  S.ticketDetail = null;
  S.agents.clear();
  S.bots.clear();
  S.integrations = null;
  S.team = null;
  S.savedReplies = [];
  S.editingSaved = null;
  S.editingAgent = null;
  S.teamConfirm = null;
  S.analytics = null;
  $('an-body').hidden = true;
  $('queue-list').replaceChildren();
  $('conversation-list').replaceChildren();
  $('chat-main').hidden = true;
  $('chat-empty').hidden = false;
  $('ticket-list').replaceChildren();
  $('ticket-main').hidden = true;
  $('ticket-none').hidden = false;
  hideSecret();
  showView('chats');
}

export function sessionExpired() {
  resetState();
  showLogin('Your session has ended. Sign in again.');
}

export async function logout() {
  await signOut(api);
  resetState();
  showLogin('You are logged out.');
}
export function enterApp(agent, csrf) {
  S.agent = agent;
  S.csrf = csrf;
  $('loading').hidden = true;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('agent-name').textContent = agent.display_name;
  loadLimits();
  paintStatus();
  updateNotifyButton();
  renderQueue();
  $('nav-integrations').hidden = !isAdmin();
  $('nav-editor').hidden = !isAdmin();
  S.agents.set(agent.id, agent);
  renderAssigneeOptions();
  loadConversations();
  loadTickets();
  loadSavedReplies();
  if (isAdmin()) {
    loadAgents();
    loadBots();
  }
  connect();
  route();
}

export function isAdmin() {
  return Boolean(S.agent && S.agent.role === 'admin');
}

/** Opens what the address names: #c=conversation, #t=ticket, #tickets, #integrations, #analytics. */
function route() {
  const hash = location.hash;
  const conversation = /^#c=([\w-]+)$/.exec(hash);
  const ticket = /^#t=([\w-]+)$/.exec(hash);
  if (conversation) openConversation(conversation[1]);
  else if (ticket) openTicket(ticket[1]);
  else if (hash === '#tickets') showTickets();
  else if (hash === '#integrations' && isAdmin()) showIntegrations();
  else if (hash === '#team') showTeam();
  else if (hash === '#analytics') showAnalytics();
  else showView('chats');
}
