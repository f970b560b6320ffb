// Browser accessibility test of the widget, the Live Chat panel and the Agent Editor: axe-core
// (WCAG 2.0/2.1/2.2 A and AA rules) finds no serious or critical violation in each state a person
// meets (the widget closed, open, waiting for a person, offering the contact form; the panel's
// queue, a conversation, the tickets and the team; the editor's tabs with an error showing); the
// visitor and the agent go through a whole handoff with the keyboard alone; on a phone the open
// widget keeps focus, stops the page behind from scrolling and closes with Escape; very long
// right-to-left names with emoji do not widen the panel at 375 px.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core. Screenshots (375, 768 and 1280 px wide) go
// to target/e2e-screenshots/a11y, never to the tracked docs/screenshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  PHRASE_GRACE_MS,
  REPO,
  STEP_MS,
  assertAccessible,
  assertNoProblems,
  deepActive,
  editorSignIn,
  openDemo,
  openPanel,
  setStatus,
  signIn,
  tabUntil,
  useBaton,
  watch,
} from './harness.mjs';

const SHOTS = path.join(REPO, 'target', 'e2e-screenshots', 'a11y');
/** Right-to-left text with emoji and zero-width characters, without a space to break at. */
const RTL = (n) => Array.from(('שלוםעולםمرحبا👩🏽‍💻\u200b' + 'ابجد'.repeat(3)).repeat(20)).slice(0, n).join('');
/** The longest name the server takes (80 characters), and a 200-character request. */
const LONG_RTL_NAME = RTL(80);
const LONG_RTL_REQUEST = RTL(200);

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-a11y-', failed: () => failures > 0 });

/** Starts a conversation for `name` over the widget API and asks for a person; the conversation. */
async function waitingVisitor(name, request = 'My order has not arrived, can a person look at it?') {
  const started = await fetch(`${e2e.baseUrl}/api/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ bot_id: e2e.botId, visitor_name: name }),
  }).then((r) => r.json());
  assert.ok(started.conversation, `the conversation started: ${JSON.stringify(started)}`);
  const auth = { Authorization: `Bearer ${started.token}` };
  const url = `${e2e.baseUrl}/api/v1/widget/conversations/${started.conversation.id}`;
  await fetch(`${url}/messages`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: request, client_id: `c-${Date.now()}` }),
  });
  // The request may have handed the conversation off by itself (it asks for a person).
  const asked = await fetch(`${url}/handoff`, { method: 'POST', headers: auth });
  const answer = await asked.text();
  assert.ok(asked.status === 202 || answer.includes('already waiting'), `the handoff was requested: ${answer}`);
  return started.conversation;
}

/** A visitor's page on /demo at `width`×`height`, watched as `name`. */
async function visitorPage(problems, name, { width = 1280, height = 800 } = {}) {
  const context = await e2e.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  watch(page, name, problems);
  await openDemo(page, e2e, e2e.botId);
  await page.locator('button.launcher').waitFor({ timeout: STEP_MS });
  return page;
}

async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Fails if the page scrolls sideways. */
async function assertNoSideways(page, what) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide in a ${client} px window`);
}

