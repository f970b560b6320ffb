// Browser end-to-end test of the Agent Editor's Handoff tool: an admin sets
// split shifts on Monday, copies them to Tuesday–Friday, adds a holiday, saves, reloads and sees
// them; an invalid slot shows an inline error and is not saved. Also: the time zone picker
// filters, the preview renders (and agrees with the server's availability once saved), and a non-admin is
// turned away.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core. The browser runs in Europe/Berlin, so the
// editor's "your time" differs from the schedule's zone (America/New_York).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN, SCREENSHOTS, STEP_MS, apiLogin, assertNoProblems, createAgent, editorSignIn, useBaton, watch } from './harness.mjs';

const BROWSER_ZONE = 'Europe/Berlin';
const TEAM_ZONE = 'America/New_York';
const SPLIT = [
  { start: '09:00', end: '12:00' },
  { start: '14:00', end: '18:00' },
];

let botId;
let failures = 0;
const e2e = useBaton({
  dataDirPrefix: 'baton-e2e-editor-',
  async afterStart(env) {
    const session = await apiLogin(env, env.admin);
    const bots = await session.call('GET', '/bots');
    botId = env.botId || bots.data.bots[0].id;
  },
  failed: () => failures > 0,
});

async function storedHandoff(session) {
  const { status, data } = await session.call('GET', `/bots/${botId}/handoff`);
  assert.equal(status, 200);
  return data;
}

async function slotValues(page, owner, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push({ start: await page.inputValue(`#${owner}-slot-${i}-start`), end: await page.inputValue(`#${owner}-slot-${i}-end`) });
  }
  return out;
}

async function slotCount(page, owner) {
  return page.locator(`[id^="${owner}-slot-"][id$="-start"]`).count();
}

const loaded = (page) => page.locator('#editor[data-loaded="true"]').waitFor({ timeout: STEP_MS });

