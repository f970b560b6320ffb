// Browser end-to-end test of the Agent Editor's "Try a sentence" box (Handoff tool, under the AI
// triggers): an admin types "no more bots please" and sees that the visitor asks for a person and
// why; then, with the frustration trigger switched off but not saved, a frustrated sentence is no
// handoff — the box uses the editor's current sensitivities — and nothing was saved.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, apiLogin, assertNoProblems, editorSignIn, useBaton, watch } from './harness.mjs';

let passed = false;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-triggers-', failed: () => !passed });

test('an admin tries a sentence and sees the trigger and its reason', async () => {
  const { admin, browser, botId } = e2e;
  const problems = [];
  const session = await apiLogin(e2e, admin);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watch(page, 'editor', problems, { unloadPrompts: [] });
  await editorSignIn(page, e2e, admin);
  await page.locator('#trigger-frustration').waitFor({ timeout: STEP_MS });
  await page.waitForFunction(() => document.querySelector('#trigger-frustration').value !== '', null, { timeout: STEP_MS });

  // ---- "no more bots please": a request for a person, with the rule that decided
  await page.getByLabel('Try a sentence').fill('no more bots please');
  await page.click('#try-run');
  const result = page.locator('#try-result');
  await result.locator('.verdict', { hasText: 'asks for a person' }).waitFor({ timeout: STEP_MS });
  const text = await result.textContent();
  console.log(`try-a-sentence: "${text}"`);
  assert.match(text, /refuses to go on with the bot/);
  assert.match(text, /no more bots please/);
  assert.match(text, /refusal_of_bot/);

  // ---- the unsaved sensitivities count: frustration off, a frustrated sentence is no handoff
  await page.getByLabel('Try a sentence').fill('this is ridiculous');
  await page.keyboard.press('Enter');
  await result.locator('.verdict', { hasText: 'frustration' }).waitFor({ timeout: STEP_MS });
  await page.selectOption('#trigger-frustration', 'off');
  await page.click('#try-run');
  await result.locator('.verdict', { hasText: 'No handoff' }).waitFor({ timeout: STEP_MS });
  const saved = await session.ok('GET', `/bots/${botId}/handoff-settings`);
  const triggers = (saved.settings || saved).ai_triggers;
  assert.equal(triggers.frustration, 'medium', 'trying a sentence saves nothing');

  assertNoProblems(problems, [/editor: HTTP 401 GET \/api\/v1\/me/]);
  await context.close();
  passed = true;
});