test('the widget passes axe closed, open, waiting for a person and offering the contact form', async () => {
  failures += 1;
  const problems = [];
  const panel = await openPanel(e2e, e2e.admin, problems, { status: 'online' });

  const visitor = await visitorPage(problems, 'widget');
  await assertAccessible(visitor, 'the demo page with the widget closed');
  await visitor.click('button.launcher');
  const input = visitor.locator('#baton-input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await visitor.locator('.status:not([hidden])').waitFor({ timeout: STEP_MS });
  await assertAccessible(visitor, 'the widget open');
  await shot(visitor, 'widget-1280');

  // The length counter speaks in characters; bytes are named only when they explain an error.
  await input.fill('a'.repeat(3500));
  assert.match(await visitor.locator('#baton-counter').textContent(), /^\d+ characters left$/);
  await input.fill('é'.repeat(2100));
  assert.match(await visitor.locator('#baton-counter').textContent(), /^Too long by about \d+ characters$/);
  assert.match(await visitor.locator('#baton-error').textContent(), /too long.*bytes/);
  await input.fill('');
  assert.equal(await visitor.locator('#baton-error').textContent(), '', 'the error goes once the message fits');

  await input.fill('I want to talk to a human');
  await input.press('Enter');
  try {
    await visitor.locator('.banner:not([hidden])').waitFor({ timeout: PHRASE_GRACE_MS });
  } catch (_) {
    await visitor.click('button.human-button');
    await visitor.locator('.banner:not([hidden])').waitFor({ timeout: STEP_MS });
  }
  await assertAccessible(visitor, 'the widget waiting for a person');
  // No "… is typing" is left showing once the bot's turn ended without a reply.
  await visitor.locator('.typing').waitFor({ state: 'hidden', timeout: 3000 });
  await visitor.locator('.log .msg.visitor:not(.pending)').first().waitFor({ timeout: STEP_MS });
  await visitor.click('button.link-button >> text=Back to the assistant');

  // Nobody online: the widget offers the contact form.
  await setStatus(panel, 'away');
  const offline = await visitorPage(problems, 'widget offline');
  await offline.click('button.launcher');
  await offline.locator('.status[data-kind]:not([hidden])').waitFor({ timeout: STEP_MS });
  // With nobody to chat with, one button leads to the form ("Talk to a person" would too).
  assert.ok(await offline.locator('button.human-button').isHidden(), 'no second button to the same form');
  await offline.click('button.ticket-button');
  await offline.locator('.log .lead .lead-form:visible').waitFor({ timeout: STEP_MS });
  await assertAccessible(offline, 'the widget offering the contact form');
  await offline.click('.lead-submit');
  await offline.locator('.lead [aria-invalid="true"]').first().waitFor({ timeout: STEP_MS });
  await assertAccessible(offline, 'the contact form with an error');

  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me'], 'no page errors');
  failures -= 1;
});

test('the panel passes axe on the queue, a conversation, the tickets and the team', async () => {
  failures += 1;
  const problems = [];
  const panel = await openPanel(e2e, e2e.admin, problems, { status: 'online' });
  await waitingVisitor('Queue Visitor');
  const card = panel.locator('#queue-list .handoff', { hasText: 'Queue Visitor' });
  await card.waitFor({ timeout: STEP_MS });
  await assertAccessible(panel, 'the panel with a waiting handoff');
  for (const width of [1280, 768, 375]) {
    await panel.setViewportSize({ width, height: 800 });
    await shot(panel, `panel-queue-${width}`);
  }
  await panel.setViewportSize({ width: 1280, height: 800 });

  await card.locator('button', { hasText: 'Accept' }).click();
  await panel.locator('#chat-main:not([hidden]) #composer-input:not([disabled])').waitFor({ timeout: STEP_MS });
  await assertAccessible(panel, 'the panel with an open conversation');
  await shot(panel, 'panel-conversation-1280');

  await panel.click('#nav-tickets');
  await panel.locator('#tickets-view:not([hidden])').waitFor({ timeout: STEP_MS });
  await assertAccessible(panel, 'the tickets view');

  await panel.click('#nav-team');
  await panel.locator('#team-view:not([hidden]) #team-rows tr').first().waitFor({ timeout: STEP_MS });
  await assertAccessible(panel, 'the team view');
  await panel.click('#nav-chats');
  await panel.click('#action-resolve');

  // The conversation filters are tabs: one tab stop, arrow keys, Home and End.
  const selectedFilter = () => panel.evaluate(() => document.querySelector('.conversations .filters [aria-selected="true"]').textContent);
  await panel.focus('.conversations .filters [aria-selected="true"]');
  await panel.keyboard.press('ArrowRight');
  assert.equal(await selectedFilter(), 'AI');
  assert.equal(await panel.evaluate(() => document.activeElement.textContent), 'AI', 'the arrow moves focus to the next filter');
  await panel.keyboard.press('End');
  assert.equal(await selectedFilter(), 'Closed');
  await panel.keyboard.press('Home');
  assert.equal(await selectedFilter(), 'All');
  assert.equal(await panel.locator('.conversations .filters [tabindex="0"]').count(), 1, 'one tab stop for the filters');

  // A failed sign-in puts focus back in the form, not on the page.
  const other = await (await e2e.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  watch(other, 'login', problems);
  await signIn(other, `${e2e.baseUrl}/panel`, { email: e2e.admin.email, password: 'not the password' }, '#login-view:not([hidden])');
  await other.locator('#login-error', { hasText: 'Wrong email or password' }).waitFor({ timeout: STEP_MS });
  assert.equal(await other.evaluate(() => document.activeElement.id), 'login-email', 'focus goes to the first field');
  await assertAccessible(other, 'the panel login with an error');

  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me', 'login: HTTP 401 GET /api/v1/me', 'login: HTTP 401 POST /api/v1/auth/login'], 'no page errors');
  failures -= 1;
});

test('the editor passes axe on its tabs and with a validation error showing', async () => {
  failures += 1;
  const problems = [];
  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, 'editor', problems);
  await editorSignIn(page, e2e, e2e.admin);
  await page.locator('#app-view:not([hidden]) #instruction').waitFor({ timeout: STEP_MS });
  await assertAccessible(page, 'the Handoff tab');
  for (const width of [1280, 768, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await shot(page, `editor-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.fill('#instruction', '   ');
  await page.click('#save');
  await page.locator('#dirty-indicator[data-state="error"]').waitFor({ timeout: STEP_MS });
  await assertAccessible(page, 'the Handoff tab with a validation error');
  // "Discard changes" disables itself: focus goes to the form's first field, not the page.
  await page.click('#discard');
  await page.locator('#dirty-indicator:not([data-state="error"])').waitFor({ timeout: STEP_MS });
  assert.notEqual(await page.evaluate(() => document.activeElement.tagName), 'BODY', 'focus stays in the form after discarding');

  await page.click('#tab-knowledge');
  await page.locator('#knowledge:not([hidden])').waitFor({ timeout: STEP_MS });
  await assertAccessible(page, 'the Knowledge tab');
  await page.click('#tab-bot');
  await page.locator('#bot-tool:not([hidden])').waitFor({ timeout: STEP_MS });
  await assertAccessible(page, 'the Bot tab');

  // The server refuses the blank instruction (400): that is the validation error shown.
  assertNoProblems(problems, ['editor: HTTP 401 GET /api/v1/me', /^editor: HTTP 400 PUT \/api\/v1\/bots\/[^/]+\/handoff$/], 'no page errors');
  failures -= 1;
});

test('a visitor and an agent go through a whole handoff with the keyboard alone', async () => {
  failures += 1;
  const problems = [];
  const panel = await openPanel(e2e, e2e.admin, problems, { status: 'online' });
  const visitor = await visitorPage(problems, 'widget keyboard');

  // The visitor tabs to the launcher and opens the chat; focus lands in the message box.
  await tabUntil(visitor, (el) => el.inWidget && el.className.includes('launcher'), { what: 'the launcher' });
  await visitor.keyboard.press('Enter');
  await visitor.locator('#baton-input').waitFor({ state: 'visible', timeout: STEP_MS });
  assert.equal((await deepActive(visitor)).id, 'baton-input', 'opening the chat puts focus in the message box');
  await visitor.keyboard.type('Hello, I have a question about my order');
  await visitor.keyboard.press('Enter');
  await visitor.locator('.log .msg.bot:not(.greeting):not(.draft)').first().waitFor({ timeout: STEP_MS });

  // …then tabs to "Talk to a person" (backwards from the message box) and presses Enter.
  await tabUntil(visitor, (el) => el.className.includes('human-button'), { back: true, max: 10, what: '"Talk to a person"' });
  await visitor.keyboard.press('Enter');
  await visitor.locator('.banner:not([hidden])').waitFor({ timeout: STEP_MS });

  // The agent tabs to the waiting visitor's Accept button and presses Enter.
  await panel.locator('#queue-list .handoff').first().waitFor({ timeout: STEP_MS });
  await panel.evaluate(() => document.activeElement && document.activeElement.blur());
  const asked = 'Hello, I have a question about my order';
  await tabUntil(panel, (el) => el.tag === 'button' && el.text === 'Accept' && el.within.includes(asked), { max: 80, what: 'Accept' });
  await panel.keyboard.press('Enter');
  await panel.locator('#chat-main:not([hidden]) #composer-input:not([disabled])').waitFor({ timeout: STEP_MS });
  await tabUntil(panel, (el) => el.id === 'composer-input', { max: 60, what: 'the reply box' });
  const reply = 'Hello, this is the support team. Let me look at your order.';
  await panel.keyboard.type(reply);
  await panel.keyboard.press('Enter');
  await visitor.locator('.log .msg.agent .bubble', { hasText: reply }).waitFor({ timeout: STEP_MS });

  // The visitor answers (focus went back to the message box), then closes the chat with Escape.
  await tabUntil(visitor, (el) => el.id === 'baton-input', { max: 10, what: 'the message box' });
  await visitor.keyboard.type('Thank you!');
  await visitor.keyboard.press('Enter');
  await panel.locator('#messages .m.visitor .bubble', { hasText: 'Thank you!' }).waitFor({ timeout: STEP_MS });
  await visitor.keyboard.press('Escape');
  await visitor.locator('#baton-input').waitFor({ state: 'hidden', timeout: STEP_MS });
  assert.ok((await deepActive(visitor)).className.includes('launcher'), 'Escape returns focus to the launcher');

  // The agent resolves from the keyboard.
  await tabUntil(panel, (el) => el.id === 'action-resolve', { max: 60, what: 'Resolve' });
  await panel.keyboard.press('Enter');
  await visitor.keyboard.press('Enter');
  await visitor.locator('.log .sys.important', { hasText: 'left the chat' }).waitFor({ timeout: STEP_MS });

  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me'], 'no page errors');
  failures -= 1;
});

test('on a phone the open widget keeps focus, holds the page still and closes with Escape', async () => {
  failures += 1;
  const problems = [];
  const visitor = await visitorPage(problems, 'widget phone', { width: 375, height: 700 });
  await visitor.evaluate(() => window.scrollTo(0, 300));
  const scrolled = await visitor.evaluate(() => window.scrollY);
  await shot(visitor, 'demo-375');
  await visitor.click('button.launcher');
  await visitor.locator('#baton-input').waitFor({ state: 'visible', timeout: STEP_MS });
  await visitor.locator('.status:not([hidden])').waitFor({ timeout: STEP_MS });
  await shot(visitor, 'widget-375');
  await assertAccessible(visitor, 'the widget open on a phone');

  // Tab past Send and around: focus never leaves the open widget.
  await visitor.fill('#baton-input', 'Hi');
  await tabUntil(visitor, (el) => el.className.includes('send'), { max: 10, what: 'Send' });
  for (let i = 0; i < 12; i += 1) {
    await visitor.keyboard.press('Tab');
    const el = await deepActive(visitor);
    assert.ok(el && el.inWidgetPanel, `Tab ${i + 1} after Send stays in the open widget (focus: ${JSON.stringify(el)})`);
  }
  for (let i = 0; i < 12; i += 1) {
    await visitor.keyboard.press('Shift+Tab');
    const el = await deepActive(visitor);
    assert.ok(el && el.inWidgetPanel, `Shift+Tab ${i + 1} stays in the open widget (focus: ${JSON.stringify(el)})`);
  }

  // The page behind does not scroll.
  await visitor.mouse.move(180, 30);
  await visitor.mouse.wheel(0, 600);
  await visitor.waitForTimeout(300);
  assert.equal(await visitor.evaluate(() => window.scrollY), scrolled, 'the page behind the open widget does not scroll');

  // Escape closes it wherever focus is (here, on the close button), and focus returns to the launcher.
  await tabUntil(visitor, (el) => el.className.includes('close'), { max: 20, what: 'Close' });
  await visitor.keyboard.press('Escape');
  await visitor.locator('#baton-input').waitFor({ state: 'hidden', timeout: STEP_MS });
  assert.ok((await deepActive(visitor)).className.includes('launcher'), 'focus returns to the launcher');
  assert.equal(await visitor.evaluate(() => window.scrollY), scrolled, 'the page is where the visitor left it');
  await visitor.mouse.wheel(0, 200);
  await visitor.waitForTimeout(300);
  assert.ok((await visitor.evaluate(() => window.scrollY)) > scrolled, 'the page scrolls again once the widget is closed');

  assertNoProblems(problems, [], 'no page errors');
  failures -= 1;
});

test('a long right-to-left name and request with emoji do not widen the panel at 375 px', async () => {
  failures += 1;
  const problems = [];
  const panel = await openPanel(e2e, e2e.admin, problems, { status: 'online' });
  await waitingVisitor(LONG_RTL_NAME, LONG_RTL_REQUEST);
  await panel.setViewportSize({ width: 375, height: 700 });
  const card = panel.locator('#queue-list .handoff').first();
  await card.waitFor({ timeout: STEP_MS });
  await assertNoSideways(panel, 'the queue at 375 px');
  await shot(panel, 'panel-rtl-375');
  await card.locator('button', { hasText: 'Accept' }).click();
  await panel.locator('#chat-main:not([hidden]) #composer-input:not([disabled])').waitFor({ timeout: STEP_MS });
  await assertNoSideways(panel, 'the conversation at 375 px');
  await shot(panel, 'panel-rtl-conversation-375');
  await panel.click('#action-resolve');

  assertNoProblems(problems, ['panel: HTTP 401 GET /api/v1/me'], 'no page errors');
  failures -= 1;
});
