// Browser end-to-end test of the panel's "AI model" settings (Integrations view, admins): a base
// URL without a model is refused with an inline error on the model field; a URL, a model and an
// API key are saved, after which the page says a key is set but never holds the key itself (nor
// does the API answer); "Use the built-in engine" clears the base URL and the model.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, apiLogin, assertNoProblems, openPanel, useBaton } from './harness.mjs';

let passed = false;
// A model on the operator's own machine: outbound rules refuse loopback unless the operator
// allows that host and port.
const e2e = useBaton({ serveArgs: () => ['--allow-outbound-host', 'localhost:11434'], failed: () => !passed });

const BASE_URL = 'http://localhost:11434/v1';
const MODEL = 'llama3.1';
const KEY = 'sk-e2e-secret-key-7f3a9c1d';

test('an admin sets, checks and clears the workspace AI model; the key is never shown', async () => {
  const { admin } = e2e;
  const dialogs = [];
  const problems = [];
  const session = await apiLogin(e2e, admin);
  const panel = await openPanel(e2e, admin, problems, { dialogs });

  await panel.click('#nav-integrations');
  await panel.locator('#ai-form').waitFor({ timeout: STEP_MS });
  assert.equal(await panel.inputValue('#ai-base-url'), '');
  assert.equal(await panel.inputValue('#ai-model'), '');
  assert.equal(await panel.getAttribute('#ai-key', 'type'), 'password');
  assert.ok(await panel.locator('#ai-key-set').isHidden(), 'no key yet');

  // ---- a base URL without a model: inline error on the model field
  await panel.fill('#ai-base-url', BASE_URL);
  await panel.click('#ai-save');
  await panel.locator('#ai-model-error:not(:empty)').waitFor({ timeout: STEP_MS });
  assert.equal(await panel.getAttribute('#ai-model', 'aria-invalid'), 'true');
  assert.equal(await panel.textContent('#ai-base-url-error'), '');
  console.log(`no model: "${await panel.textContent('#ai-model-error')}"`);
  const unchanged = await session.ok('GET', '/integrations');
  assert.equal(unchanged.llm_base_url ?? null, null, 'nothing was saved');

  // ---- URL, model and key: saved
  await panel.fill('#ai-model', MODEL);
  assert.equal(await panel.textContent('#ai-model-error'), '', 'typing clears the error');
  await panel.fill('#ai-key', KEY);
  await panel.click('#ai-save');
  await panel.locator('#ai-status', { hasText: 'Saved.' }).waitFor({ timeout: STEP_MS });
  await panel.locator('#ai-key-set:not([hidden])', { hasText: /a key is set/i }).waitFor({ timeout: STEP_MS });
  assert.equal(await panel.inputValue('#ai-base-url'), BASE_URL);
  assert.equal(await panel.inputValue('#ai-model'), MODEL);
  assert.equal(await panel.inputValue('#ai-key'), '', 'the key is never prefilled');
  assert.ok(!(await panel.content()).includes(KEY), 'the key text appears nowhere in the page');

  const saved = await session.ok('GET', '/integrations');
  assert.equal(saved.llm_base_url, BASE_URL);
  assert.equal(saved.llm_model, MODEL);
  assert.equal(saved.llm_api_key_set, true);
  assert.ok(!('llm_api_key' in saved), 'the API never returns the key');
  assert.ok(!JSON.stringify(saved).includes(KEY), 'the key text appears nowhere in the API answer');

  // ---- after a reload: still "a key is set", still no key in the page
  await panel.reload();
  await panel.locator('#connection[data-state="connected"]').waitFor({ timeout: STEP_MS });
  if (await panel.locator('#ai-form').isHidden()) await panel.click('#nav-integrations');
  await panel.locator('#ai-key-set:not([hidden])', { hasText: /a key is set/i }).waitFor({ timeout: STEP_MS });
  assert.ok(!(await panel.content()).includes(KEY), 'the key text appears nowhere in the reloaded page');

  // ---- the built-in engine: base URL and model cleared
  await panel.click('#ai-builtin');
  await panel.locator('#ai-status', { hasText: 'built-in engine' }).waitFor({ timeout: STEP_MS });
  assert.equal(await panel.inputValue('#ai-base-url'), '');
  assert.equal(await panel.inputValue('#ai-model'), '');
  const cleared = await session.ok('GET', '/integrations');
  assert.equal(cleared.llm_base_url ?? null, null);
  assert.equal(cleared.llm_model ?? null, null);
  assert.ok(!('llm_api_key' in cleared));

  assert.deepEqual(dialogs, [], 'no dialog may open');
  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me', 'panel: HTTP 400 PUT /api/v1/integrations'], 'no page errors, console errors or failed requests');
  passed = true;
});
