// Shared start-up of the browser end-to-end tests: a `baton serve` on a free port with a fresh
// data dir (its first-run admin login parsed from stdout), the Debian Chromium driven by
// playwright-core, recording of page problems, sign-in and API helpers, and the cleanup.
//
// It builds nothing: BATON_BIN (default ../../target/debug/baton) and CHROMIUM_BIN (default
// /usr/bin/chromium) must already exist.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO = path.resolve(HERE, '../..');
/** The `baton` binary under test. */
export const BIN = process.env.BATON_BIN ? path.resolve(process.env.BATON_BIN) : path.resolve(HERE, '../../target/debug/baton');
/** The Chromium executable (the Debian package, never a test tool's download). */
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
/**
 * Where screenshots go: a scratch folder (`target/e2e-screenshots`), so a test run never rewrites
 * tracked files. `scripts/screenshots` (BATON_UPDATE_SCREENSHOTS=1) refreshes the README's own pictures in
 * docs/screenshots instead.
 */
export const SCREENSHOTS = process.env.BATON_UPDATE_SCREENSHOTS === '1'
  ? path.join(REPO, 'docs', 'screenshots')
  : path.join(REPO, 'target', 'e2e-screenshots');
/** How long one step (a selector to appear, a message to arrive) may take. */
export const STEP_MS = 15000;
/** How long to wait for the phrase to trigger a handoff before pressing the button instead. */
export const PHRASE_GRACE_MS = 5000;
/** Markup a visitor types, which must show as text and never run. */
export const XSS = '<img src=x onerror=alert(1)>';

/** Resolves with a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
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

/**
 * Starts `baton serve` for `env` (its dataDir; `extraArgs` after the standard ones, `extraEnv`
 * added to the environment), keeping its output in env.log; resolves with the first-run admin
 * login printed on stdout ({ email, password, botId } where botId may be null).
 */
function startServer(env, port, extraArgs, extraEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', env.dataDir, ...extraArgs], {
      env: { ...process.env, BATON_LOG: process.env.BATON_LOG || 'warn', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    env.server = child;
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`baton did not print the admin login within 60 s:\n${stdout}\n${env.log}`)), 60000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      env.log += chunk;
      const email = /Admin login:\s*(\S+)/.exec(stdout);
      const password = /Password:\s*(\S+)/.exec(stdout);
      if (email && password) {
        clearTimeout(timer);
        const bot = /demo bot \(([^)]+)\)/.exec(stdout);
        resolve({ email: email[1], password: password[1], botId: bot ? bot[1] : null });
      }
    });
    child.stderr.on('data', (chunk) => {
      env.log += chunk;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`baton exited early (code ${code}, signal ${signal}):\n${env.log}`));
    });
  });
}

/** Waits (up to 20 s) until GET /healthz answers 200. */
async function waitForHealth(baseUrl) {
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

/** Launches the headless Chromium; playwright-core gives every launch a fresh, temporary user-data dir. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
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
}

/**
 * Registers the file's `before` and `after` hooks: a fresh data dir (named `dataDirPrefix`…), a
 * baton server on a free port (`serveArgs()` appended to its arguments, evaluated at start;
 * `serveEnv` added to its environment), and a Chromium. Returns the object the hooks fill in:
 * { baseUrl, admin: { email, password }, botId (or null), browser, dataDir, server, log }.
 * `beforeStart()` runs before the server starts, `afterStart(env)` once it answers (a root
 * `before` of its own would run at once, in parallel with this one, on Node 20).
 * After the tests it closes everything, and prints the server's output if `failed()` is true.
 */
export function useBaton({
  dataDirPrefix = 'baton-e2e-',
  serveArgs = () => [],
  serveEnv = {},
  beforeStart = async () => {},
  afterStart = async () => {},
  failed = () => false,
} = {}) {
  const env = { baseUrl: null, admin: null, botId: null, browser: null, dataDir: null, server: null, log: '' };
  before(async () => {
    assert.ok(existsSync(BIN), `the baton binary is missing at ${BIN}: run \`cargo build -p baton\` first (or set BATON_BIN)`);
    assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run \`apt-get install -y chromium\``);
    env.dataDir = await mkdtemp(path.join(os.tmpdir(), dataDirPrefix));
    await beforeStart();
    const port = await freePort();
    env.baseUrl = `http://127.0.0.1:${port}`;
    const login = await startServer(env, port, serveArgs(), serveEnv);
    env.admin = { email: login.email, password: login.password };
    env.botId = login.botId;
    await waitForHealth(env.baseUrl);
    await afterStart(env);
    env.browser = await launchChromium();
  });
  after(async () => {
    if (env.browser) await env.browser.close().catch(() => {});
    if (env.server && env.server.exitCode === null) {
      env.server.removeAllListeners('exit');
      env.server.kill('SIGTERM');
    }
    if (failed() && env.log) console.log(`---- baton output ----\n${env.log.slice(-8000)}`);
    if (env.dataDir) await rm(env.dataDir, { recursive: true, force: true }).catch(() => {});
  });
  return env;
}