test('an admin sets split shifts, copies them to Tuesday–Friday, adds a holiday, saves and reloads; an invalid slot is shown inline and not saved', async () => {
  failures += 1;
  const { admin, browser } = e2e;
  const problems = [];
  const unloadPrompts = [];
  const session = await apiLogin(e2e, admin);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: BROWSER_ZONE, locale: 'en-GB' });
  const page = await context.newPage();
  watch(page, 'editor', problems, { unloadPrompts });

  // ---- sign in; the untouched default schedule (UTC) is shown in the browser's zone
  await editorSignIn(page, e2e, admin);
  await loaded(page);
  assert.equal(await page.inputValue('#tz-input'), BROWSER_ZONE, 'the time zone defaults to the browser’s');
  await page.locator('#tz-notice:not([hidden])', { hasText: 'UTC' }).waitFor({ timeout: STEP_MS });
  assert.equal(await page.getAttribute('#dirty-indicator', 'data-state'), 'dirty', 'the zone change is an unsaved change');
  // Every setting of the Handoff tool is on the page, labelled.
  for (const label of [
    'Handoff enabled for this bot',
    'Instruction',
    'Offline message',
    'Lead capture',
    'Lead capture prompt',
    'Success message',
    'Frustration',
    'Complex issue',
    'Sales opportunity',
    'AI keeps helping while waiting',
    'Accept timeout',
    'Never available',
    'Time zone of the hours below',
  ]) {
    // The accessible name is the label, optionally followed by " — explanation".
    const name = new RegExp('^' + label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '(\\s—.*)?$');
    assert.equal(await page.getByLabel(name).count(), 1, `one control labelled "${label}"`);
  }

  // ---- the time zone picker filters as you type; keyboard and mouse both choose
  await page.fill('#tz-input', 'kathm');
  await page.locator('#tz-list:not([hidden]) li[data-value="Asia/Kathmandu"]').waitFor({ timeout: STEP_MS });
  const kathm = await page.locator('#tz-list li[data-value]').evaluateAll((lis) => lis.map((li) => li.dataset.value));
  assert.ok(kathm.length >= 1 && kathm.every((z) => z.toLowerCase().includes('kathm')), `filtered to Kathmandu: ${kathm}`);
  await page.press('#tz-input', 'Enter');
  assert.equal(await page.inputValue('#tz-input'), 'Asia/Kathmandu', 'Enter picks the highlighted zone');
  assert.ok(await page.locator('#tz-list').isHidden(), 'the list closes after choosing');
  await page.locator('#tz-now', { hasText: 'UTC+05:45' }).waitFor({ timeout: STEP_MS });

  await page.fill('#tz-input', 'new york');
  const option = page.locator(`#tz-list li[data-value="${TEAM_ZONE}"]`);
  await option.waitFor({ timeout: STEP_MS });
  const ny = await page.locator('#tz-list li[data-value]').evaluateAll((lis) => lis.map((li) => li.dataset.value));
  assert.ok(ny.every((z) => z.toLowerCase().includes('new_york')), `filtered to New York: ${ny}`);
  assert.ok(!ny.includes('Europe/Berlin'), 'other zones are filtered out');
  await option.click();
  assert.equal(await page.inputValue('#tz-input'), TEAM_ZONE);
  await page.locator('#tz-now', { hasText: `Now in ${TEAM_ZONE}` }).waitFor({ timeout: STEP_MS });
  await page.locator('#tz-now', { hasText: BROWSER_ZONE }).waitFor({ timeout: STEP_MS });

  // ---- Monday: split shifts
  assert.ok(await page.isChecked('#day-monday-enabled'), 'Monday is open by default');
  await page.fill('#monday-slot-0-start', SPLIT[0].start);
  await page.fill('#monday-slot-0-end', SPLIT[0].end);
  await page.click('#monday-add-slot');
  await page.fill('#monday-slot-1-start', SPLIT[1].start);
  await page.fill('#monday-slot-1-end', SPLIT[1].end);
  assert.equal(await page.textContent('#monday-slot-1-note'), '4 h');
  // An overnight slot on Saturday says that it ends the next day; Sunday is closed.
  await page.fill('#saturday-slot-0-start', '22:00');
  await page.fill('#saturday-slot-0-end', '06:00');
  assert.match(await page.textContent('#saturday-slot-0-note'), /ends next day at 06:00/);
  await page.uncheck('#day-sunday-enabled');

  // ---- copy Monday to Tuesday–Friday, choosing the days in the dialog
  await page.click('#monday-copy');
  await page.locator('#copy-dialog[open]').waitFor({ timeout: STEP_MS });
  assert.equal(await page.locator('#copy-to-monday').count(), 0, 'the source day is not offered');
  for (const day of ['tuesday', 'wednesday', 'thursday', 'friday']) await page.check(`#copy-to-${day}`);
  assert.ok(!(await page.isChecked('#copy-to-saturday')), 'Saturday is not chosen');
  await page.click('#copy-apply');
  await page.locator('#copy-dialog').waitFor({ state: 'hidden', timeout: STEP_MS });
  for (const day of ['tuesday', 'wednesday', 'thursday', 'friday']) {
    assert.equal(await slotCount(page, day), 2, `${day} got two slots`);
    assert.deepEqual(await slotValues(page, day, 2), SPLIT, `${day} has Monday's split shifts`);
  }
  assert.deepEqual(await slotValues(page, 'saturday', 1), [{ start: '22:00', end: '06:00' }], 'Saturday is untouched');

  // ---- a holiday (closed all day) and a short day
  await page.click('#add-override');
  await page.fill('#override-0-date', '2026-12-25');
  assert.equal(await page.textContent('#override-0-weekday'), 'Friday');
  assert.ok(await page.isChecked('#override-0-closed'), 'a new date is closed all day');
  await page.click('#add-override');
  await page.fill('#override-1-date', '2026-12-24');
  await page.check('#override-1-open');
  await page.fill('#override-1-slot-0-start', '09:00');
  await page.fill('#override-1-slot-0-end', '13:00');

  // ---- the preview of the edits renders, in the team's zone and the admin's
  await page.locator('#preview[data-state="open"], #preview[data-state="closed"]').waitFor({ timeout: STEP_MS });
  assert.match(await page.textContent('#preview-state'), /^(Open|Closed) now/);
  await page.locator('#preview-next[data-next]').waitFor({ timeout: STEP_MS });
  assert.match(await page.textContent('#preview-next'), new RegExp(`^(Opens|Closes) .* in ${TEAM_ZONE}`));
  assert.match(await page.textContent('#preview-local'), new RegExp(`Your local time \\(${BROWSER_ZONE}\\)`));
  assert.equal(await page.getAttribute('#dirty-indicator', 'data-state'), 'dirty');

  // ---- save
  await page.click('#save');
  await page.locator('#dirty-indicator[data-state="saved"]').waitFor({ timeout: STEP_MS });
  assert.ok(await page.locator('#error-summary').isHidden(), 'no errors after a valid save');
  let stored = await storedHandoff(session);
  assert.equal(stored.schedule.timezone, TEAM_ZONE);
  for (const day of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']) {
    assert.deepEqual(stored.schedule.weekly[day], { enabled: true, slots: SPLIT }, `${day} stored`);
  }
  assert.deepEqual(stored.schedule.weekly.saturday, { enabled: true, slots: [{ start: '22:00', end: '06:00' }] });
  assert.equal(stored.schedule.weekly.sunday.enabled, false);
  const byDate = Object.fromEntries(stored.schedule.overrides.map((o) => [o.date, o.slots]));
  assert.deepEqual(byDate, { '2026-12-25': [], '2026-12-24': [{ start: '09:00', end: '13:00' }] });

  // The preview of the edits and the server's availability for the saved schedule agree.
  await page.locator('#server-next[data-next]').waitFor({ timeout: STEP_MS });
  const { data: availability } = await session.call('GET', `/bots/${botId}/availability`);
  const clientOpen = (await page.getAttribute('#preview', 'data-state')) === 'open';
  const clientNext = await page.getAttribute('#preview-next', 'data-next');
  assert.equal(clientOpen, availability.schedule_open, 'open now: preview = availability');
  assert.equal(clientNext, availability.next_change, 'next change: preview = availability');
  assert.equal(await page.getAttribute('#server-next', 'data-next'), availability.next_change);

  // ---- reload: everything is still there
  await page.reload();
  await loaded(page);
  assert.equal(await page.inputValue('#tz-input'), TEAM_ZONE);
  assert.ok(await page.locator('#tz-notice').isHidden(), 'no default-zone notice once a zone is saved');
  assert.equal(await page.getAttribute('#dirty-indicator', 'data-state'), 'clean');
  for (const day of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']) {
    assert.ok(await page.isChecked(`#day-${day}-enabled`), `${day} open after reload`);
    assert.equal(await slotCount(page, day), 2);
    assert.deepEqual(await slotValues(page, day, 2), SPLIT, `${day} after reload`);
  }
  assert.deepEqual(await slotValues(page, 'saturday', 1), [{ start: '22:00', end: '06:00' }]);
  assert.ok(!(await page.isChecked('#day-sunday-enabled')), 'Sunday closed after reload');
  // Special dates come back in date order.
  assert.equal(await page.inputValue('#override-0-date'), '2026-12-24');
  assert.ok(await page.isChecked('#override-0-open'));
  assert.deepEqual(await slotValues(page, 'override-0', 1), [{ start: '09:00', end: '13:00' }]);
  assert.equal(await page.inputValue('#override-1-date'), '2026-12-25');
  assert.ok(await page.isChecked('#override-1-closed'), 'the holiday is closed all day');
  await page.locator('#preview-next[data-next]').waitFor({ timeout: STEP_MS });

  await mkdir(SCREENSHOTS, { recursive: true });

  // ---- an invalid slot (overlapping 09:00–12:00) and an empty instruction: shown inline, not saved
  const instructionBefore = stored.settings.instruction;
  await page.click('#monday-add-slot');
  await page.fill('#monday-slot-2-start', '11:00');
  await page.fill('#monday-slot-2-end', '13:00');
  await page.fill('#instruction', '   ');
  await page.click('#save');
  await page.locator('#dirty-indicator[data-state="error"]').waitFor({ timeout: STEP_MS });
  const slotError = page.locator('.slot[data-field="schedule.weekly.monday.slots[2]"] > .field-error');
  await slotError.waitFor({ state: 'visible', timeout: STEP_MS });
  assert.match(await slotError.textContent(), /11:00–13:00 overlaps 09:00–12:00/);
  assert.equal(await page.getAttribute('#monday-slot-2-start', 'aria-invalid'), 'true', 'the slot’s inputs are marked invalid');
  assert.equal(await page.getAttribute('#monday-slot-0-start', 'aria-invalid'), null, 'other slots are not');
  assert.equal(await page.locator('.field-error:visible').count(), 2, 'exactly two inline errors');
  assert.match(await page.textContent('#err-settings-instruction'), /cannot be empty/);
  const describedBy = (await page.getAttribute('#monday-slot-2-start', 'aria-describedby')) || '';
  assert.ok(describedBy.includes('err-schedule-weekly-monday-slots-2-'), 'the error is tied to the input');
  // The server's preview of the edits pauses on the same problem.
  await page.locator('#preview[data-state="invalid"]').waitFor({ timeout: STEP_MS });
  assert.equal(await page.textContent('#preview-state'), 'Preview paused');
  assert.match(await page.textContent('#preview-next'), /^Monday, slot 3: .*overlaps/);
  await page.locator('#error-summary:not([hidden])').waitFor({ timeout: STEP_MS });
  const summary = await page.locator('#error-summary-list li').allTextContents();
  assert.equal(summary.length, 2, `summary: ${summary}`);
  assert.ok(summary.some((s) => s.startsWith('Monday, slot 3') && s.includes('overlaps')), `summary names the slot: ${summary}`);
  assert.ok(summary.some((s) => s.startsWith('Instruction')), `summary names the instruction: ${summary}`);
  await page.screenshot({ path: process.env.E2E_SHOTS ? path.join(process.env.E2E_SHOTS, "editor-errors.png") : "/dev/null", fullPage: true }).catch(() => {});

  stored = await storedHandoff(session);
  assert.deepEqual(stored.schedule.weekly.monday.slots, SPLIT, 'the invalid slot was not saved');
  assert.equal(stored.settings.instruction, instructionBefore, 'nor anything else of that save');

  // Editing the slot clears its error (the instruction's stays until it is fixed).
  await page.fill('#monday-slot-2-start', '12:00');
  await slotError.waitFor({ state: 'hidden', timeout: STEP_MS });
  assert.equal(await page.getAttribute('#monday-slot-2-start', 'aria-invalid'), null);
  assert.equal(await page.locator('#error-summary-list li').count(), 1);

  // Leaving discards the edits (after the browser's "leave the page?" prompt, if it shows one).
  await page.reload();
  await loaded(page);
  assert.equal(await slotCount(page, 'monday'), 2, 'after reload Monday has its two saved slots');
  assert.deepEqual(await slotValues(page, 'monday', 2), SPLIT);
  assert.equal(await page.inputValue('#instruction'), instructionBefore);
  assert.ok(await page.locator('#error-summary').isHidden());
  if (unloadPrompts.length) console.log(`the "unsaved changes" prompt showed ${unloadPrompts.length} time(s) and was accepted`);

  // ---- screenshot for the README: the whole page, with an unsaved evening slot on Monday
  await page.locator('#server-next[data-next]').waitFor({ timeout: STEP_MS });
  await page.click('#monday-add-slot');
  await page.fill('#monday-slot-2-start', '19:00');
  await page.fill('#monday-slot-2-end', '23:00');
  await page.locator('#dirty-indicator[data-state="dirty"]').waitFor({ timeout: STEP_MS });
  await page.locator('#preview-label', { hasText: 'unsaved' }).waitFor({ timeout: STEP_MS });
  // A viewport as tall as the page, so that the sticky bars sit where they belong.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'editor.png') });

  // Expected: no favicon, "who am I?" before signing in, the one refused save, and the previews of
  // the invalid edits (the server answers those with the save's 400).
  assertNoProblems(
    problems,
    ['editor: HTTP 401 GET /api/v1/me', `editor: HTTP 400 PUT /api/v1/bots/${botId}/handoff`, `editor: HTTP 400 POST /api/v1/bots/${botId}/schedule/preview`],
    'no page errors, console errors or CSP violations',
  );
  assert.equal(problems.filter((p) => p.includes('HTTP 400 PUT')).length, 1, 'exactly one refused save');
  await context.close();
  failures -= 1;
});

