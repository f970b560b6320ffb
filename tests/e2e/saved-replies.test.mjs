// Browser end-to-end test of saved replies: an admin adds one on the Team page (a bad shortcut is
// refused next to its field), then, in a live chat, types `/` and part of the shortcut, picks it
// with the keyboard and sends it, with the visitor's and the agent's names filled in.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, assertNoProblems, openPanel, useBaton } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-saved-', failed: () => failures > 0 });

test('an admin adds a saved reply and inserts it in a chat with /', async () => {
  failures += 1;
  const { admin, botId, baseUrl } = e2e;
  const problems = [];
  const panel = await openPanel(e2e, admin, problems, { status: 'online' });

  // ---- added on the Team page; a bad shortcut is refused next to its field
  await panel.click('#nav-team');
  await panel.locator('#saved-form:not([hidden])').waitFor({ timeout: STEP_MS });
  await panel.fill('#sr-shortcut', 'two words');
  await panel.fill('#sr-text', 'x');
  await panel.click('#sr-save');
  await panel.locator('#sr-shortcut-error', { hasText: 'letters, digits' }).waitFor({ timeout: STEP_MS });
  await panel.fill('#sr-shortcut', 'refund');
  await panel.fill('#sr-text', 'Hi {visitor_name}, your refund is on its way. — {agent_name}');
  await panel.click('#sr-save');
  await panel.locator('#saved-list .saved-item', { hasText: '/refund' }).waitFor({ timeout: STEP_MS });

  // ---- a visitor asks for a person; the admin accepts
  const started = await fetch(`${baseUrl}/api/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ bot_id: botId, visitor_name: 'Vera' }),
  }).then((r) => r.json());
  const auth = { Authorization: `Bearer ${started.token}` };
  const conversationUrl = `${baseUrl}/api/v1/widget/conversations/${started.conversation.id}`;
  assert.equal((await fetch(`${conversationUrl}/handoff`, { method: 'POST', headers: auth })).status, 202);
  await panel.click('#nav-chats');
  await panel.locator('#queue-list .handoff button', { hasText: 'Accept' }).first().click({ timeout: STEP_MS });
  await panel.locator('#composer-input:not([disabled])').waitFor({ timeout: STEP_MS });

  // ---- `/re` opens the picker; Enter inserts the reply with the names filled in; Enter sends it
  await panel.focus('#composer-input');
  await panel.keyboard.type('/re');
  await panel.locator('#saved-picker:not([hidden]) [role="option"][aria-selected="true"]', { hasText: '/refund' }).waitFor({ timeout: STEP_MS });
  assert.equal(await panel.getAttribute('#composer-input', 'aria-expanded'), 'true');
  await panel.keyboard.press('Enter');
  const me = (await panel.textContent('#agent-name')).trim();
  const value = await panel.inputValue('#composer-input');
  assert.equal(value, `Hi Vera, your refund is on its way. — ${me}`);
  assert.ok(await panel.locator('#saved-picker').isHidden(), 'the picker closed');
  await panel.keyboard.press('Enter');
  await panel.locator('#messages .m.agent:not(.pending) .bubble', { hasText: 'your refund is on its way' }).waitFor({ timeout: STEP_MS });
  const history = await fetch(`${conversationUrl}/messages?after=0`, { headers: auth }).then((r) => r.json());
  const sent = (history.messages || []).find((m) => m.author_kind === 'agent');
  assert.ok(sent, 'the agent message is stored');
  assert.equal(sent.text, value);

  // ---- Escape closes the picker and leaves the typed text
  await panel.keyboard.type('/zzz');
  await panel.locator('#saved-picker:not([hidden])', { hasText: 'No saved reply matches' }).waitFor({ timeout: STEP_MS });
  await panel.keyboard.press('Escape');
  assert.ok(await panel.locator('#saved-picker').isHidden());
  assert.equal(await panel.inputValue('#composer-input'), '/zzz');

  assertNoProblems(problems, [/panel: HTTP 401 GET \/api\/v1\/me/, /panel: HTTP 400 POST \/api\/v1\/saved-replies/]);
  failures -= 1;
});
