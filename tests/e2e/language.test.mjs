// Browser end-to-end test of the widget in the visitor's language: on a customer's page (another
// origin, served by the test) whose <html lang="de">, the widget speaks German (the launcher's
// name, the message box, "talk to a person", the availability line); the script's data-lang="fr"
// forces French over the page's language; a page without a language follows the browser's.
// And the admin's own texts: a German greeting written in the Agent Editor's Bot tool greets a
// German page's visitors, while an English page shows the greeting as written; a German offline
// message is saved from the Handoff tool the same way.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import http from 'node:http';
import assert from 'node:assert/strict';
import { STEP_MS, apiLogin, assertAccessible, assertNoProblems, editorSignIn, useBaton, watch } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-language-', failed: () => failures > 0 });

/** The widget's texts in `lang`, as the server serves them. */
async function stringsFor(botId, lang) {
  const res = await fetch(`${e2e.baseUrl}/api/v1/widget/bots/${botId}?lang=${lang}`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.lang, lang);
  return body.strings;
}

/** Opens the page in a browser whose own language is `locale`, and checks the widget's words. */
async function expectWidgetIn(pageUrl, locale, lang, s, problems, name) {
  const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 760 }, locale });
  const page = await context.newPage();
  watch(page, name, problems, { dialogs: [] });
  await page.goto(pageUrl);
  const launcher = page.locator('button.launcher');
  // The texts arrive with the bot: the launcher is renamed before the visitor opens the chat.
  await page.locator(`button.launcher[aria-label="${s.launcher_open}"]`).waitFor({ timeout: STEP_MS });
  await launcher.click();
  await page.locator('.panel:not([hidden])').waitFor({ timeout: STEP_MS });
  assert.equal(await launcher.getAttribute('aria-label'), s.close_chat, `${name}: the open launcher's name`);
  assert.equal(await page.getAttribute('#baton-input', 'placeholder'), s.composer_placeholder, `${name}: the composer`);
  assert.equal(await page.getAttribute('#baton-input', 'aria-label'), s.message_label, `${name}: the composer's name`);
  assert.equal(await page.getAttribute('button.send', 'aria-label'), s.send_message, `${name}: the send button`);
  assert.equal((await page.locator('.human-button').textContent()).trim(), s.talk_to_person, `${name}: talk to a person`);
  assert.equal(await page.getAttribute('button.close', 'aria-label'), s.close_chat, `${name}: the close button`);
  assert.equal(await page.textContent('.titles p:not(.status)'), s.subtitle_ai, `${name}: the subtitle`);
  assert.equal(await page.textContent('.brand'), s.powered_by, `${name}: the footer`);
  // The availability line is one of the language's own (which one depends on the demo bot's day).
  const status = page.locator('.status:not([hidden]) .status-text');
  await status.waitFor({ timeout: STEP_MS });
  const line = await status.textContent();
  const lines = [s.status_online, s.status_away_message, s.status_away, s.status_offline_message, s.status_offline, s.status_message];
  const back = s.status_away_back.split('{when}')[0];
  assert.ok(lines.includes(line) || line.startsWith(back), `${name}: the availability line "${line}"`);
  // The shadow root says which language its texts are in, for screen readers' pronunciation.
  assert.equal(await page.getAttribute('.root', 'lang'), lang, `${name}: the widget's lang attribute`);
  await context.close();
}

