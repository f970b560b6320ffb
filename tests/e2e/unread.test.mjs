// Browser end-to-end test of unread counts kept on the server per agent: a conversation read in
// the panel stays read after a reload, and one with new visitor messages keeps its count.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, assertNoProblems, openPanel, useBaton } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-unread-', failed: () => failures > 0 });

async function visitor(baseUrl, botId, name) {
  const started = await fetch(`${baseUrl}/api/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ bot_id: botId, visitor_name: name }),
  }).then((r) => r.json());
  let n = 0;
  return {
    id: started.conversation.id,
    async say(text) {
      n += 1;
      const res = await fetch(`${baseUrl}/api/v1/widget/conversations/${started.conversation.id}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${started.token}` },
        body: JSON.stringify({ client_id: `u-${n}`, text }),
      });
      assert.ok(res.ok, `visitor message: ${res.status}`);
    },
  };
}

test('unread counts survive a reload: read stays read, new messages stay counted', async () => {
  failures += 1;
  const { admin, botId, baseUrl } = e2e;
  const problems = [];
  const rita = await visitor(baseUrl, botId, 'Rita');
  const sam = await visitor(baseUrl, botId, 'Sam');
  const panel = await openPanel(e2e, admin, problems, { status: 'online' });
  const badge = (id) => panel.locator(`#conversation-list [data-conversation="${id}"] .unread`);

  // The agent looks at Sam's conversation, then Rita's; Sam writes again meanwhile, and Rita
  // writes while hers is open.
  await panel.locator(`#conversation-list [data-conversation="${sam.id}"]`).click({ timeout: STEP_MS });
  await panel.locator('#chat-main:not([hidden])').waitFor({ timeout: STEP_MS });
  await panel.waitForTimeout(300);
  await panel.locator(`#conversation-list [data-conversation="${rita.id}"]`).click({ timeout: STEP_MS });
  await sam.say('Hello, anyone there?');
  await rita.say('One more thing about my order');
  await panel.locator('#messages .m.visitor .bubble', { hasText: 'One more thing' }).waitFor({ timeout: STEP_MS });
  // The panel tells the server at most every 2 s.
  await panel.waitForTimeout(2500);

  // After a reload: Rita's stays read, Sam's keeps its count.
  await panel.goto(`${baseUrl}/panel`);
  await panel.locator('#connection[data-state="connected"]').waitFor({ timeout: STEP_MS });
  await panel.locator(`#conversation-list [data-conversation="${sam.id}"]`).waitFor({ timeout: STEP_MS });
  assert.equal(await badge(rita.id).count(), 0, 'a read conversation has no badge after a reload');
  assert.equal((await badge(sam.id).textContent()).trim(), '1');

  // Opening Sam's clears it, for good.
  await panel.locator(`#conversation-list [data-conversation="${sam.id}"]`).click();
  await panel.locator('#messages .m.visitor .bubble', { hasText: 'anyone there' }).waitFor({ timeout: STEP_MS });
  await panel.waitForTimeout(500);
  await panel.goto(`${baseUrl}/panel`);
  await panel.locator(`#conversation-list [data-conversation="${sam.id}"]`).waitFor({ timeout: STEP_MS });
  assert.equal(await badge(sam.id).count(), 0);

  assertNoProblems(problems, [/panel: HTTP 401 GET \/api\/v1\/me/]);
  failures -= 1;
});
