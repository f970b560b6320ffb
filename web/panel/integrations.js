/*
 * Integrations (admins): ticket notifications by email and signed webhook, the delivery outbox,
 * the workspace's own AI model, FreshChat routing (docs/freshchat.md) and the identity secret for
 * known visitors. Keys, tokens and secrets are write-only.
 */

import { $, h } from '../shared/dom.js';
import { ago, clock, parseTime } from '../shared/time.js';
import { api, describe } from './http.js';
import { toast } from './notify.js';
import { isAdmin } from './session.js';
import { S } from './state.js';

export function fieldError(inputId, text) {
  $(inputId + '-error').textContent = text || '';
  if (text) $(inputId).setAttribute('aria-invalid', 'true');
  else $(inputId).removeAttribute('aria-invalid');
}

function intStatus(text, error) {
  const el = $('int-status');
  el.textContent = text;
  el.style.color = error ? 'var(--danger)' : '';
}

export async function loadIntegrations() {
  try {
    S.integrations = await api('GET', '/integrations');
    paintIntegrations(true);
    // The forms hold the saved values now (tests wait for this before typing).
    $('integrations-view').dataset.loaded = 'true';
  } catch (err) {
    if (err.status !== 401) toast('Could not load the integrations', describe(err), { kind: 'error' });
  }
}

function paintIntegrations(fill) {
  const i = S.integrations || {};
  if (fill) {
    $('int-email').value = i.notification_email || '';
    $('int-webhook').value = i.webhook_url || '';
  }
  paintAi(fill);
  paintFreshchat(fill);
  paintIdentity();
  $('secret-state').textContent = i.webhook_secret_set
    ? 'A secret is set. It is never shown again: rotate it to get a new one.'
    : 'No secret yet. One is created with the first webhook URL, or rotate to create one now.';
}

async function saveIntegrations(ev) {
  ev.preventDefault();
  fieldError('int-email', '');
  fieldError('int-webhook', '');
  intStatus('Saving…', false);
  const email = $('int-email').value.trim();
  const url = $('int-webhook').value.trim();
  $('int-save').disabled = true;
  try {
    const res = await api('PUT', '/integrations', { notification_email: email || null, webhook_url: url || null });
    const secret = res && typeof res.webhook_secret === 'string' ? res.webhook_secret : null;
    if (res) delete res.webhook_secret;
    S.integrations = res;
    paintIntegrations(true);
    intStatus('Saved.', false);
    if (secret) {
      // The first webhook URL made a secret: the server shows it in this answer, once.
      revealSecret(secret);
      intStatus('Saved. The webhook signing secret is below.', false);
    }
  } catch (err) {
    const fields = { notification_email: 'int-email', webhook_url: 'int-webhook' };
    if (err.status === 400 && fields[err.field]) {
      fieldError(fields[err.field], describe(err) + (/[.!?]$/.test(err.message || '') ? '' : '.'));
      $(fields[err.field]).focus();
      intStatus('', false);
    } else {
      intStatus(describe(err), true);
    }
  } finally {
    $('int-save').disabled = false;
  }
}

/** What Save does with the API key: 'keep' it, 'replace' it with the typed one, or 'remove' it. */
let aiKeyMode = 'keep';

function aiStatus(text, error) {
  const el = $('ai-status');
  el.textContent = text;
  el.style.color = error ? 'var(--danger)' : '';
}

function clearAiErrors() {
  fieldError('ai-base-url', '');
  fieldError('ai-model', '');
  fieldError('ai-key', '');
}

function paintAi(fill) {
  const i = S.integrations || {};
  if (fill) {
    $('ai-base-url').value = i.llm_base_url || '';
    $('ai-model').value = i.llm_model || '';
    $('ai-key').value = '';
    aiKeyMode = 'keep';
  }
  paintAiKey();
}

function paintAiKey() {
  const set = !!(S.integrations && S.integrations.llm_api_key_set);
  paintSecret('ai-key', 'key', set, aiKeyMode);
  $('ai-key').placeholder = set ? 'New API key' : 'Optional — not needed for a local model';
}

/**
 * A write-only secret field (`prefix` names its elements): "set, never shown" with Replace and
 * Remove, or the input for a new one when none is set or it is being replaced.
 */
