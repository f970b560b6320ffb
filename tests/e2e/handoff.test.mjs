// Browser end-to-end test of the live handoff (issue 2): a visitor asks for a person in the widget
// on the demo page, the agent's Live Chat panel is notified, the agent accepts, both exchange
// messages and see them live, and HTML sent by the visitor shows as text on both sides.
//
// It builds nothing: it starts the `baton` binary (BATON_BIN, default ../../target/debug/baton)
// on a free port with a fresh data dir, and drives the Debian Chromium (/usr/bin/chromium or
// CHROMIUM_BIN) with playwright-core.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const BIN = process.env.BATON_BIN ? path.resolve(process.env.BATON_BIN) : path.resolve(HERE, '../../target/debug/baton');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const SCREENSHOTS = path.join(REPO, 'docs', 'screenshots');
const XSS = '<img src=x onerror=alert(1)>';
/** How long to wait for the phrase to trigger a handoff before pressing the button instead. */
const PHRASE_GRACE_MS = 5000;
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

test('a visitor asks for a person, the agent accepts, both chat live, and HTML stays text', async () => {
  const dialogs = [];
  const problems = [];

  // ---- the agent logs into the panel
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await agentContext.grantPermissions(['notifications'], { origin: baseUrl });
  const panel = await agentContext.newPage();
  watch(panel, 'panel', dialogs, problems);
  await panel.goto(`${baseUrl}/panel`);
  await panel.fill('#login-email', admin.email);
  await panel.fill('#login-password', admin.password);
  await panel.click('#login-submit');
  await panel.locator('#connection[data-state="connected"]').waitFor({ timeout: STEP_MS });
  // Make sure the agent is online (the account may have been left away).
  if ((await panel.getAttribute('#status-online', 'aria-pressed')) !== 'true') await panel.click('#status-online');
  await panel.locator('#status-online[aria-pressed="true"]').waitFor({ timeout: STEP_MS });

  // ---- a visitor opens the demo page and the widget
  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const visitor = await visitorContext.newPage();
  watch(visitor, 'widget', dialogs, problems);
  const demo = await (await fetch(`${baseUrl}/demo`)).text();
  if (demo.includes('__BATON_BOT_ID__')) {
    // The server does not substitute the demo bot's id yet: do it here, from the first-run output.
    assert.ok(botId, 'the demo page still holds the bot id placeholder and the server did not print the bot id');
    console.log(`note: /demo still contains __BATON_BOT_ID__; the test substitutes the demo bot id ${botId}`);
    await visitor.route(`${baseUrl}/demo`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: demo.replaceAll('__BATON_BOT_ID__', botId) }),
    );
  }
  await visitor.goto(`${baseUrl}/demo`);
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
  watch(other, 'widget 2', dialogs, problems);
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
  const unexpected = problems.filter((p) => !/favicon\.ico/.test(p) && p !== 'panel: HTTP 401 GET /api/v1/me');
  if (unexpected.length) console.log(`browser console:\n${unexpected.join('\n')}`);
  assert.deepEqual(unexpected, [], 'no page errors, console errors or CSP violations');
  passed = true;
});