/**
 * Records a page's page errors, console errors and failed requests (HTTP >= 400) in `problems`,
 * as "name: …". Dialogs are dismissed and recorded in `dialogs` if given, else in `problems`;
 * with `unloadPrompts`, a "leave the page?" (beforeunload) prompt is accepted and recorded there.
 */
export function watch(page, name, problems, { dialogs, unloadPrompts } = {}) {
  page.on('dialog', async (dialog) => {
    if (unloadPrompts && dialog.type() === 'beforeunload') {
      unloadPrompts.push(name);
      await dialog.accept().catch(() => {});
      return;
    }
    if (dialogs) dialogs.push(`${name}: ${dialog.type()} ${dialog.message()}`);
    else problems.push(`${name}: dialog ${dialog.type()} ${dialog.message()}`);
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

/**
 * Asserts that `problems` holds nothing but the `allowed` ones (each an exact string or a
 * RegExp); prints the others before failing.
 */
export function assertNoProblems(problems, allowed, message) {
  const expected = allowed;
  const unexpected = problems.filter((p) => !expected.some((e) => (e instanceof RegExp ? e.test(p) : e === p)));
  if (unexpected.length) console.log(`browser console:\n${unexpected.join('\n')}`);
  assert.deepEqual(unexpected, [], message);
}

/**
 * Opens `env.baseUrl`/demo in `page`, substituting the demo bot's id (`botId`) when the server
 * leaves the placeholder; `note` says so on the console.
 */
export async function openDemo(page, env, botId, { note = false } = {}) {
  const demo = await (await fetch(`${env.baseUrl}/demo`)).text();
  if (demo.includes('__BATON_BOT_ID__')) {
    assert.ok(botId, 'the demo page still holds the bot id placeholder and the server did not print the bot id');
    if (note) console.log(`note: /demo still contains __BATON_BOT_ID__; the test substitutes the demo bot id ${botId}`);
    await page.route(`${env.baseUrl}/demo`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: demo.replaceAll('__BATON_BOT_ID__', botId) }),
    );
  }
  await page.goto(`${env.baseUrl}/demo`);
}

/** Waits (STEP_MS at most) until `selector` is in the page. */
const appears = (page, selector) => page.locator(selector).waitFor({ timeout: STEP_MS });

/**
 * Opens `url` and submits the login form (#login-email, #login-password, #login-submit) of the
 * panel or the editor with `user`'s credentials; waits for `ready` (a selector) before filling.
 */
/**
 * A live chat to work in: a visitor in a new browser context writes `text` in the widget and asks
 * for a person, and the agent's `panel` accepts. Resolves when the agent can reply.
 */
export async function startLiveChat(env, panel, problems, text) {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 760 } });
  const visitor = await context.newPage();
  watch(visitor, 'visitor', problems, { dialogs: [] });
  await openDemo(visitor, env, env.botId);
  await visitor.locator('button.launcher').click();
  await visitor.fill('#baton-input', text);
  await visitor.press('#baton-input', 'Enter');
  await visitor.locator('button.human-button').click();
  await panel.locator('#queue-list .handoff button', { hasText: 'Accept' }).first().click({ timeout: STEP_MS });
  await panel.locator('#composer-input:not([disabled])').waitFor({ timeout: STEP_MS });
  return { context, visitor };
}

export async function signIn(page, url, user, ready) {
  await page.goto(url);
  if (ready) await appears(page, ready);
  await page.fill('#login-email', user.email);
  await page.fill('#login-password', user.password);
  await page.click('#login-submit');
}

/** Signs `user` into the Live Chat panel and waits until it is connected. */
export async function panelSignIn(page, env, user) {
  await signIn(page, `${env.baseUrl}/panel`, user);
  await appears(page, '#connection[data-state="connected"]');
}

/**
 * Opens the Live Chat panel in a new 1280×800 browser context (with `permissions` granted),
 * watched as 'panel', signs `user` in and sets their `status` ('online' or 'away'); the page.
 */
export async function openPanel(env, user, problems, { dialogs, permissions = [], status } = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (permissions.length) await context.grantPermissions(permissions, { origin: env.baseUrl });
  const panel = await context.newPage();
  watch(panel, 'panel', problems, { dialogs });
  await panelSignIn(panel, env, user);
  if (status) await setStatus(panel, status);
  return panel;
}