function paintSecret(prefix, noun, set, chosen) {
  const mode = set ? chosen : 'replace';
  $(prefix + '-set').hidden = !set;
  $(prefix + '-state').textContent =
    mode === 'remove'
      ? 'The ' + noun + ' will be removed when you save.'
      : mode === 'replace'
        ? 'A ' + noun + ' is set. Type a new one to replace it.'
        : 'A ' + noun + ' is set. It is never shown.';
  $(prefix + '-replace').hidden = mode === 'replace';
  $(prefix + '-remove').hidden = mode === 'remove';
  $(prefix).hidden = mode !== 'replace';
}

function aiFailed(err) {
  const fields = { llm_base_url: 'ai-base-url', llm_model: 'ai-model', llm_api_key: 'ai-key' };
  if (err.status === 400 && fields[err.field]) {
    const id = fields[err.field];
    fieldError(id, describe(err) + (/[.!?]$/.test(err.message || '') ? '' : '.'));
    if (!$(id).hidden) $(id).focus();
    aiStatus('', false);
  } else {
    aiStatus(describe(err), true);
  }
}

async function putAi(body, done) {
  clearAiErrors();
  aiStatus('Saving…', false);
  $('ai-save').disabled = true;
  $('ai-builtin').disabled = true;
  try {
    const res = await api('PUT', '/integrations', body);
    if (res) {
      delete res.webhook_secret;
      delete res.llm_api_key;
    }
    S.integrations = res;
    $('ai-key').value = '';
    aiKeyMode = 'keep';
    paintAi(true);
    aiStatus(done, false);
  } catch (err) {
    aiFailed(err);
  } finally {
    $('ai-save').disabled = false;
    $('ai-builtin').disabled = false;
  }
}

function saveAi(ev) {
  ev.preventDefault();
  const body = {
    llm_base_url: $('ai-base-url').value.trim() || null,
    llm_model: $('ai-model').value.trim() || null,
  };
  const key = $('ai-key').value.trim();
  if (aiKeyMode === 'remove') body.llm_api_key = null;
  else if (key) body.llm_api_key = key;
  return putAi(body, 'Saved.');
}

function useBuiltinEngine() {
  return putAi({ llm_base_url: null, llm_model: null }, 'Saved. The built-in engine answers.');
}

/** What Save does with the API token: 'keep' it, 'replace' it with the typed one, or 'remove' it. */
let fcTokenMode = 'keep';
const FC_FIELDS = {
  freshchat_api_url: 'fc-url',
  freshchat_api_token: 'fc-token',
  freshchat_channel_id: 'fc-channel',
  freshchat_webhook_public_key: 'fc-key',
};

function fcStatus(text, error) {
  const el = $('fc-status');
  el.textContent = text;
  el.style.color = error ? 'var(--danger)' : '';
}

function clearFcErrors() {
  for (const id of Object.values(FC_FIELDS)) fieldError(id, '');
}

function paintFreshchat(fill) {
  const i = S.integrations || {};
  if (fill) {
    $('fc-url').value = i.freshchat_api_url || '';
    $('fc-channel').value = i.freshchat_channel_id || '';
    $('fc-key').value = i.freshchat_webhook_public_key || '';
    $('fc-token').value = '';
    fcTokenMode = 'keep';
  }
  $('fc-webhook-url').value = i.freshchat_webhook_url || '';
  paintFcToken();
}

function paintFcToken() {
  paintSecret('fc-token', 'token', !!(S.integrations && S.integrations.freshchat_token_set), fcTokenMode);
}

function fcFailed(err, status) {
  const id = FC_FIELDS[err.field];
  if ((err.status === 400 || err.status === 502) && id) {
    fieldError(id, describe(err) + (/[.!?]$/.test(err.message || '') ? '' : '.'));
    if (!$(id).hidden) $(id).focus();
    status(err.status === 502 ? 'FreshChat could not be used.' : '', err.status === 502);
  } else {
    status(describe(err), true);
  }
}

async function saveFreshchat(ev) {
  ev.preventDefault();
  clearFcErrors();
  fcStatus('Saving…', false);
  const i = S.integrations || {};
  // The ticket fields are always replaced by this call: send them back as they are stored.
  const body = {
    notification_email: i.notification_email || null,
    webhook_url: i.webhook_url || null,
    freshchat_api_url: $('fc-url').value.trim() || null,
    freshchat_channel_id: $('fc-channel').value.trim() || null,
    freshchat_webhook_public_key: $('fc-key').value.trim() || null,
  };
  const token = $('fc-token').value.trim();
  if (fcTokenMode === 'remove') body.freshchat_api_token = null;
  else if (token) body.freshchat_api_token = token;
  $('fc-save').disabled = true;
  try {
    const res = await api('PUT', '/integrations', body);
    if (res) delete res.webhook_secret;
    S.integrations = res;
    paintFreshchat(true);
    fcStatus('Saved.', false);
  } catch (err) {
    fcFailed(err, fcStatus);
  } finally {
    $('fc-save').disabled = false;
  }
}

