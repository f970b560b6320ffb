/*
 * Saved replies: `/shortcut` in the reply box, a picker, and their list in Team.
 */

import { $, h } from '../shared/dom.js';
import { sendFile, updateCounter } from './conversation.js';
import { api, describe } from './http.js';
import { toast } from './notify.js';
import { isAdmin } from './session.js';
import { S } from './state.js';
import { agentFormErrors } from './team.js';

export async function loadSavedReplies() {
  try {
    const res = await api('GET', '/saved-replies');
    S.savedReplies = res.saved_replies || [];
  } catch (_) {
    return;
  }
  paintSavedReplies();
}

/** A saved reply's text with the visitor's and the agent's names filled in. */
function fillReply(text) {
  const c = S.conversations.get(S.current);
  const visitor = c && c.visitor_name ? c.visitor_name : 'there';
  const agent = S.agent ? S.agent.display_name : '';
  return text.replaceAll('{visitor_name}', visitor).replaceAll('{agent_name}', agent);
}

/** The saved replies whose shortcut matches what follows `/` (prefix matches first). */
function pickerMatches(query) {
  const q = query.toLowerCase();
  const all = S.savedReplies || [];
  const starts = all.filter((r) => r.shortcut.startsWith(q));
  const contains = all.filter((r) => !r.shortcut.startsWith(q) && (r.shortcut.includes(q) || r.text.toLowerCase().includes(q)));
  return [...starts, ...contains].slice(0, 8);
}

export function updatePicker() {
  const input = $('composer-input');
  const m = /^\/([\w-]*)$/.exec(input.value);
  if (!m || input.disabled) {
    closePicker();
    return;
  }
  openPicker(m[1]);
}

function openPicker(query) {
  const matches = pickerMatches(query);
  S.picker = { matches, active: 0 };
  const list = $('saved-picker');
  if (!matches.length) {
    list.replaceChildren(h('li', { class: 'saved-none', role: 'option', 'aria-disabled': 'true', text: (S.savedReplies || []).length ? 'No saved reply matches /' + query : 'No saved replies yet (admins add them under Team)' }));
  } else {
    list.replaceChildren(...matches.map((r, i) => h('li', {
      id: 'saved-option-' + i,
      role: 'option',
      'aria-selected': String(i === 0),
      class: 'saved-option',
      onmousedown: (ev) => { ev.preventDefault(); insertSaved(r); },
    }, h('b', { text: '/' + r.shortcut }), ' ', h('span', { class: 'saved-text', text: r.text }))));
  }
  list.hidden = false;
  const input = $('composer-input');
  input.setAttribute('aria-expanded', 'true');
  if (matches.length) input.setAttribute('aria-activedescendant', 'saved-option-0');
  else input.removeAttribute('aria-activedescendant');
}

export function closePicker() {
  S.picker = null;
  $('saved-picker').hidden = true;
  $('saved-picker').replaceChildren();
  $('composer-input').setAttribute('aria-expanded', 'false');
  $('composer-input').removeAttribute('aria-activedescendant');
}

/** Arrow keys, Enter, Tab and Escape while the picker is open; true when the key was used. */
export function pickerKey(ev) {
  const p = S.picker;
  if (!p) return false;
  if (ev.key === 'Escape') {
    ev.preventDefault();
    closePicker();
    return true;
  }
  if (!p.matches.length) return false;
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    const n = p.matches.length;
    p.active = (p.active + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
    for (const [i, li] of [...$('saved-picker').children].entries()) li.setAttribute('aria-selected', String(i === p.active));
    $('composer-input').setAttribute('aria-activedescendant', 'saved-option-' + p.active);
    return true;
  }
  if ((ev.key === 'Enter' && !ev.shiftKey) || ev.key === 'Tab') {
    ev.preventDefault();
    insertSaved(p.matches[p.active]);
    return true;
  }
  return false;
}

function insertSaved(reply) {
  const input = $('composer-input');
  input.value = fillReply(reply.text);
  closePicker();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
  updateCounter();
}

function paintSavedReplies() {
  const list = $('saved-list');
  const admin = isAdmin();
  list.replaceChildren(...(S.savedReplies || []).map((r) => h('li', { class: 'saved-item' },
    h('div', { class: 'saved-head' },
      h('b', { text: '/' + r.shortcut }),
      admin ? h('span', { class: 'saved-actions' },
        h('button', { type: 'button', 'aria-label': 'Edit /' + r.shortcut, onclick: () => editSaved(r) }, 'Edit'),
        h('button', { type: 'button', class: 'danger', 'aria-label': 'Delete /' + r.shortcut, onclick: () => deleteSaved(r) }, 'Delete')) : null),
    h('p', { class: 'saved-text prewrap', text: r.text }))));
  $('saved-empty').hidden = (S.savedReplies || []).length > 0;
}

function editSaved(r) {
  S.editingSaved = r.id;
  $('saved-form-title').textContent = 'Edit /' + r.shortcut;
  $('sr-shortcut').value = r.shortcut;
  $('sr-text').value = r.text;
  $('sr-save').textContent = 'Save changes';
  $('sr-cancel').hidden = false;
  $('sr-status').textContent = '';
  $('sr-shortcut').focus();
}

function resetSavedForm() {
  S.editingSaved = null;
  $('saved-form').reset();
  $('saved-form-title').textContent = 'Add a saved reply';
  $('sr-save').textContent = 'Add saved reply';
  $('sr-cancel').hidden = true;
  agentFormErrors('sr-', ['shortcut', 'text'], null);
}

async function saveSaved(ev) {
  ev.preventDefault();
  const body = { shortcut: $('sr-shortcut').value.trim(), text: $('sr-text').value };
  const editing = S.editingSaved;
  $('sr-save').disabled = true;
  try {
    if (editing) await api('PUT', '/saved-replies/' + encodeURIComponent(editing), body);
    else await api('POST', '/saved-replies', body);
    resetSavedForm();
    $('sr-status').textContent = editing ? 'Saved.' : 'Added /' + body.shortcut.replace(/^\//, '').toLowerCase() + '.';
    loadSavedReplies();
  } catch (err) {
    $('sr-status').textContent = '';
    if (!agentFormErrors('sr-', ['shortcut', 'text'], err)) $('sr-status').textContent = describe(err);
  } finally {
    $('sr-save').disabled = false;
  }
}

async function deleteSaved(r) {
  try {
    await api('DELETE', '/saved-replies/' + encodeURIComponent(r.id));
    $('sr-status').textContent = 'Deleted /' + r.shortcut + '.';
  } catch (err) {
    toast('Could not delete /' + r.shortcut, describe(err), { kind: 'error' });
  }
  if (S.editingSaved === r.id) resetSavedForm();
  loadSavedReplies();
}

export function wireSavedReplies() {
  $('saved-form').addEventListener('submit', saveSaved);
  $('sr-cancel').addEventListener('click', resetSavedForm);
  $('composer-attach').addEventListener('click', () => $('composer-file').click());
  $('composer-file').addEventListener('change', sendFile);
  $('saved-open').addEventListener('click', () => {
    const input = $('composer-input');
    if (input.disabled) return;
    if (!input.value.trim()) input.value = '/';
    input.focus();
    if (/^\/[\w-]*$/.test(input.value)) openPicker(input.value.slice(1));
    else openPicker('');
  });
  $('composer-input').addEventListener('blur', () => setTimeout(() => {
    if (document.activeElement !== $('composer-input')) closePicker();
  }, 150));
}
