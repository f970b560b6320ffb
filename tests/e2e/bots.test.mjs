// Browser end-to-end test of the Agent Editor's Bot tool: an admin makes a new bot, names it,
// gives it a greeting and a persona, copies its widget snippet, embeds it in a page of their own
// and chats with it; then archives it, and the same page says the chat is no longer available.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import http from 'node:http';
import assert from 'node:assert/strict';
import { STEP_MS, apiLogin, assertNoProblems, editorSignIn, useBaton, watch } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-bots-', failed: () => failures > 0 });

test('an admin creates a bot, embeds its snippet in a page and chats with it, then archives it', async () => {
  failures += 1;
  const { admin, browser } = e2e;
  const problems = [];
  const session = await apiLogin(e2e, admin);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl });
  const page = await context.newPage();
  const dialogs = [];
  watch(page, 'editor', problems, { dialogs: [] });
  page.removeAllListeners('dialog');
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.accept();
  });

  // ---- a new bot, shown in the Bot tool with its name ready to type over
  await editorSignIn(page, e2e, admin);
  await page.locator('#editor[data-loaded="true"]').waitFor({ timeout: STEP_MS });
  await page.click('#bot-new');
  await page.locator('#bot-tool:not([hidden])').waitFor({ timeout: STEP_MS });
  assert.equal(await page.inputValue('#bt-name'), 'New bot');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'bt-name');

  // ---- a blank name is refused on the page; a good profile is saved
  await page.fill('#bt-name', '   ');
  await page.click('#bt-save');
  await page.locator('#bt-name-error', { hasText: 'needs a name' }).waitFor({ timeout: STEP_MS });
  assert.equal(await page.getAttribute('#bt-name', 'aria-invalid'), 'true');
  await page.fill('#bt-name', 'Sales desk');
  await page.fill('#bt-greeting', 'Hi! Looking for a plan? Ask me anything.');
  await page.fill('#bt-persona', 'Brief and friendly. We sell team plans.');
  await page.click('#bt-save');
  await page.locator('#bt-status', { hasText: 'Saved.' }).waitFor({ timeout: STEP_MS });
  const botId = new URL(page.url()).searchParams.get('bot');
  const stored = (await session.call('GET', '/bots')).data.bots.find((b) => b.id === botId);
  assert.equal(stored.name, 'Sales desk');
  assert.equal(stored.persona, 'Brief and friendly. We sell team plans.');
  assert.ok(await page.locator('#bot-picker option', { hasText: 'Sales desk' }).count(), 'the picker shows the new name');

  // ---- the snippet names this bot and is copied
  const snippet = await page.textContent('#bt-snippet');
  assert.ok(snippet.includes(`data-bot="${botId}"`) && snippet.includes(`${e2e.baseUrl}/widget.js`), snippet);
  await page.click('#bt-copy');
  await page.locator('#bt-copy-status', { hasText: /Copied|Selected/ }).waitFor({ timeout: STEP_MS });
  const copied = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
  if (copied !== null) assert.equal(copied, snippet, 'the clipboard holds the snippet');

  // ---- the snippet on a page of the admin's own: the widget greets and answers
  const siteContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const site = await siteContext.newPage();
  watch(site, 'site', problems, { dialogs: [] });
  // The customer's own site: another origin, served by a server of the test's own.
  const shop = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Shop</title><body><h1>Our shop</h1>${snippet}</body></html>`);
  });
  await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://localhost:${shop.address().port}/`;
  await site.goto(pageUrl);
  await site.locator('button.launcher').click();
  await site.locator('.msg.greeting .bubble', { hasText: 'Looking for a plan?' }).waitFor({ timeout: STEP_MS });
  await site.fill('#baton-input', 'Hello there');
  await site.press('#baton-input', 'Enter');
  await site.locator('.msg.visitor:not(.pending) .bubble', { hasText: 'Hello there' }).waitFor({ timeout: STEP_MS });
  await site.locator('.msg.bot:not(.greeting):not(.draft) .bubble').first().waitFor({ timeout: STEP_MS });

  // ---- archived: gone from the picker, and the page says the chat is no longer available
  await page.click('#tab-bot');
  await page.click('#bt-archive');
  await page.locator('#editor:not([hidden])').waitFor({ timeout: STEP_MS });
  assert.ok(dialogs.some((m) => m.includes('Sales desk')), 'archiving asks for confirmation');
  await page.waitForFunction((id) => ![...document.querySelectorAll('#bot-picker option')].some((o) => o.value === id), botId, { timeout: STEP_MS });
  await site.reload();
  await site.locator('button.launcher').click();
  await site.locator('.foot .error', { hasText: 'no longer available' }).waitFor({ timeout: STEP_MS });

  assertNoProblems(
    problems,
    ['editor: HTTP 401 GET /api/v1/me', /^site: HTTP 410 GET \/api\/v1\/widget\/bots\//],
    'no unexpected browser errors',
  );
  shop.close();
  await siteContext.close();
  await context.close();
  failures -= 1;
});
