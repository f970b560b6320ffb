// Browser end-to-end test of the live handoff: a visitor asks for a person in the widget
// on the demo page, the agent's Live Chat panel is notified, the agent accepts, both exchange
// messages and see them live, and HTML sent by the visitor shows as text on both sides.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PHRASE_GRACE_MS, SCREENSHOTS, STEP_MS, XSS, assertNoProblems, openDemo, openPanel, useBaton, watch } from './harness.mjs';

let passed = false;
const e2e = useBaton({ failed: () => !passed });

test('a visitor asks for a person, the agent accepts, both chat live, and HTML stays text', async () => {
  const { baseUrl, admin, botId, browser } = e2e;
  const dialogs = [];
  const problems = [];

  // ---- the agent logs into the panel, and is online (the account may have been left away)
  const panel = await openPanel(e2e, admin, problems, { dialogs, permissions: ['notifications'], status: 'online' });

  // ---- a visitor opens the demo page and the widget
  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const visitor = await visitorContext.newPage();
  watch(visitor, 'widget', problems, { dialogs });
  // If the server does not substitute the demo bot's id, the test does, from the first-run output.
  await openDemo(visitor, e2e, botId, { note: true });
  const launcher = visitor.locator('button.launcher');
  await launcher.click();
  const input = visitor.locator('#baton-input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });

  // ---- the visitor asks for a person: first in words, then with the button if the words did not do it
  // E2E_HANDOFF_VIA=button skips the phrase, to exercise the button path on its own.
  const forceButton = process.env.E2E_HANDOFF_VIA === 'button';
  await input.fill(forceButton ? 'Hello, I have a question about my order' : 'I want to talk to a human');
  await input.press('Enter');
  const handoffCard = panel.locator('#queue-list .handoff');
  let via = 'phrase';
  try {
    if (forceButton) throw new Error('the button path was asked for');
    await handoffCard.first().waitFor({ timeout: PHRASE_GRACE_MS });
  } catch (_) {
    via = 'button';
    await visitor.locator('button.human-button').click();
    await handoffCard.first().waitFor({ timeout: STEP_MS });
  }
  const why = forceButton ? 'E2E_HANDOFF_VIA=button' : `the phrase did not trigger one within ${PHRASE_GRACE_MS / 1000} s`;
  console.log(`handoff requested by the ${via === 'phrase' ? 'phrase "I want to talk to a human"' : `"Talk to a person" button (${why})`}`);

  // The widget tells the visitor they are waiting, with the way back to the AI.
  await visitor.locator('.banner:not([hidden])').waitFor({ timeout: STEP_MS });
  await visitor.locator('button.link-button', { hasText: 'Back to the assistant' }).waitFor({ timeout: STEP_MS });

  // ---- the panel shows the notification with the brief; the agent accepts
  const toastLocator = panel.locator('.toast.handoff-toast', { hasText: 'New handoff' });
  await toastLocator.first().waitFor({ timeout: STEP_MS });
  await handoffCard.first().locator('.tag.trigger').waitFor({ timeout: STEP_MS });
  await handoffCard.first().locator('button', { hasText: 'Accept' }).click();
  await panel.locator('#chat-main:not([hidden]) #composer-input:not([disabled])').waitFor({ timeout: STEP_MS });
  await panel.locator('#queue-list .handoff').waitFor({ state: 'detached', timeout: STEP_MS });

  // The visitor is told who joined.
  await visitor.locator('.log .sys.joined', { hasText: 'joined the chat' }).waitFor({ timeout: STEP_MS });

  // ---- both exchange messages and see them live
  const agentLine = 'Hi, I am from the support team. How can I help?';
  await panel.fill('#composer-input', agentLine);
  await panel.press('#composer-input', 'Enter');
  await visitor.locator('.log .msg.agent .bubble', { hasText: agentLine }).waitFor({ timeout: STEP_MS });
  await panel.locator('#messages .m.agent:not(.pending) .bubble', { hasText: agentLine }).waitFor({ timeout: STEP_MS });

  const visitorLine = 'My order #1042 has not arrived yet.';
  await input.fill(visitorLine);
  await input.press('Enter');
  await panel.locator('#messages .m.visitor .bubble', { hasText: visitorLine }).waitFor({ timeout: STEP_MS });

  // ---- HTML from the visitor is shown as text on both sides, and runs nothing
  await input.fill(XSS);
  await input.press('Enter');
  const panelXss = panel.locator('#messages .m.visitor .bubble', { hasText: 'onerror' });
  await panelXss.waitFor({ timeout: STEP_MS });
  assert.equal(await panelXss.textContent(), XSS, 'the panel shows the markup as literal text');
  const widgetXss = visitor.locator('.log .msg.visitor:not(.pending) .bubble', { hasText: 'onerror' });
  await widgetXss.waitFor({ timeout: STEP_MS });
  assert.equal(await widgetXss.textContent(), XSS, 'the widget shows the markup as literal text');
  assert.equal(await panel.locator('#messages img').count(), 0, 'no <img> element was created in the panel');
  assert.equal(await visitor.locator('.log img').count(), 0, 'no <img> element was created in the widget');
  await visitor.waitForTimeout(1000);

  // ---- a second visitor waits in the queue, so the screenshot shows a brief too
  const other = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
  watch(other, 'widget 2', problems, { dialogs });
  await other.goto(`${baseUrl}/demo`);
  await other.locator('button.launcher').click();
  const otherInput = other.locator('#baton-input');
  await otherInput.fill('The checkout failed three times and my card was charged twice. This is really frustrating.');
  await otherInput.press('Enter');
  // The bot may hand this one off by itself (frustration); if not, the visitor presses the button.
  try {
    await panel.locator('#queue-list .handoff').first().waitFor({ timeout: PHRASE_GRACE_MS });
  } catch (_) {
    await other.locator('button.human-button').click({ timeout: 5000 }).catch(() => {});
    await panel.locator('#queue-list .handoff').first().waitFor({ timeout: STEP_MS });
  }
  await other.close();

  // ---- screenshots for the README
  await mkdir(SCREENSHOTS, { recursive: true });
  await panel.mouse.move(0, 0);
  for (const t of await panel.locator('.toast').all()) await t.evaluate((el) => el.remove()).catch(() => {});
  await panel.screenshot({ path: path.join(SCREENSHOTS, 'panel.png') });
  await visitor.screenshot({ path: path.join(SCREENSHOTS, 'widget.png') });

  // ---- the visitor reloads the page: the same conversation resumes, nothing lost or doubled
  const transcript = () => visitor.locator('.log li:not(.greeting)').allTextContents();
  const before = await transcript();
  await visitor.reload();
  await launcher.click();
  await visitor.locator('.log li:not(.greeting)').nth(before.length - 1).waitFor({ timeout: STEP_MS });
  await visitor.waitForTimeout(500);
  assert.deepEqual(await transcript(), before, 'after a reload the widget shows the same transcript');
  const afterReload = 'Still there? I can see your order now.';
  await panel.fill('#composer-input', afterReload);
  await panel.press('#composer-input', 'Enter');
  await visitor.locator('.log .msg.agent .bubble', { hasText: afterReload }).waitFor({ timeout: STEP_MS });

  // ---- the agent resolves; the visitor is told clearly
  await panel.click('#action-resolve');
  await visitor.locator('.log .sys.important', { hasText: 'left the chat' }).waitFor({ timeout: STEP_MS });

  assert.deepEqual(dialogs, [], 'no dialog may open (a dialog means injected script ran)');
  // Expected: no favicon, and the panel asking "who am I?" before the agent logged in.
  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me'], 'no page errors, console errors or CSP violations');
  passed = true;
});
