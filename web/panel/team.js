/*
 * The team: agents (admins manage them) and your own password (everyone).
 */

import { $, h } from '../shared/dom.js';
import { api, describe } from './http.js';
import { copyFrom, fieldError } from './integrations.js';
import { toast } from './notify.js';
import { loadSavedReplies } from './saved-replies.js';
import { showView } from './sections.js';
import { isAdmin } from './session.js';
import { S } from './state.js';

export function showTeam() {
  showView('team');
  history.replaceState(null, '', '#team');
  $('team-card').hidden = !isAdmin();
  $('agent-form-card').hidden = !isAdmin();
  if (isAdmin()) loadTeam();
  $('saved-form').hidden = !isAdmin();
  loadSavedReplies();
}

async function loadTeam() {
  try {
    const res = await api('GET', '/agents');
    S.team = res.agents || [];
    for (const a of S.team) S.agents.set(a.id, a);
  } catch (err) {
    if (err.status !== 401) toast('Could not load the team', describe(err), { kind: 'error' });
    return;
  }
  paintTeam();
}

function presenceText(a) {
  if (!a.active) return 'Deactivated';
  if (!a.connected) return 'Offline';
  return a.status === 'online' ? 'Online' : 'Away';
}

function paintTeam() {
  const rows = $('team-rows');
  rows.replaceChildren();
  for (const a of S.team || []) {
    const me = S.agent && a.id === S.agent.id;
    const actions = h('td', { class: 'team-actions' },
      h('button', { type: 'button', onclick: () => editAgent(a), 'aria-label': 'Edit ' + a.display_name }, 'Edit'),
      h('button', { type: 'button', onclick: () => confirmReset(a), 'aria-label': 'Reset password of ' + a.display_name }, 'Reset password'),
      a.active
        ? h('button', { type: 'button', class: 'danger', onclick: () => confirmActive(a, false), 'aria-label': 'Deactivate ' + a.display_name }, 'Deactivate')
        : h('button', { type: 'button', onclick: () => confirmActive(a, true), 'aria-label': 'Reactivate ' + a.display_name }, 'Reactivate'));
    rows.append(h('tr', { 'data-agent': a.id, class: a.active ? '' : 'inactive' },
      h('th', { scope: 'row', text: a.display_name + (me ? ' (you)' : '') }),
      h('td', { text: a.email }),
      h('td', { text: a.role === 'admin' ? 'Admin' : 'Agent' }),
      h('td', { text: String(a.max_chats) }),
      h('td', { class: 'presence', 'data-presence': presenceText(a).toLowerCase(), text: presenceText(a) }),
      h('td', { text: a.active ? 'Active' : 'Deactivated' }),
      actions));
  }
}

export function onTeamPresence(frame) {
  if (!S.team) return;
  const a = S.team.find((x) => x.id === frame.agent_id);
  if (!a) return;
  a.status = frame.status;
  a.connected = Boolean(frame.online) || (a.connected && frame.status === 'away');
  if (frame.display_name) a.display_name = frame.display_name;
  if (S.view === 'team') loadTeam();
}

export function agentFormErrors(prefix, fields, err) {
  for (const f of fields) fieldError(prefix + f, '');
  if (err && err.field && fields.includes(err.field)) {
    fieldError(prefix + err.field, describe(err));
    $(prefix + err.field).focus();
    return true;
  }
  return false;
}

const AGENT_FIELDS = ['email', 'display_name', 'role', 'max_chats'];

function editAgent(a) {
  S.editingAgent = a.id;
  $('agent-form-title').textContent = 'Edit ' + a.display_name;
  $('af-email').value = a.email;
  $('af-email').disabled = true;
  $('af-display_name').value = a.display_name;
  $('af-role').value = a.role;
  $('af-max_chats').value = String(a.max_chats);
  $('af-save').textContent = 'Save changes';
  $('af-cancel').hidden = false;
  $('af-status').textContent = '';
  agentFormErrors('af-', AGENT_FIELDS, null);
  $('agent-form-card').scrollIntoView({ block: 'nearest' });
  $('af-display_name').focus();
}

function resetAgentForm() {
  S.editingAgent = null;
  $('agent-form').reset();
  $('agent-form-title').textContent = 'Add an agent';
  $('af-email').disabled = false;
  $('af-max_chats').value = '5';
  $('af-save').textContent = 'Add agent';
  $('af-cancel').hidden = true;
  agentFormErrors('af-', AGENT_FIELDS, null);
}

