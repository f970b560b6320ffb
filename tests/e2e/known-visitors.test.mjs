// Browser end-to-end test of known visitors: an admin creates the identity secret in the panel
// (shown once); a customer's page on another origin embeds the widget with the visitor's id,
// email, name and the signature its server made; the agent sees the conversation as verified,
// with the email.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { STEP_MS, assertNoProblems, openPanel, useBaton, watch } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-known-', failed: () => failures > 0 });

test('a visitor the site signed shows as verified, with their email', async () => {
  failures += 1;
  const { admin, botId, baseUrl, browser } = e2e;
  const problems = [];

  // ---- the identity secret, created in the panel and shown once
  const panel = await openPanel(e2e, admin, problems, { status: 'online' });
  await panel.click('#nav-integrations');
  await panel.locator('#integrations-view[data-loaded="true"]:not([hidden])').waitFor({ timeout: STEP_MS });
  await panel.locator('#identity-state', { hasText: 'No identity secret' }).waitFor({ timeout: STEP_MS });
  await panel.click('#identity-rotate');
  await panel.locator('#identity-reveal:not([hidden])').waitFor({ timeout: STEP_MS });
  const secret = await panel.inputValue('#identity-value');
  assert.ok(secret.length >= 32, 'a long secret');
  await panel.click('#identity-done');
  assert.equal(await panel.inputValue('#identity-value'), '');
  await panel.locator('#identity-state', { hasText: 'is set' }).waitFor({ timeout: STEP_MS });

  // ---- the customer's page, with the signature its server made
  const signature = createHmac('sha256', secret).update('cust-1').digest('hex');
  const snippet = `<script src="${baseUrl}/widget.js" data-bot="${botId}" data-visitor-id="cust-1" data-visitor-email="kim@example.com" data-visitor-name="Kim Lee" data-visitor-signature="${signature}" async></script>`;
  const shop = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Shop</title><body><h1>My account</h1>${snippet}</body></html>`);
  });
  await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
  try {
    const siteContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const site = await siteContext.newPage();
    watch(site, 'site', problems, { dialogs: [] });
    await site.goto(`http://localhost:${shop.address().port}/`);
    await site.locator('button.launcher').click();
    await site.fill('#baton-input', 'Hello, where is my order?');
    await site.press('#baton-input', 'Enter');
    await site.locator('.msg.visitor:not(.pending) .bubble', { hasText: 'where is my order' }).waitFor({ timeout: STEP_MS });

    // ---- the agent sees a verified visitor with the email
    await panel.click('#nav-chats');
    const item = panel.locator('#conversation-list button', { hasText: 'Kim Lee' });
    await item.waitFor({ timeout: STEP_MS * 2 });
    assert.equal(await item.locator('.verified').count(), 1, 'the list marks the visitor verified');
    await item.click();
    await panel.locator('#chat-title .verified', { hasText: 'Verified' }).waitFor({ timeout: STEP_MS });
    await panel.locator('#chat-visitor a[href="mailto:kim@example.com"]').waitFor({ timeout: STEP_MS });
    await panel.locator('#chat-visitor', { hasText: 'cust-1' }).waitFor({ timeout: STEP_MS });
  } finally {
    shop.close();
  }
  assertNoProblems(problems, [/panel: HTTP 401 GET \/api\/v1\/me/]);
  failures -= 1;
});