test('an agent who is not an admin is told the editor is for admins only', async () => {
  failures += 1;
  const { admin, browser } = e2e;
  const session = await apiLogin(e2e, admin);
  const agent = { email: 'ana@example.com', password: 'correct horse battery', display_name: 'Ana' };
  await createAgent(session, agent);

  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  watch(page, 'editor', problems, { unloadPrompts: [] });
  await editorSignIn(page, e2e, agent);
  await page.locator('#denied-view:not([hidden])').waitFor({ timeout: STEP_MS });
  assert.match(await page.textContent('#denied-title'), /Admins only/);
  assert.match(await page.textContent('#denied-text'), /Ana/);
  assert.ok(await page.locator('#app-view').isHidden(), 'the editor stays hidden');
  assert.equal(await page.locator('#denied-view a[href="/panel"]').count(), 1, 'a way back to the panel');
  // The API refuses too, whatever the page shows.
  const agentSession = await apiLogin(e2e, agent);
  assert.equal((await agentSession.call('GET', `/bots/${botId}/handoff`)).status, 403);

  assertNoProblems(problems, ['editor: HTTP 401 GET /api/v1/me'], 'no page errors or failed requests');
  await context.close();
  failures -= 1;
});

// The preview shows what the server's schedule engine says about the unsaved edits
// (POST /bots/{id}/schedule/preview). Its answers must be the engine's: compare them with
// `baton schedule check` on DST edge cases (gaps, repeated hours, half-hour shifts, overnight
// slots) and on random schedules (seeded, so a failure can be replayed with E2E_SEED); a schedule
// the engine rejects gets a 400 naming its fields.
test('the preview endpoint agrees with the schedule engine, DST included', async () => {
  failures += 1;
  const { dataDir } = e2e;
  const session = await apiLogin(e2e, e2e.admin);

  const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const every = (slots) => Object.fromEntries(DAYS.map((d) => [d, { enabled: true, slots }]));
  const cases = [
    // New York spring forward (02:00 → 03:00 on 2026-03-08): a slot starting in the gap opens after it.
    [{ timezone: 'America/New_York', weekly: every([{ start: '02:30', end: '04:00' }]) }, '2026-03-08T06:00:00Z'],
    // New York fall back (01:00–02:00 twice on 2026-11-01): open both times.
    [{ timezone: 'America/New_York', weekly: every([{ start: '01:00', end: '01:30' }]) }, '2026-11-01T05:20:00Z'],
    // London, overnight slot across the spring-forward night.
    [{ timezone: 'Europe/London', weekly: every([{ start: '22:00', end: '06:00' }]) }, '2026-03-28T23:00:00Z'],
    // Lord Howe: 30-minute DST (02:00 → 02:30 on 2026-10-04).
    [{ timezone: 'Australia/Lord_Howe', weekly: every([{ start: '02:00', end: '02:45' }]) }, '2026-10-03T14:00:00Z'],
    // Kathmandu +05:45, split shifts, a holiday.
    [
      { timezone: 'Asia/Kathmandu', weekly: every(SPLIT), overrides: [{ date: '2026-12-25', slots: [] }] },
      '2026-12-24T12:30:00Z',
    ],
    // Sydney fall back (03:00 → 02:00 on 2026-04-05), slot ending at 24:00.
    [{ timezone: 'Australia/Sydney', weekly: every([{ start: '02:30', end: '24:00' }]) }, '2026-04-04T15:00:00Z'],
    // Never available; always open (no change within 366 days).
    [{ timezone: 'Europe/Berlin', never_available: true, weekly: every(SPLIT) }, '2026-06-01T10:00:00Z'],
    [{ timezone: 'UTC', weekly: every([{ start: '00:00', end: '24:00' }]) }, '2026-06-01T10:00:00Z'],
  ];

  let seed = Number(process.env.E2E_SEED || 20261125);
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const hm = (m) => String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
  const GRID = [0, 30, 60, 90, 120, 150, 180, 210, 240, 480, 540, 720, 1020, 1320, 1380, 1410];
  const randomSlots = () => {
    const times = [...new Set(Array.from({ length: 2 * Math.floor(rnd() * 3) }, () => pick(GRID)))].sort((a, b) => a - b);
    if (times.length % 2) times.pop();
    const out = [];
    if (times.length < 2 || rnd() < 0.5) for (let i = 0; i < times.length; i += 2) out.push({ start: hm(times[i]), end: hm(times[i + 1]) });
    else {
      // Shifted pairing: the last slot runs past midnight.
      for (let i = 1; i + 1 < times.length; i += 2) out.push({ start: hm(times[i]), end: hm(times[i + 1]) });
      out.push({ start: hm(times[times.length - 1]), end: hm(times[0]) });
    }
    const last = out[out.length - 1];
    if (last && last.end > last.start && rnd() < 0.2) last.end = '24:00';
    return out;
  };
  const EDGES = ['2026-03-08T06:00:00Z', '2026-03-29T00:30:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', '2026-10-25T00:30:00Z', '2026-11-01T05:30:00Z'];
  for (let i = 0; i < 80; i++) {
    const weekly = {};
    for (const d of DAYS) if (rnd() < 0.85) weekly[d] = { enabled: rnd() < 0.85, slots: randomSlots() };
    const overrides = [];
    for (const date of new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => `2026-${pick(['03', '04', '10', '11'])}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`))) {
      overrides.push({ date, slots: rnd() < 0.5 ? [] : randomSlots() });
    }
    const zone = pick(['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Australia/Sydney', 'America/Santiago']);
    const at = new Date(Date.parse(pick(EDGES)) + Math.floor((rnd() - 0.5) * 3 * 86400) * 1000).toISOString().replace('.000Z', 'Z');
    cases.push([{ timezone: zone, weekly, overrides }, at]);
  }

  const file = path.join(dataDir, 'preview-check.json');
  let compared = 0;
  for (const [doc, at] of cases) {
    await writeFile(file, JSON.stringify(doc));
    const { status, data, text } = await session.call('POST', `/bots/${botId}/schedule/preview?at=${at}`, doc);
    let expected;
    try {
      expected = JSON.parse(execFileSync(BIN, ['schedule', 'check', file, '--at', at], { stdio: ['ignore', 'pipe', 'pipe'] }).toString());
    } catch (err) {
      // A random schedule the engine rejects (e.g. overlapping slots) is a 400 with its fields.
      assert.equal(err.status, 2, `baton schedule check failed: ${err.stderr}`);
      assert.equal(status, 400, `preview of a rejected schedule: ${text}`);
      assert.ok(data.error.errors.length > 0 && data.error.errors.every((e) => e.field), text);
      continue;
    }
    assert.equal(status, 200, text);
    assert.deepEqual({ open: data.open, next_change: data.next_change }, expected, `preview ≠ engine at ${at} for ${JSON.stringify(doc)}`);
    compared += 1;
  }
  assert.ok(compared >= 50, `compared ${compared} schedules`);
  failures -= 1;
});
