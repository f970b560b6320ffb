// Browser end-to-end test of attachments: a visitor sends a screenshot from the widget and the
// agent sees it as an image in the panel; the agent sends a text file back and the visitor sees
// a named link.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, assertNoProblems, openDemo, openPanel, startLiveChat, useBaton, watch } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-attach-', failed: () => failures > 0 });

// A 2×2 red PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test('a visitor sends a screenshot and the agent sees it; the agent sends a file back', async () => {
  failures += 1;
  const { admin } = e2e;
  const problems = [];
  const panel = await openPanel(e2e, admin, problems, { status: 'online' });

  const { context, visitor } = await startLiveChat(e2e, panel, problems, 'My screen shows an error');

  // ---- the visitor attaches a screenshot
  assert.equal(await visitor.getAttribute('button.attach', 'aria-label'), 'Attach a file');
  await visitor.locator('input[type="file"]').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
  await visitor.locator('.msg.visitor img.file-thumb').waitFor({ timeout: STEP_MS });

  // ---- the agent sees it as an image that loads from Baton
  const thumb = panel.locator('#messages .m.visitor img.file-thumb');
  await thumb.waitFor({ timeout: STEP_MS });
  assert.equal(await thumb.getAttribute('alt'), 'screen.png');
  await panel.waitForFunction(() => {
    const img = document.querySelector('#messages .m.visitor img.file-thumb');
    return img && img.complete && img.naturalWidth === 2;
  }, null, { timeout: STEP_MS });

  // ---- the agent sends a text file back: the visitor sees a named link
  await panel.locator('#composer-file').setInputFiles({ name: 'steps.txt', mimeType: 'text/plain', buffer: Buffer.from('1. Restart\n2. Try again\n') });
  await visitor.locator('.msg a.file-link', { hasText: 'steps.txt' }).waitFor({ timeout: STEP_MS });
  const href = await visitor.locator('.msg a.file-link', { hasText: 'steps.txt' }).getAttribute('href');
  const download = await fetch(href);
  assert.equal(download.status, 200);
  assert.match(download.headers.get('content-disposition') || '', /^attachment/);
  assert.equal(await download.text(), '1. Restart\n2. Try again\n');

  assertNoProblems(problems, [/panel: HTTP 401 GET \/api\/v1\/me/]);
  failures -= 1;
});

test('a file shows as pending while it uploads, fails with Retry, and a retry reuses its client id', async () => {
  failures += 1;
  const { botId, browser } = e2e;
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const visitor = await context.newPage();
  watch(visitor, 'visitor', problems, { dialogs: [] });
  await openDemo(visitor, e2e, botId);
  await visitor.locator('button.launcher').click();
  await visitor.fill('#baton-input', 'Here is my report');
  await visitor.press('#baton-input', 'Enter');
  await visitor.locator('.msg.bot').first().waitFor({ timeout: STEP_MS });

  // Every upload attempt is held, then cut off, until the test lets them through.
  const clientIds = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let failing = true;
  await visitor.route('**/attachments', async (route) => {
    const body = route.request().postDataBuffer() || Buffer.alloc(0);
    const match = /name="client_id"\r\n\r\n([^\r]+)\r\n/.exec(body.toString('latin1'));
    clientIds.push(match ? match[1] : null);
    if (!failing) return route.continue();
    await held;
    return route.abort('connectionreset');
  });

  await visitor.locator('input[type="file"]').setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from('All the numbers\n') });
  // While it uploads: a pending bubble with the file's name.
  const pending = visitor.locator('.msg.visitor.pending.upload', { hasText: 'report.txt' });
  await pending.waitFor({ timeout: STEP_MS });
  assert.match(await pending.locator('.sub').textContent(), /Sending/);

  // The connection fails (the widget tries three times): the bubble says so, with Retry.
  release();
  const failed = visitor.locator('.msg.visitor.failed.upload', { hasText: 'report.txt' });
  await failed.waitFor({ timeout: STEP_MS });
  assert.equal(clientIds.length, 3);
  await failed.locator('button', { hasText: 'Retry' }).waitFor();

  // Retry once the connection is back: the same client id, and one file in the chat.
  failing = false;
  await failed.locator('button', { hasText: 'Retry' }).click();
  await visitor.locator('.msg.visitor a.file-link', { hasText: 'report.txt' }).waitFor({ timeout: STEP_MS });
  assert.equal(await visitor.locator('.msg.visitor.upload').count(), 0);
  assert.equal(clientIds.length, 4);
  assert.ok(clientIds[0]);
  assert.ok(clientIds.every((id) => id === clientIds[0]), clientIds.join(', '));
  assert.equal(await visitor.locator('.msg.visitor a.file-link', { hasText: 'report.txt' }).count(), 1);

  await context.close();
  assertNoProblems(problems, [/net::ERR_CONNECTION_RESET/, /Failed to fetch/]);
  failures -= 1;
});
