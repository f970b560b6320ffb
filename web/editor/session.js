/*
 * The editor's views (loading, login, admins only, the editor), signing in and out, and asking
 * before unsaved changes are dropped.
 */

import { describe } from '../shared/api.js';
import { $ } from '../shared/dom.js';
import { loginHandler, signOut } from '../shared/session.js';
import { api } from './http.js';
import { resetKnowledge } from './knowledge.js';
import { loadLimits } from './limits.js';
import { loadBots } from './load.js';
import { isDirty } from './model.js';
import { refreshAvailability, startTick, stopTick } from './preview.js';
import { S } from './state.js';

function showOnly(id) {
  for (const view of ['loading', 'login-view', 'denied-view', 'app-view']) $(view).hidden = view !== id;
}

function showLogin(message) {
  showOnly('login-view');
  $('login-error').textContent = message || '';
  $('login-email').focus();
}

export function showDenied() {
  showOnly('denied-view');
  $('denied-text').textContent =
    'The Agent Editor is for admins of your workspace' +
    (S.agent ? ' — you are signed in as ' + S.agent.display_name + ' (' + S.agent.email + '), an agent' : '') +
    '. Ask an admin to change the handoff settings, or to make you an admin.';
}

/** The login form's submit handler. */
export function login(ev) {
  return loginHandler(api, enter)(ev);
}
export function sessionExpired() {
  S.csrf = null;
  const keep = S.model && isDirty();
  showLogin('Your session has ended. Sign in again' + (keep ? '; your unsaved changes are kept.' : '.'));
}

export async function logout() {
  await signOut(api);
  resetEditor();
  S.agent = null;
  S.csrf = null;
  showLogin('You are logged out.');
}
export function confirmDiscard(text, then) {
  if (!S.model || !isDirty()) {
    then();
    return;
  }
  S.onDiscard = then;
  $('switch-text').textContent = text;
  $('switch-dialog').showModal();
}

function resetEditor() {
  S.model = null;
  S.saved = null;
  S.savedData = null;
  S.errors = [];
  S.errorNote = '';
  S.serverAvail = null;
  S.botId = null;
  $('editor').dataset.loaded = 'false';
  stopTick();
  resetKnowledge();
}

async function enter(agent, csrf) {
  const sameAgent = S.agent && S.agent.id === agent.id;
  S.agent = agent;
  S.csrf = csrf;
  if (agent.role !== 'admin') {
    resetEditor();
    showDenied();
    return;
  }
  await loadLimits();
  $('agent-name').textContent = agent.display_name;
  showOnly('app-view');
  if (sameAgent && S.model) {
    // Signed in again after the session ended: the edits are still here.
    refreshAvailability();
    startTick();
    return;
  }
  resetEditor();
  await loadBots();
}

export async function start() {
  try {
    const me = await api('GET', '/me');
    await enter(me.agent, me.csrf_token);
  } catch (err) {
    if (err.status === 401) showLogin('');
    else showLogin(describe(err));
  }
}