async function saveAgent(ev) {
  ev.preventDefault();
  const body = {
    display_name: $('af-display_name').value.trim(),
    role: $('af-role').value,
    max_chats: Number.parseInt($('af-max_chats').value, 10),
  };
  if (!Number.isFinite(body.max_chats)) {
    agentFormErrors('af-', AGENT_FIELDS, null);
    fieldError('af-max_chats', 'Enter a number from 1 to 100.');
    $('af-max_chats').focus();
    return;
  }
  const editing = S.editingAgent;
  if (!editing) body.email = $('af-email').value.trim();
  $('af-save').disabled = true;
  $('af-status').textContent = 'Saving…';
  try {
    if (editing) {
      await api('PATCH', '/agents/' + encodeURIComponent(editing), body);
      $('af-status').textContent = 'Saved.';
      resetAgentForm();
    } else {
      const res = await api('POST', '/agents', body);
      resetAgentForm();
      $('af-status').textContent = res.agent.display_name + ' was added.';
      revealTeamPassword('Copy ' + res.agent.display_name + "'s password now.", res.password);
    }
    agentFormErrors('af-', AGENT_FIELDS, null);
    loadTeam();
  } catch (err) {
    $('af-status').textContent = '';
    if (!agentFormErrors('af-', AGENT_FIELDS, err)) $('af-status').textContent = describe(err);
  } finally {
    $('af-save').disabled = false;
  }
}

/** Asks before a change that signs someone out; `run` does it. */
function teamConfirm(text, yes, run) {
  hideTeamReveal();
  $('team-confirm-text').textContent = text;
  $('team-confirm-yes').textContent = yes;
  $('team-confirm').hidden = false;
  S.teamConfirm = run;
  $('team-confirm-no').focus();
}

function closeTeamConfirm() {
  $('team-confirm').hidden = true;
  S.teamConfirm = null;
}

function confirmActive(a, active) {
  if (active) {
    setActive(a, true);
    return;
  }
  teamConfirm(
    'Deactivate ' + a.display_name + '? They are signed out at once and cannot log in; any chat they are in goes back to the queue, and its visitor is told.',
    'Deactivate ' + a.display_name,
    () => setActive(a, false));
}

async function setActive(a, active) {
  try {
    await api('PATCH', '/agents/' + encodeURIComponent(a.id), { active });
    toast(active ? a.display_name + ' is active again' : a.display_name + ' was deactivated', '', { kind: 'ok' });
  } catch (err) {
    toast(active ? 'Could not reactivate ' + a.display_name : 'Could not deactivate ' + a.display_name, describe(err), { kind: 'error' });
  }
  loadTeam();
}

function confirmReset(a) {
  teamConfirm(
    'Give ' + a.display_name + ' a new password? Their current password stops working and they are signed out everywhere.',
    'Reset password',
    () => resetPassword(a));
}

async function resetPassword(a) {
  try {
    const res = await api('POST', '/agents/' + encodeURIComponent(a.id) + '/password', {});
    revealTeamPassword('Copy ' + a.display_name + "'s new password now.", res.password);
  } catch (err) {
    toast('Could not reset the password', describe(err), { kind: 'error' });
  }
}

function revealTeamPassword(title, password) {
  $('team-reveal-title').textContent = title;
  $('team-reveal-value').value = password;
  $('team-reveal-status').textContent = '';
  $('team-reveal').hidden = false;
  $('team-reveal-value').focus();
  $('team-reveal-value').select();
}

export function hideTeamReveal() {
  $('team-reveal-value').value = '';
  $('team-reveal').hidden = true;
}

async function changeOwnPassword(ev) {
  ev.preventDefault();
  const fields = ['current_password', 'password'];
  const body = { current_password: $('op-current_password').value, password: $('op-password').value };
  $('op-save').disabled = true;
  $('op-status').textContent = 'Saving…';
  try {
    await api('POST', '/agents/' + encodeURIComponent(S.agent.id) + '/password', body);
    $('own-password-form').reset();
    agentFormErrors('op-', fields, null);
    $('op-status').textContent = 'Your password was changed; your other sessions were signed out.';
  } catch (err) {
    $('op-status').textContent = '';
    if (!agentFormErrors('op-', fields, err)) $('op-status').textContent = describe(err);
  } finally {
    $('op-save').disabled = false;
  }
}

export function wireTeam() {
  $('agent-form').addEventListener('submit', saveAgent);
  $('af-cancel').addEventListener('click', resetAgentForm);
  $('team-confirm-no').addEventListener('click', closeTeamConfirm);
  $('team-confirm-yes').addEventListener('click', () => {
    const run = S.teamConfirm;
    closeTeamConfirm();
    if (run) run();
  });
  $('team-reveal-copy').addEventListener('click', () => copyFrom($('team-reveal-value'), $('team-reveal-status')));
  $('team-reveal-done').addEventListener('click', hideTeamReveal);
  $('own-password-form').addEventListener('submit', changeOwnPassword);
}
