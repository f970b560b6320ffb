// Browser end-to-end test of the panel's Team page: an admin adds an agent and reads the one-time
// password once; the agent signs in with it and takes a chat; the admin deactivates the agent,
// whose open panel falls back to the login form at once, whose password no longer works, and
// whose chat comes back to the queue with the visitor told.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, apiLogin, assertNoProblems, openPanel, useBaton } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-team-', failed: () => failures > 0 });

test('an admin adds an agent, then deactivates them mid-chat', async () => {
  failures += 1;
  const { admin, botId } = e2e;
  const problems = [];
  assert.ok(botId, 'the server printed the demo bot id');

  // ---- the admin adds Ben from the Team page and copies his password, shown once
  const adminPanel = await openPanel(e2e, admin, problems, { status: 'online' });
  await adminPanel.click('#nav-team');
  await adminPanel.locator('#team-view:not([hidden]) #team-rows tr').first().waitFor({ timeout: STEP_MS });
  await adminPanel.fill('#af-email', 'not-an-email');
  await adminPanel.fill('#af-display_name', 'Ben');
  await adminPanel.click('#af-save');
  await adminPanel.locator('#af-email-error', { hasText: 'valid email' }).waitFor({ timeout: STEP_MS });
  assert.equal(await adminPanel.evaluate(() => document.activeElement.id), 'af-email', 'focus goes to the field in error');
  await adminPanel.fill('#af-email', 'ben@example.com');
  await adminPanel.selectOption('#af-role', 'agent');
  await adminPanel.fill('#af-max_chats', '2');
  await adminPanel.click('#af-save');
  await adminPanel.locator('#team-reveal:not([hidden])').waitFor({ timeout: STEP_MS });
  const password = await adminPanel.inputValue('#team-reveal-value');
  assert.ok(password.length >= 16, 'a long made-up password');
  const benRow = adminPanel.locator('#team-rows tr', { hasText: 'ben@example.com' });
  await benRow.waitFor({ timeout: STEP_MS });
  assert.match(await benRow.textContent(), /Ben.*Agent.*2.*Offline.*Active/s);
  await adminPanel.click('#team-reveal-done');
  assert.equal(await adminPanel.inputValue('#team-reveal-value'), '', 'the password is gone from the page');

  // ---- Ben signs in with it; the Team page shows him online
  const ben = { email: 'ben@example.com', password };
  const benPanel = await openPanel(e2e, ben, problems, { status: 'online' });
  await benRow.locator('td.presence', { hasText: 'Online' }).waitFor({ timeout: STEP_MS });

  // ---- a visitor asks for a person; the admin goes away so Ben takes it
  await adminPanel.click('#status-away');
  const started = await fetch(`${e2e.baseUrl}/api/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ bot_id: botId, visitor_name: 'Vera' }),
  }).then((r) => r.json());
  const visitorAuth = { Authorization: `Bearer ${started.token}` };
  const conversationUrl = `${e2e.baseUrl}/api/v1/widget/conversations/${started.conversation.id}`;
  const asked = await fetch(`${conversationUrl}/handoff`, { method: 'POST', headers: visitorAuth });
  assert.equal(asked.status, 202);
  const card = benPanel.locator('#queue-list .handoff');
  await card.first().locator('button', { hasText: 'Accept' }).click({ timeout: STEP_MS });
  await benPanel.locator('#action-resolve:not([hidden])').waitFor({ timeout: STEP_MS });

  // ---- the admin deactivates Ben, after a confirmation naming what happens
  await adminPanel.click('#status-online');
  await benRow.locator('button', { hasText: 'Deactivate' }).click();
  await adminPanel.locator('#team-confirm:not([hidden])', { hasText: 'signed out at once' }).waitFor({ timeout: STEP_MS });
  assert.equal(await adminPanel.evaluate(() => document.activeElement.id), 'team-confirm-no', 'Cancel has the focus');
  await adminPanel.click('#team-confirm-yes');
  await benRow.locator('td', { hasText: 'Deactivated' }).first().waitFor({ timeout: STEP_MS });

  // Ben's panel is signed out at once and his password is refused like a wrong one.
  await benPanel.locator('#login-view:not([hidden]) #login-error', { hasText: 'session has ended' }).waitFor({ timeout: STEP_MS });
  await benPanel.fill('#login-email', ben.email);
  await benPanel.fill('#login-password', ben.password);
  await benPanel.click('#login-submit');
  await benPanel.locator('#login-error', { hasText: 'wrong email or password' }).waitFor({ timeout: STEP_MS });

  // The chat is back in the queue, where the admin sees it, and the visitor was told.
  await adminPanel.locator('#queue-list .handoff').first().waitFor({ state: 'attached', timeout: STEP_MS });
  const history = await fetch(`${conversationUrl}/messages?after=0`, { headers: visitorAuth }).then((r) => r.json());
  const texts = (history.messages || []).map((m) => m.text);
  assert.ok(texts.some((t) => t.includes('Ben is no longer available')), texts.join(' | '));

  // ---- reactivated, Ben is listed as active again
  await benRow.locator('button', { hasText: 'Reactivate' }).click();
  await benRow.locator('td', { hasText: /^Active$/ }).waitFor({ timeout: STEP_MS });
  const session = await apiLogin(e2e, ben);
  assert.equal((await session.call('GET', '/me')).status, 200);

  assertNoProblems(problems, [
    /panel: HTTP 401 POST \/api\/v1\/auth\/login/,
    // Each panel asks who is signed in before its login form shows.
    /panel: HTTP 401 GET \/api\/v1\/me/,
    /panel: HTTP 400 POST \/api\/v1\/agents/,
  ]);
  failures -= 1;
});
