// Browser end-to-end test of FreshChat routing (docs/freshchat.md): an admin saves the FreshChat
// credentials in the panel (Settings → Integrations: the token write-only, the webhook URL with a
// copy button, "Test connection"), turns "Route handoffs to FreshChat" on in the Agent Editor's
// Handoff tool, then a visitor asks for a person; the conversation appears in the local FreshChat
// stand-in, the stand-in's agent replies, and the visitor reads the reply in the widget under the
// agent's name. The panel lists the conversation as "In FreshChat", read-only.
//
// It builds nothing: harness.mjs starts the `baton` binary (allowed to reach the stand-in with
// --allow-outbound-host) and drives the Debian Chromium with playwright-core.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, XSS, apiLogin, assertNoProblems, editorSignIn, openDemo, openPanel, useBaton, watch } from './harness.mjs';
import { startFreshchat } from './freshchat-standin.mjs';

let passed = false;
let freshchat = null;
const e2e = useBaton({
  dataDirPrefix: 'baton-e2e-freshchat-',
  beforeStart: async () => {
    freshchat = await startFreshchat();
  },
  serveArgs: () => ['--allow-outbound-host', freshchat.host],
  failed: () => !passed,
});
after(async () => {
  if (freshchat) await freshchat.close();
});

async function eventually(what, check) {
  const deadline = Date.now() + STEP_MS;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

test('a visitor asks for a person, the handoff goes to FreshChat and the agent’s reply shows in the widget', async () => {
  const { admin, botId, browser } = e2e;
  const problems = [];
  const dialogs = [];
  const session = await apiLogin(e2e, admin);

  // ---- Settings → Integrations: the FreshChat credentials
  const panel = await openPanel(e2e, admin, problems, { dialogs, permissions: ['clipboard-read', 'clipboard-write'] });
  await panel.click('#nav-integrations');
  await panel.locator('#fc-form').waitFor({ timeout: STEP_MS });
  // The integrations load after the view shows.
  await panel.waitForFunction(() => document.getElementById('fc-webhook-url').value !== '', null, { timeout: STEP_MS });
  const webhookUrl = await panel.inputValue('#fc-webhook-url');
  assert.match(webhookUrl, /\/api\/v1\/integrations\/freshchat\/webhook\/[\w-]+$/);
  // A plain-http URL the operator did not allow is refused inline.
  await panel.fill('#fc-url', 'http://freshchat.example.com/v2');
  await panel.click('#fc-save');
  await panel.locator('#fc-url-error:not(:empty)').waitFor({ timeout: STEP_MS });
  console.log(`refused URL: "${await panel.textContent('#fc-url-error')}"`);
  await panel.fill('#fc-url', freshchat.baseUrl);
  await panel.fill('#fc-token', freshchat.token);
  await panel.fill('#fc-key', freshchat.publicKey);
  await panel.click('#fc-save');
  await panel.locator('#fc-status', { hasText: 'Saved.' }).waitFor({ timeout: STEP_MS });
  await panel.locator('#fc-token-set:not([hidden])', { hasText: /a token is set/i }).waitFor({ timeout: STEP_MS });
  assert.equal(await panel.inputValue('#fc-token'), '', 'the token is never prefilled');
  assert.ok(!(await panel.content()).includes(freshchat.token), 'the token appears nowhere in the page');
  await panel.click('#fc-copy');
  await panel.locator('#fc-copy-status', { hasText: /copied|selected/i }).waitFor({ timeout: STEP_MS });
  await panel.click('#fc-test');
  await panel.locator('#fc-status', { hasText: 'Connected' }).waitFor({ timeout: STEP_MS });
  console.log(`test button: "${await panel.textContent('#fc-status')}"`);
  freshchat.setWebhookUrl(webhookUrl);
  const stored = await session.ok('GET', '/integrations');
  assert.equal(stored.freshchat_token_set, true);
  assert.ok(!JSON.stringify(stored).includes(freshchat.token), 'the API never returns the token');

  // ---- the Agent Editor's Handoff tool: the toggle
  const editorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const editor = await editorContext.newPage();
  watch(editor, 'editor', problems, { dialogs });
  await editorSignIn(editor, e2e, admin);
  await editor.locator('#editor[data-loaded="true"]').waitFor({ timeout: STEP_MS });
  assert.ok(!(await editor.content()).includes('not available in this version'));
  await editor.check('#freshchat-enabled');
  await editor.click('#save');
  await editor.locator('#dirty-indicator[data-state="saved"]').waitFor({ timeout: STEP_MS });
  const bots = await session.ok('GET', '/bots');
  const bot = bots.bots.find((b) => b.id === botId) || bots.bots[0];
  assert.equal(bot.handoff.freshchat_enabled, true, 'the toggle was saved');

  // ---- a visitor asks for a person
  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const visitor = await visitorContext.newPage();
  watch(visitor, 'widget', problems, { dialogs });
  await openDemo(visitor, e2e, bot.id);
  await visitor.locator('button.launcher').click();
  const input = visitor.locator('#baton-input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill('My order 12345 never arrived.');
  await input.press('Enter');
  await visitor.locator('.log .msg.bot:not(.greeting)').first().waitFor({ timeout: STEP_MS });
  await visitor.locator('button.human-button').click();
  await visitor.locator('.log', { hasText: 'support team' }).waitFor({ timeout: STEP_MS });

  const conversationId = await eventually('FreshChat has the conversation', () => {
    const ids = [...freshchat.state.conversations.keys()];
    return ids.length ? ids[0] : null;
  });
  assert.deepEqual(freshchat.userTexts(conversationId), ['My order 12345 never arrived.']);

  // ---- the FreshChat agent replies (markup must show as text)
  await freshchat.agentReply(conversationId, `Hi, this is Ana. I'm checking order 12345 ${XSS}`);
  const reply = visitor.locator('.log .msg.agent', { hasText: 'checking order 12345' });
  await reply.waitFor({ timeout: STEP_MS });
  assert.match(await reply.locator('.who').textContent(), /Ana Lima/);
  assert.equal(await visitor.locator('.log img').count(), 0, 'no <img> element was created in the widget');

  // ---- the visitor answers: it reaches FreshChat, and the AI stays silent
  const botAnswers = await visitor.locator('.log .msg.bot:not(.greeting)').count();
  await input.fill('Thank you, Ana!');
  await input.press('Enter');
  await eventually('the visitor’s answer reaches FreshChat', () => freshchat.userTexts(conversationId).length === 2);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await visitor.locator('.log .msg.bot:not(.greeting)').count(), botAnswers, 'the AI did not answer');

  // ---- the panel shows it as "In FreshChat", read-only
  await panel.click('#nav-chats');
  const item = panel.locator('.state.freshchat').first();
  await item.waitFor({ timeout: STEP_MS });
  assert.match(await item.textContent(), /In FreshChat/);

  assert.deepEqual(dialogs, [], 'no dialog may open');
  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me', 'editor: HTTP 401 GET /api/v1/me', 'panel: HTTP 400 PUT /api/v1/integrations'], 'no page errors, console errors or failed requests');
  passed = true;
});