async function testFreshchat() {
  clearFcErrors();
  fcStatus('Calling FreshChat…', false);
  $('fc-test').disabled = true;
  try {
    const res = await api('POST', '/integrations/freshchat/test');
    const names = (res.channels || []).map((c) => (c.name || c.id) + ' (' + c.id + ')');
    const noKey = !(S.integrations && S.integrations.freshchat_webhook_public_key);
    fcStatus(
      'Connected. Channels: ' + (names.join(', ') || 'none') + '.' +
        (noKey ? " No webhook public key is saved yet: FreshChat's replies are refused until you paste it." : ''),
      false,
    );
  } catch (err) {
    fcFailed(err, fcStatus);
  } finally {
    $('fc-test').disabled = false;
  }
}

async function copyWebhookUrl() {
  const input = $('fc-webhook-url');
  const status = $('fc-copy-status');
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = 'Copied to the clipboard.';
  } catch (_) {
    input.focus();
    input.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch (__) {
      copied = false;
    }
    status.textContent = copied ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy it.';
  }
}

async function rotateSecret() {
  $('secret-confirm').hidden = true;
  $('secret-rotate').disabled = true;
  try {
    const res = await api('POST', '/integrations/webhook-secret');
    if (S.integrations) S.integrations.webhook_secret_set = true;
    paintIntegrations(false);
    revealSecret(res.secret);
  } catch (err) {
    toast('Could not rotate the secret', describe(err), { kind: 'error' });
  } finally {
    $('secret-rotate').disabled = false;
  }
}

/** Shows a new secret, once, with its copy button. */
function revealSecret(secret) {
  $('secret-value').value = secret;
  $('secret-copy-status').textContent = '';
  $('secret-reveal').hidden = false;
  $('secret-value').focus();
  $('secret-value').select();
}

/** Whether the workspace has an identity secret (for signed known visitors). */
function paintIdentity() {
  const set = Boolean(S.integrations && S.integrations.identity_secret_set);
  $('identity-state').textContent = set
    ? 'An identity secret is set. It is never shown again: create a new one to replace it.'
    : 'No identity secret yet: every visitor is anonymous.';
}

async function rotateIdentitySecret() {
  $('identity-confirm').hidden = true;
  $('identity-rotate').disabled = true;
  try {
    const res = await api('POST', '/integrations/identity-secret');
    if (S.integrations) S.integrations.identity_secret_set = true;
    paintIdentity();
    $('identity-value').value = res.secret;
    $('identity-copy-status').textContent = '';
    $('identity-reveal').hidden = false;
    $('identity-value').focus();
    $('identity-value').select();
  } catch (err) {
    toast('Could not create the identity secret', describe(err), { kind: 'error' });
  } finally {
    $('identity-rotate').disabled = false;
  }
}

export function hideSecret() {
  $('identity-value').value = '';
  $('identity-reveal').hidden = true;
  $('identity-confirm').hidden = true;
  $('secret-value').value = '';
  $('secret-reveal').hidden = true;
  $('secret-confirm').hidden = true;
}

function copySecret() {
  return copyFrom($('secret-value'), $('secret-copy-status'));
}

/** Copies a read-only field's value, falling back to selecting it for Ctrl+C. */
export async function copyFrom(input, status) {
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = 'Copied to the clipboard.';
  } catch (_) {
    input.focus();
    input.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch (__) {
      copied = false;
    }
    status.textContent = copied ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy it.';
  }
}

export async function loadOutbox() {
  if (!isAdmin()) return;
  const status = S.outboxStatus;
  try {
    const res = await api('GET', '/outbox?status=' + encodeURIComponent(status));
    if (status === S.outboxStatus) paintOutbox(res.deliveries || []);
  } catch (err) {
    if (err.status !== 401) toast('Could not load deliveries', describe(err), { kind: 'error' });
  }
}

