// Browser end-to-end test of the widget's availability line (issue 3): with the demo bot's schedule
// closed, the widget says "We're away — back <weekday> <HH:MM>" in the visitor's own time zone (the
// browser runs in America/New_York, the schedule in UTC) and "Talk to a person" promises an email
// reply; with an always-open schedule and an agent online in the panel, it says "We're online".
//
// It builds nothing: it starts the `baton` binary (BATON_BIN, default ../../target/debug/baton)
// on a free port with a fresh data dir, and drives the Debian Chromium (/usr/bin/chromium or
// CHROMIUM_BIN) with playwright-core.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.BATON_BIN ? path.resolve(process.env.BATON_BIN) : path.resolve(HERE, '../../target/debug/baton');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const STEP_MS = 15000;

let server;
let serverLog = '';
let dataDir;
let browser;
let baseUrl;
let admin;
let botId;
let passed = false;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `baton serve` and resolves with the first-run admin login printed on stdout. */
function startServer(port) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
      env: { ...process.env, BATON_LOG: process.env.BATON_LOG || 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`baton did not print the admin login within 60 s:\n${stdout}\n${serverLog}`)), 60000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      serverLog += chunk;
      const email = /Admin login:\s*(\S+)/.exec(stdout);
      const password = /Password:\s*(\S+)/.exec(stdout);
      if (email && password) {
        clearTimeout(timer);
        const bot = /demo bot \(([^)]+)\)/.exec(stdout);
        resolve({ email: email[1], password: password[1], botId: bot ? bot[1] : null });
      }
    });
    child.stderr.on('data', (chunk) => {
      serverLog += chunk;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`baton exited early (code ${code}, signal ${signal}):\n${serverLog}`));
    });
  });
}

async function waitForHealth() {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) return;
    } catch (_) {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('GET /healthz never answered 200');
}

/** Records every dialog (there must be none), page error and console error of a page. */
function watch(page, name, dialogs, problems) {
  page.on('dialog', async (dialog) => {
    dialogs.push(`${name}: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (err) => problems.push(`${name}: page error: ${err.message}`));
  page.on('console', (msg) => {
    // Failed requests are reported below with their address.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`${name}: console error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${name}: HTTP ${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
}

before(async () => {
  assert.ok(existsSync(BIN), `the baton binary is missing at ${BIN}: run \`cargo build -p baton\` first (or set BATON_BIN)`);
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run \`apt-get install -y chromium\``);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'baton-e2e-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const login = await startServer(port);
  admin = { email: login.email, password: login.password };
  botId = login.botId;
  await waitForHealth();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives every launch a fresh, temporary user-data dir.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.removeAllListeners('exit');
    server.kill('SIGTERM');
  }
  if (!passed && serverLog) console.log(`---- baton output ----\n${serverLog.slice(-8000)}`);
  if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
});


const VISITOR_ZONE = 'America/New_York';
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Logs in as the admin over the API: the cookie and CSRF token for admin calls. */
async function adminSession() {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(admin),
  });
  assert.equal(res.status, 200, 'the admin logs in');
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrf_token: csrf } = await res.json();
  assert.ok(csrf, 'the login answers a CSRF token');
  return {
    async call(method, url, body) {
      const r = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${url} answered ${r.status}: ${text}`);
      return text ? JSON.parse(text) : null;
    },
  };
}

test('the widget says when the team is away (in the visitor\'s time) and when it is online', async () => {
  const dialogs = [];
  const problems = [];
  const session = await adminSession();
  if (!botId) {
    const { bots } = await session.call('GET', '/api/v1/bots');
    botId = bots[0].id;
  }
  const publicBot = await (await fetch(`${baseUrl}/api/v1/widget/bots/${botId}`)).json();

  // ---- closed now: one weekly slot, 14:00–16:00 UTC, three days from today (UTC). In New York that
  // is 09:00 or 10:00 on the same date, three or four days away: the widget names the weekday.
  const now = new Date();
  const opening = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3, 14, 0));
  const day = DAYS[opening.getUTCDay()];
  await session.call('PUT', `/api/v1/bots/${botId}/schedule`, {
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
  watch(visitor, 'widget', dialogs, problems);
  const demo = await (await fetch(`${baseUrl}/demo`)).text();
  if (demo.includes('__BATON_BOT_ID__')) {
    await visitor.route(`${baseUrl}/demo`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: demo.replaceAll('__BATON_BOT_ID__', botId) }),
    );
  }
  await visitor.goto(`${baseUrl}/demo`);
  await visitor.locator('button.launcher').click();
  const status = visitor.locator('p.status');
  await visitor.locator('p.status:not([hidden])', { hasText: away }).waitFor({ timeout: STEP_MS });
  assert.equal(await visitor.locator('p.status .status-text').textContent(), away);
  assert.equal(await status.getAttribute('aria-live'), 'polite', 'the status line is announced politely');
  assert.equal(await status.getAttribute('data-kind'), 'away');
  if (publicBot.handoff_enabled !== false) {
    const human = visitor.locator('button.human-button');
    const label = publicBot.lead_capture_enabled !== false ? "Talk to a person (we'll reply by email)" : 'Talk to a person';
    await visitor.locator('button.human-button', { hasText: label }).waitFor({ timeout: STEP_MS });
    assert.ok(await human.getAttribute('title'), 'the button explains that nobody can chat right now');
  }
  console.log(`closed schedule: the widget says "${away}"`);

  // ---- always open, with the admin online in the panel
  await session.call('PUT', `/api/v1/bots/${botId}/schedule`, {
    timezone: 'UTC',
    never_available: false,
    weekly: Object.fromEntries(DAYS.map((d) => [d, { enabled: true, slots: [{ start: '00:00', end: '24:00' }] }])),
    overrides: [],
  });
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const panel = await agentContext.newPage();
  watch(panel, 'panel', dialogs, problems);
  await panel.goto(`${baseUrl}/panel`);
  await panel.fill('#login-email', admin.email);
  await panel.fill('#login-password', admin.password);
  await panel.click('#login-submit');
  await panel.locator('#connection[data-state="connected"]').waitFor({ timeout: STEP_MS });
  if ((await panel.getAttribute('#status-online', 'aria-pressed')) !== 'true') await panel.click('#status-online');
  await panel.locator('#status-online[aria-pressed="true"]').waitFor({ timeout: STEP_MS });

  await visitor.reload();
  await visitor.locator('button.launcher').click();
  await visitor.locator('p.status:not([hidden])', { hasText: "We're online" }).waitFor({ timeout: STEP_MS });
  assert.equal(await status.getAttribute('data-kind'), 'online');
  if (publicBot.handoff_enabled !== false) {
    await visitor.locator('button.human-button', { hasText: /^Talk to a person$/ }).waitFor({ timeout: STEP_MS });
    assert.equal(await visitor.locator('button.human-button').getAttribute('title'), null);
  }

  assert.deepEqual(dialogs, [], 'no dialog may open');
  const unexpected = problems.filter((p) => !/favicon\.ico/.test(p) && p !== 'panel: HTTP 401 GET /api/v1/me');
  if (unexpected.length) console.log(`browser console:\n${unexpected.join('\n')}`);
  assert.deepEqual(unexpected, [], 'no page errors, console errors or failed requests');
  passed = true;
});
