// Browser end-to-end test of the panel's Analytics view: a scripted set of handoffs is driven
// through the real API (one accepted, answered and resolved by an agent whose name is HTML, one
// cancelled by the visitor, one left waiting, one offline with a ticket left), and the page shows
// their figures in cards, tables and inline SVG charts, with a CSV download of the rows.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, XSS, apiLogin, assertNoProblems, createAgent, openPanel, setStatus, useBaton } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-analytics-', failed: () => failures > 0 });

/** A visitor of the demo bot with a conversation of their own, driven over the widget API. */
async function visitor(env) {
  const res = await fetch(`${env.baseUrl}/api/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ bot_id: env.botId, visitor_name: 'Vera' }),
  });
  assert.equal(res.status, 201);
  const { conversation, token } = await res.json();
  const call = async (method, tail, body) => {
    const r = await fetch(`${env.baseUrl}/api/v1/widget/conversations/${conversation.id}${tail}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${tail} answered ${r.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { id: conversation.id, call };
}

test('the Analytics view shows the figures of a scripted set of handoffs', async () => {
  failures += 1;
  const { admin } = e2e;
  const problems = [];
  const dialogs = [];
  const adminApi = await apiLogin(e2e, admin);
  const agent = { email: 'xss@example.com', password: 'correct horse battery', display_name: XSS };
  await createAgent(adminApi, agent);
  const agentApi = await apiLogin(e2e, agent);

  // ---- the admin's panel is open and online, so handoffs wait for a person
  const panel = await openPanel(e2e, admin, problems, { dialogs, status: 'online' });

  // Accepted by the agent, answered, resolved.
  const first = await visitor(e2e);
  const requested = await first.call('POST', '/handoff');
  assert.equal(requested.handoff.status, 'waiting');
  await agentApi.ok('POST', `/handoffs/${requested.handoff.id}/accept`);
  await agentApi.ok('POST', `/conversations/${first.id}/messages`, { client_id: 'a-1', text: 'Hello, I can help.' });
  await agentApi.ok('POST', `/conversations/${first.id}/resolve`);
  // Cancelled by the visitor.
  const second = await visitor(e2e);
  await second.call('POST', '/handoff');
  await second.call('DELETE', '/handoff');
  // Left waiting.
  const third = await visitor(e2e);
  await third.call('POST', '/handoff');
  // Nobody online: offline, and the visitor leaves details for a ticket.
  await setStatus(panel, 'away');
  const fourth = await visitor(e2e);
  const offline = await fourth.call('POST', '/handoff');
  assert.equal(offline.handoff.offline_reason, 'nobody_available');
  await fourth.call('POST', '/lead', { client_id: 'lead-1', email: 'vera@example.com' });

  // ---- the Analytics view, reachable from the navigation
  await panel.click('#nav-analytics');
  await panel.locator('#analytics-view:not([hidden])').waitFor({ timeout: STEP_MS });
  assert.equal(await panel.getAttribute('#nav-analytics', 'aria-current'), 'page');
  await panel.locator('#an-total', { hasText: '4' }).waitFor({ timeout: STEP_MS });
  const card = (id) => panel.textContent(`#${id}`);
  assert.equal(await card('an-accepted'), '1');
  assert.equal(await card('an-offers'), '1');
  assert.equal(await card('an-tickets'), '1');
  assert.match(await card('an-accept-p50'), /^\d+ s$/);
  assert.match(await card('an-cancel-p50'), /^\d+ s$/);

  // Outcomes: the table, and the chart's summary for screen readers.
  const outcome = (name) => panel.textContent(`#an-outcomes-table tr[data-outcome="${name}"] td:last-child`);
  assert.equal(await outcome('accepted'), '1');
  assert.equal(await outcome('cancelled'), '1');
  assert.equal(await outcome('waiting'), '1');
  assert.equal(await outcome('offline'), '1');
  assert.equal(await outcome('expired'), '0');
  assert.equal(await panel.textContent('#an-outcomes-table tr[data-reason="nobody_available"] td:last-child'), '1');
  const outcomesChart = panel.locator('#an-outcomes-chart svg[role="img"]');
  assert.equal(await outcomesChart.getAttribute('aria-labelledby'), 'an-outcomes-svg-title');
  assert.equal(
    await panel.textContent('#an-outcomes-svg-title'),
    'Outcomes of 4 handoffs: accepted 1, cancelled by the visitor 1, offline 1, still waiting 1.',
  );
  assert.equal(await panel.locator('#an-outcomes-chart rect').count(), 4);

  // Hours of the day: 24 bars; all four handoffs fell in the current UTC hour (the demo bot's
  // zone), unless the hour turned while the test ran.
  assert.equal(await panel.locator('#an-hours-chart rect.an-bar').count(), 24);
  const hoursTitle = await panel.textContent('#an-hours-svg-title');
  assert.match(hoursTitle, /^Handoffs by hour of day: busiest \d\d:00 with [1-4]; [12] of 24 hours had handoffs\.$/);
  const hourCounts = await panel.$$eval('#an-hours-table tbody tr td:last-child', (cells) => cells.map((c) => Number(c.textContent)));
  assert.equal(hourCounts.length, 24);
  assert.equal(hourCounts.reduce((a, b) => a + b, 0), 4);
  assert.equal(await panel.textContent('#an-hours-zone'), 'Hours in UTC.');

  // Triggers, and the agent whose name is HTML: shown as text.
  assert.equal(await panel.textContent('#an-triggers-table tr[data-trigger="user_request"] td:last-child'), '4');
  const agentRow = panel.locator('#an-agents-table tbody tr');
  assert.equal(await agentRow.count(), 1);
  const cells = await agentRow.locator('td').allTextContents();
  assert.equal(cells[0], XSS);
  assert.deepEqual(cells.slice(1, 3), ['1', '1']);
  assert.match(cells[3], /^\d+ s$/);
  assert.equal(await panel.locator('#an-agents-table img').count(), 0, 'the name is not parsed as HTML');

  // ---- the CSV link downloads the same handoffs
  const href = await panel.getAttribute('#an-csv', 'href');
  assert.match(href, /^\/api\/v1\/analytics\/handoffs\?from=.*&format=csv$/);
  const csv = await panel.evaluate(async (url) => {
    const r = await fetch(url);
    return { type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), text: await r.text() };
  }, href);
  assert.equal(csv.type, 'text/csv; charset=utf-8');
  assert.match(csv.disposition, /^attachment; filename="handoffs-.*\.csv"$/);
  const lines = csv.text.split('\r\n').filter(Boolean);
  assert.equal(lines.length, 5, csv.text);
  assert.ok(lines[0].startsWith('id,bot,trigger,reason,outcome,'));

  // ---- presets and the bot picker
  await panel.click('.an-presets button[data-days="30"]');
  const from = new Date(`${await panel.inputValue('#an-from')}T00:00:00`);
  const to = new Date(`${await panel.inputValue('#an-to')}T00:00:00`);
  assert.equal(Math.round((to - from) / 86400000), 29, 'thirty days, today included');
  await panel.locator('#an-status', { hasText: '4 handoffs in this range.' }).waitFor({ timeout: STEP_MS });
  const bots = await panel.$$eval('#an-bot option', (options) => options.map((o) => o.value));
  assert.deepEqual(bots, ['', e2e.botId]);
  await panel.selectOption('#an-bot', e2e.botId);
  await panel.locator('#an-status', { hasText: '4 handoffs in this range.' }).waitFor({ timeout: STEP_MS });
  assert.ok((await panel.getAttribute('#an-csv', 'href')).includes(`bot_id=${e2e.botId}`));

  // ---- an impossible range is refused on the page
  await panel.fill('#an-from', '2030-01-02');
  await panel.fill('#an-to', '2030-01-01');
  await panel.click('#an-show');
  await panel.locator('#an-error', { hasText: 'The start date is after the end date.' }).waitFor({ timeout: STEP_MS });
  assert.equal(await panel.getAttribute('#an-from', 'aria-invalid'), 'true');

  // ---- the address opens the view again after a reload
  assert.ok(panel.url().endsWith('#analytics'));
  await panel.reload();
  await panel.locator('#analytics-view:not([hidden]) #an-total').waitFor({ timeout: STEP_MS });

  assert.deepEqual(dialogs, [], 'no dialog opened (the agent name stayed text)');
  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me'], 'no page errors, console errors or failed requests');
  await panel.context().close();
  failures -= 1;
});