function paintOutbox(items) {
  const status = S.outboxStatus;
  $('outbox-rows').replaceChildren(
    ...items.map((d) => {
      const created = parseTime(d.created_at);
      let action = null;
      if (status === 'dead') {
        const button = h('button', { type: 'button', text: 'Retry', onclick: () => retryDelivery(d.id, button) });
        action = button;
      } else if (status === 'delivered') {
        action = h('span', { class: 'muted', text: 'delivered ' + ago(parseTime(d.delivered_at)) });
      } else {
        const next = parseTime(d.next_attempt_at);
        action = h('span', { class: 'muted', text: next ? 'next try ' + clock(next) : '' });
      }
      return h(
        'tr',
        { 'data-delivery': d.id },
        h('td', { text: d.event }),
        h('td', { text: d.channel }),
        h('td', { text: d.destination }),
        h('td', { text: String(d.attempts) }),
        h('td', { class: 'error-cell', text: d.last_error || '—' }),
        h('td', { title: created ? new Date(created).toLocaleString() : null, text: ago(created) }),
        h('td', {}, action),
      );
    }),
  );
  $('outbox-table').hidden = items.length === 0;
  const empty = {
    dead: 'No failed deliveries: everything was delivered or is still being retried.',
    pending: 'Nothing is waiting to be delivered.',
    delivered: 'Nothing delivered yet.',
  };
  $('outbox-empty').textContent = items.length ? '' : empty[status];
}

async function retryDelivery(id, button) {
  button.disabled = true;
  try {
    await api('POST', '/outbox/' + encodeURIComponent(id) + '/retry');
    const row = button.closest('tr');
    if (row) row.remove();
    if (!$('outbox-rows').children.length) paintOutbox([]);
    toast('Delivery queued again', 'It will be attempted again now, then with backoff.', { timeout: 5000 });
  } catch (err) {
    toast('Could not retry', describe(err), { kind: 'error' });
    button.disabled = false;
  }
}

export function wireIntegrations() {
  $('integrations-form').addEventListener('submit', saveIntegrations);
  $('identity-rotate').addEventListener('click', () => {
    if (S.integrations && S.integrations.identity_secret_set) {
      $('identity-confirm').hidden = false;
      $('identity-rotate-cancel').focus();
    } else {
      rotateIdentitySecret();
    }
  });
  $('identity-rotate-confirm').addEventListener('click', rotateIdentitySecret);
  $('identity-rotate-cancel').addEventListener('click', () => {
    $('identity-confirm').hidden = true;
    $('identity-rotate').focus();
  });
  $('identity-copy').addEventListener('click', () => copyFrom($('identity-value'), $('identity-copy-status')));
  $('identity-done').addEventListener('click', () => {
    $('identity-value').value = '';
    $('identity-reveal').hidden = true;
    $('identity-rotate').focus();
  });
  $('fc-form').addEventListener('submit', saveFreshchat);
  $('fc-test').addEventListener('click', testFreshchat);
  $('fc-copy').addEventListener('click', copyWebhookUrl);
  $('fc-token-replace').addEventListener('click', () => {
    fcTokenMode = 'replace';
    paintFcToken();
    $('fc-token').focus();
  });
  $('fc-token-remove').addEventListener('click', () => {
    fcTokenMode = 'remove';
    paintFcToken();
  });
  $('ai-form').addEventListener('submit', saveAi);
  $('ai-builtin').addEventListener('click', useBuiltinEngine);
  $('ai-base-url').addEventListener('input', () => fieldError('ai-base-url', ''));
  $('ai-model').addEventListener('input', () => fieldError('ai-model', ''));
  $('ai-key').addEventListener('input', () => fieldError('ai-key', ''));
  $('ai-key-replace').addEventListener('click', () => {
    aiKeyMode = 'replace';
    paintAiKey();
    $('ai-key').focus();
  });
  $('ai-key-remove').addEventListener('click', () => {
    aiKeyMode = 'remove';
    $('ai-key').value = '';
    paintAiKey();
  });
  $('int-email').addEventListener('input', () => fieldError('int-email', ''));
  $('int-webhook').addEventListener('input', () => fieldError('int-webhook', ''));
  $('secret-rotate').addEventListener('click', () => {
    $('secret-confirm').hidden = false;
    $('secret-rotate-cancel').focus();
  });
  $('secret-rotate-cancel').addEventListener('click', () => {
    $('secret-confirm').hidden = true;
    $('secret-rotate').focus();
  });
  $('secret-rotate-confirm').addEventListener('click', rotateSecret);
  $('secret-copy').addEventListener('click', copySecret);
  $('secret-done').addEventListener('click', () => {
    hideSecret();
    $('secret-rotate').focus();
  });
  for (const b of document.querySelectorAll('.outbox-filters button')) {
    b.addEventListener('click', () => {
      S.outboxStatus = b.dataset.outbox;
      for (const other of document.querySelectorAll('.outbox-filters button')) other.setAttribute('aria-selected', String(other === b));
      loadOutbox();
    });
  }
}