test('the widget speaks the page\'s language, data-lang forces one, and the browser\'s is the fallback', async () => {
  failures += 1;
  const problems = [];
  let { botId } = e2e;
  if (!botId) {
    const session = await apiLogin(e2e, e2e.admin);
    botId = (await session.ok('GET', '/bots')).bots[0].id;
  }
  const [de, fr, es, en] = await Promise.all(['de', 'fr', 'es', 'en'].map((lang) => stringsFor(botId, lang)));
  assert.equal(de.talk_to_person, 'Mit einer Person sprechen');
  assert.equal(en.talk_to_person, 'Talk to a person');

  // A customer's site on another origin: its pages differ only in their language and the snippet.
  const pages = {
    '/de': { htmlLang: 'de', dataLang: null },
    '/de-fr': { htmlLang: 'de', dataLang: 'fr' },
    '/none': { htmlLang: null, dataLang: null },
  };
  const site = http.createServer((req, res) => {
    const p = pages[req.url];
    if (!p) {
      res.writeHead(404).end();
      return;
    }
    const lang = p.htmlLang ? ` lang="${p.htmlLang}"` : '';
    const force = p.dataLang ? ` data-lang="${p.dataLang}"` : '';
    const snippet = `<script src="${e2e.baseUrl}/widget.js" data-bot="${botId}"${force} async></script>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html${lang}><meta charset="utf-8"><title>Shop</title><body><h1>Shop</h1>${snippet}</body></html>`);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${site.address().port}`;
  try {
    // The page is German, the browser English: German.
    await expectWidgetIn(`${origin}/de`, 'en-US', 'de', de, problems, 'de page');
    // data-lang="fr" on the script wins over the page's German.
    await expectWidgetIn(`${origin}/de-fr`, 'en-US', 'fr', fr, problems, 'forced fr');
    // A page that names no language: the browser's (Spanish).
    await expectWidgetIn(`${origin}/none`, 'es-ES', 'es', es, problems, 'es browser');
  } finally {
    site.close();
  }
  assertNoProblems(problems, [], 'no page errors, console errors or failed requests');
  failures -= 1;
});

/** Serves pages of a customer's site on another origin: `/de` in German, `/en` in English. */
async function customerSite(botId) {
  const site = http.createServer((req, res) => {
    const lang = { '/de': 'de', '/en': 'en' }[req.url];
    if (!lang) {
      res.writeHead(404).end();
      return;
    }
    const snippet = `<script src="${e2e.baseUrl}/widget.js" data-bot="${botId}" async></script>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>Shop</title><body><h1>Shop</h1>${snippet}</body></html>`);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  return { site, origin: `http://localhost:${site.address().port}` };
}

/** The greeting a visitor of `url` sees when they open the chat. */
async function greetingOn(url, problems, name) {
  const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
  const page = await context.newPage();
  watch(page, name, problems, { dialogs: [] });
  await page.goto(url);
  await page.locator('button.launcher').click();
  const greeting = page.locator('.msg.greeting:not([hidden]) .bubble');
  await greeting.waitFor({ timeout: STEP_MS });
  const text = (await greeting.textContent()).trim();
  await context.close();
  return text;
}

test('an admin writes a German greeting in the editor: German pages show it, English ones the greeting as written', async () => {
  failures += 1;
  const problems = [];
  const session = await apiLogin(e2e, e2e.admin);
  const bot = (await session.ok('GET', '/bots')).bots[0];
  const german = 'Hallo! Fragen Sie mich gern alles zu unserem Shop.';

  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watch(page, 'editor', problems, { dialogs: [] });
  await editorSignIn(page, e2e, e2e.admin);
  await page.locator('#editor[data-loaded="true"]').waitFor({ timeout: STEP_MS });
  // The Handoff tool's texts have theirs too: a German offline message, saved with the rest.
  await page.click('#offline-message-translations > summary');
  assert.equal(await page.getAttribute('#offline-message-tr-de', 'placeholder'), bot.handoff.offline_message);
  await page.fill('#offline-message-tr-de', 'Gerade ist niemand da. Möchten Sie ein Ticket eröffnen?');
  await page.locator('#dirty-indicator[data-state="dirty"]').waitFor({ timeout: STEP_MS });
  await page.click('#save');
  await page.locator('#dirty-indicator[data-state="saved"]').waitFor({ timeout: STEP_MS });
  assert.deepEqual((await session.ok('GET', '/bots')).bots[0].handoff.translations, {
    de: { offline_message: 'Gerade ist niemand da. Möchten Sie ein Ticket eröffnen?' },
  });
  await page.click('#tab-bot');
  await page.locator('#bot-tool:not([hidden])').waitFor({ timeout: STEP_MS });
  // The translations are folded away until asked for; each shows the greeting as written.
  assert.equal(await page.isVisible('#bt-greeting-tr-de'), false, 'folded at first');
  await page.click('#bt-greeting-translations > summary');
  await page.locator('#bt-greeting-tr-de').waitFor({ timeout: STEP_MS });
  assert.equal(await page.getAttribute('#bt-greeting-tr-de', 'placeholder'), bot.greeting);
  assert.equal(await page.getAttribute('#bt-greeting-tr-de', 'lang'), 'de');
  await assertAccessible(page, 'the Bot tool with the greeting\'s translations open', { include: '#bot-tool' });
  // Too long is refused by the server, shown at the German field.
  await page.fill('#bt-greeting-tr-de', 'x'.repeat(500));
  await page.evaluate(() => {
    const area = document.querySelector('#bt-greeting-tr-de');
    area.removeAttribute('maxlength');
    area.value = 'x'.repeat(501);
  });
  await page.click('#bt-save');
  await page.locator('#err-translations-de-greeting', { hasText: 'at most 500' }).waitFor({ timeout: STEP_MS });
  assert.equal(await page.getAttribute('#bt-greeting-tr-de', 'aria-invalid'), 'true');
  await page.fill('#bt-greeting-tr-de', german);
  await page.click('#bt-save');
  await page.locator('#bt-status', { hasText: 'Saved.' }).waitFor({ timeout: STEP_MS });
  assert.equal(await page.textContent('#err-translations-de-greeting'), '');
  const stored = (await session.ok('GET', '/bots')).bots[0];
  assert.deepEqual(stored.translations, { de: { greeting: german } });
  assert.equal(stored.greeting, bot.greeting, 'the greeting as written is unchanged');
  // A reload shows the saved translation, unfolded.
  await page.reload();
  await page.locator('#bot-tool:not([hidden]) #bt-greeting-tr-de').waitFor({ timeout: STEP_MS });
  await page.waitForFunction((text) => document.querySelector('#bt-greeting-tr-de').value === text, german, { timeout: STEP_MS });
  await context.close();

  const { site, origin } = await customerSite(bot.id);
  try {
    assert.equal(await greetingOn(`${origin}/de`, problems, 'de page'), german);
    assert.equal(await greetingOn(`${origin}/en`, problems, 'en page'), bot.greeting);
  } finally {
    site.close();
  }
  // Signing in (not yet signed in) and the refused save are the failed requests expected.
  assertNoProblems(
    problems,
    ['editor: HTTP 401 GET /api/v1/me', /^editor: HTTP 400 PATCH \/api\/v1\/bots\//],
    'no page errors, console errors or other failed requests',
  );
  failures -= 1;
});