/** Signs `user` into the Agent Editor (after its login form shows); does not wait for the editor. */
export function editorSignIn(page, env, user) {
  return signIn(page, `${env.baseUrl}/editor`, user, '#login-view:not([hidden])');
}

/** Sets the signed-in agent's status in the panel ('online' or 'away') unless it already is. */
export async function setStatus(panel, status) {
  if ((await panel.getAttribute(`#status-${status}`, 'aria-pressed')) !== 'true') await panel.click(`#status-${status}`);
  await appears(panel, `#status-${status}[aria-pressed="true"]`);
}

/**
 * Logs `user` in over the API. The session's call(method, path, body) sends a request to
 * /api/v1`path` (with the CSRF token unless it is a GET) and resolves with { status, data, text };
 * ok(method, path, body) also asserts a 2xx answer and resolves with the data.
 */
export async function apiLogin(env, user) {
  const res = await fetch(`${env.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  assert.equal(res.status, 200, `API login of ${user.email}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrf_token: csrf } = await res.json();
  assert.ok(csrf, 'the login answers a CSRF token');
  const session = {
    cookie,
    csrf,
    async call(method, pathname, body) {
      const r = await fetch(`${env.baseUrl}/api/v1${pathname}`, {
        method,
        headers: {
          Cookie: cookie,
          ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrf }),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      let data = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch (_) {
        /* not JSON */
      }
      return { status: r.status, data, text, ok: r.ok };
    },
    async ok(method, pathname, body) {
      const { ok, status, data, text } = await session.call(method, pathname, body);
      assert.ok(ok, `${method} /api/v1${pathname} answered ${status}: ${text}`);
      return data;
    },
  };
  return session;
}

/** Adds an agent (role agent, 3 chats at most) through an admin's API session; asserts 201. */
export async function createAgent(session, agent) {
  const created = await session.call('POST', '/agents', { ...agent, role: 'agent', max_chats: 3 });
  assert.equal(created.status, 201, created.text);
  return created.data;
}

/** The WCAG levels the accessibility checks hold every page to. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let axeSource = null;

/**
 * Runs axe-core (from tests/e2e/node_modules, evaluated in `page`) against the WCAG A/AA rules
 * and resolves with its violations; `include` limits the check to a selector. Open shadow roots
 * (the widget) are checked too.
 */
export async function axeViolations(page, { include } = {}) {
  if (!axeSource) axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated rather than added as a <script>: the pages' Content-Security-Policy (script-src
  // 'self') refuses inline scripts, and must stay as strict while they are tested.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(
    async ({ tags, include }) => {
      const result = await window.axe.run(include ? { include: [include] } : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.flat().join(' >>> '), summary: n.failureSummary })),
      }));
    },
    { tags: WCAG_TAGS, include },
  );
}

/**
 * Fails when axe-core finds a `serious` or `critical` WCAG A/AA violation on `page` (`what` names
 * the state checked), printing each rule, its targets and axe's summary; moderate and minor ones
 * are printed as notes. Resolves with all the violations.
 */
export async function assertAccessible(page, what, options) {
  const violations = await axeViolations(page, options);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const describe = (v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target}\n      ${n.summary.replaceAll('\n', '\n      ')}`).join('\n')}`;
  const notes = violations.filter((v) => !blocking.includes(v));
  if (notes.length) console.log(`a11y notes for ${what}:\n${notes.map(describe).join('\n')}`);
  if (blocking.length) console.log(`a11y violations for ${what}:\n${blocking.map(describe).join('\n')}`);
  assert.deepEqual(blocking.map((v) => `${v.id} ×${v.nodes.length}`), [], `${what}: no serious or critical WCAG A/AA violations`);
  return violations;
}

/** The element that has focus, looking inside open shadow roots (the widget's). */
export function deepActive(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    const host = el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host.id : null;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      className: typeof el.className === 'string' ? el.className : '',
      text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 80),
      inWidget: host !== null,
      inWidgetPanel: host !== null && !!el.closest('.panel'),
      within: ((el.closest('li, section, form') || {}).textContent || '').trim().slice(0, 300),
    };
  });
}

/**
 * Presses Tab (Shift+Tab with `back`) until `matches(deepActive)` holds, at most `max` times;
 * fails with the path taken otherwise. Resolves with the focused element.
 */
export async function tabUntil(page, matches, { max = 40, back = false, what = 'the wanted element' } = {}) {
  const seen = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const el = await deepActive(page);
    if (el && matches(el)) return el;
    seen.push(el ? `${el.tag}#${el.id}.${el.className} "${el.text}"` : 'nothing');
  }
  assert.fail(`Tab never reached ${what}; focus went through:\n${seen.join('\n')}`);
}
