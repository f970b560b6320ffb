// Browser end-to-end test of the widget's availability line: with the demo bot's schedule
// closed, the widget says "We're away — back <weekday> <HH:MM>" in the visitor's own time zone (the
// browser runs in America/New_York, the schedule in UTC) and "Talk to a person" promises an email
// reply; with an always-open schedule and an agent online in the panel, it says "We're online".
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, apiLogin, assertNoProblems, openDemo, openPanel, useBaton, watch } from './harness.mjs';

let passed = false;
const e2e = useBaton({ failed: () => !passed });

const VISITOR_ZONE = 'America/New_York';
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

test('the widget says when the team is away (in the visitor\'s time) and when it is online', async () => {
  const { baseUrl, admin, browser } = e2e;
  let { botId } = e2e;
  const dialogs = [];
  const problems = [];
  const session = await apiLogin(e2e, admin);
  if (!botId) {
    const { bots } = await session.ok('GET', '/bots');
    botId = bots[0].id;
  }
  const publicBot = await (await fetch(`${baseUrl}/api/v1/widget/bots/${botId}`)).json();

  // ---- closed now: one weekly slot, 14:00–16:00 UTC, three days from today (UTC). In New York that
  // is 09:00 or 10:00 on the same date, three or four days away: the widget names the weekday.
  const now = new Date();
  const opening = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3, 14, 0));
  const day = DAYS[opening.getUTCDay()];
  await session.ok('PUT', `/bots/${botId}/schedule`, {
    timezone: 'UTC',
    never_available: false,
    weekly: { [day]: { enabled: true, slots: [{ start: '14:00', end: '16:00' }] } },
    overrides: [],
  });
  const availability = await (await fetch(`${baseUrl}/api/v1/widget/bots/${botId}/availability`)).json();
  assert.equal(availability.reason, 'schedule_closed', JSON.stringify(availability));
  assert.equal(Date.parse(availability.next_change), opening.getTime(), 'the server names the opening as the next change');
  const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: VISITOR_ZONE }).format(opening);
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: VISITOR_ZONE }).format(opening);
  const away = `We're away — back ${weekday} ${time}`;

  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 }, timezoneId: VISITOR_ZONE, locale: 'en-US' });
  const visitor = await visitorContext.newPage();
  watch(visitor, 'widget', problems, { dialogs });
  await openDemo(visitor, e2e, botId);
  await visitor.locator('button.launcher').click();
  const status = visitor.locator('p.status');
  await visitor.locator('p.status:not([hidden])', { hasText: away }).waitFor({ timeout: STEP_MS });
  assert.equal(await visitor.locator('p.status .status-text').textContent(), away);
  assert.equal(await status.getAttribute('aria-live'), 'polite', 'the status line is announced politely');
  assert.equal(await status.getAttribute('data-kind'), 'away');
  if (publicBot.lead_capture_enabled !== false) {
    // Nobody can chat: one way to reach the team, "Leave a message" (not a second button to the same form).
    await visitor.locator('button.ticket-button:visible', { hasText: 'Leave a message' }).waitFor({ timeout: STEP_MS });
    assert.ok(await visitor.locator('button.human-button').isHidden(), '"Talk to a person" is not offered beside it');
  } else if (publicBot.handoff_enabled !== false) {
    const human = visitor.locator('button.human-button');
    await visitor.locator('button.human-button', { hasText: 'Talk to a person' }).waitFor({ timeout: STEP_MS });
    assert.ok(await human.getAttribute('title'), 'the button explains that nobody can chat right now');
  }
  console.log(`closed schedule: the widget says "${away}"`);

  // ---- always open, with the admin online in the panel
  await session.ok('PUT', `/bots/${botId}/schedule`, {
    timezone: 'UTC',
    never_available: false,
    weekly: Object.fromEntries(DAYS.map((d) => [d, { enabled: true, slots: [{ start: '00:00', end: '24:00' }] }])),
    overrides: [],
  });
  await openPanel(e2e, admin, problems, { dialogs, status: 'online' });

  await visitor.reload();
  await visitor.locator('button.launcher').click();
  await visitor.locator('p.status:not([hidden])', { hasText: "We're online" }).waitFor({ timeout: STEP_MS });
  assert.equal(await status.getAttribute('data-kind'), 'online');
  if (publicBot.handoff_enabled !== false) {
    await visitor.locator('button.human-button', { hasText: /^Talk to a person$/ }).waitFor({ timeout: STEP_MS });
    assert.equal(await visitor.locator('button.human-button').getAttribute('title'), null);
  }

  assert.deepEqual(dialogs, [], 'no dialog may open');
  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me'], 'no page errors, console errors or failed requests');
  passed = true;
});
