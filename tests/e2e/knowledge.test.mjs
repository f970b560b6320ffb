// Browser end-to-end test of the bots' knowledge and of streamed replies: an admin adds
// a Q&A entry in the Agent Editor's Knowledge tool (an empty answer is refused inline first),
// tests a question and sees the entry as the hit, adds and deletes a document (confirmed in the
// page); then a visitor asks that question in the widget and gets the answer naming its source
// ("From our FAQ"), streamed: the live preview bubble fills with the pieces and is replaced by
// the stored reply, never left behind.
//
// The answers come from a stand-in OpenAI-compatible chat-completions server started here (it
// streams server-sent events, slowly enough to see the preview, and answers from the knowledge
// in its prompt), so the `delta` frames are real. Like the other files it builds nothing:
// harness.mjs starts the `baton` binary on a free port with a fresh data dir and drives the
// Debian Chromium with playwright-core. Any dialog, page error, console error or failed request fails the test.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { SCREENSHOTS, STEP_MS, assertNoProblems, editorSignIn, openDemo, useBaton, watch } from './harness.mjs';

const QUESTION = 'What are your opening hours?';
const ANSWER = 'We are open Monday to Friday, 9:00 to 18:00 CET.';
/** The stand-in model streams its answer in pieces this far apart. */
const PIECE_MS = 250;

let llm;
let llmRequests = 0;
let passed = false;

/**
 * A stand-in chat-completions API: answers with the FAQ answer found in the prompt (the way a
 * model told to name its source would), streamed as server-sent events in a few pieces.
 */
function startLlm() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', async () => {
        llmRequests += 1;
        let body = {};
        try {
          body = JSON.parse(raw);
        } catch (_) {
          /* answered anyway */
        }
        const prompt = (body.messages || []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
        const faq = /From our FAQ — Q: [^\n]*\nA: ([^\n]+)/.exec(prompt);
        const text = faq ? 'From our FAQ: ' + faq[1].trim() : 'I am not sure about that, sorry.';
        const pieces = text.match(/.{1,12}(\s|$)|.{1,12}/g) || [text];
        const chunk = (delta, finish) =>
          'data: ' +
          JSON.stringify({ id: 'e2e', object: 'chat.completion.chunk', model: body.model || 'e2e', choices: [{ index: 0, delta, finish_reason: finish }] }) +
          '\n\n';
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.write(chunk({ role: 'assistant', content: '' }, null));
        for (const piece of pieces) {
          await new Promise((r) => setTimeout(r, PIECE_MS));
          res.write(chunk({ content: piece }, null));
        }
        res.write(chunk({}, 'stop'));
        res.end('data: [DONE]\n\n');
      });
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

after(() => {
  if (llm) llm.close();
});
const e2e = useBaton({
  dataDirPrefix: 'baton-e2e-knowledge-',
  async beforeStart() {
    llm = await startLlm();
  },
  serveArgs: () => ['--llm-base-url', `http://127.0.0.1:${llm.address().port}/v1`, '--llm-model', 'e2e'],
  serveEnv: { BATON_LLM_API_KEY: '' },
  failed: () => !passed,
});

test('an admin adds a Q&A entry and tests it; a visitor gets the answer, streamed, naming its source', async () => {
  const { baseUrl, admin, botId, browser } = e2e;
  const dialogs = [];
  const problems = [];
  await mkdir(SCREENSHOTS, { recursive: true });

  // ---- the admin opens the Agent Editor's Knowledge tool (UTC browser: the handoff form stays clean)
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' });
  const editor = await adminContext.newPage();
  watch(editor, 'editor', problems, { dialogs });
  await editorSignIn(editor, e2e, admin);
  await editor.locator('#editor[data-loaded="true"]').waitFor({ timeout: STEP_MS });
  await editor.click('#tab-knowledge');
  await editor.locator('#knowledge[data-loaded="true"]:not([hidden])').waitFor({ timeout: STEP_MS });
  assert.ok(await editor.locator('#editor').isHidden(), 'the Handoff tool is hidden behind its tab');
  assert.equal(new URL(editor.url()).hash, '#knowledge', 'the address names the tool');
  // The first run gives the demo bot a few Q&A entries and a guide.
  await editor.locator('#kn-qa .kn-entry', { hasText: 'How long does shipping take?' }).waitFor({ timeout: STEP_MS });
  await editor.locator('#kn-docs .kn-entry', { hasText: 'Demo shop guide' }).waitFor({ timeout: STEP_MS });

  // ---- a Q&A entry: an empty answer is refused inline, then it is added
  await editor.click('#kn-add-qa');
  await editor.getByLabel('Question', { exact: true }).fill(QUESTION);
  await editor.locator('#kn-new-qa').getByRole('button', { name: 'Add' }).click();
  await editor.locator('#kn-new-qa-body-error', { hasText: 'Write the answer' }).waitFor({ timeout: STEP_MS });
  assert.equal(await editor.getAttribute('#kn-new-qa-body', 'aria-invalid'), 'true', 'the answer field is marked invalid');
  await editor.getByLabel('Answer', { exact: true }).fill(ANSWER);
  await editor.locator('#kn-new-qa').getByRole('button', { name: 'Add' }).click();
  const entry = editor.locator('#kn-qa .kn-entry', { hasText: QUESTION });
  await entry.waitFor({ timeout: STEP_MS });
  assert.equal(await entry.locator('.kn-body').textContent(), ANSWER);
  assert.equal(await editor.locator('#kn-new-qa form').count(), 0, 'the new-entry form closes once added');
  assert.ok(await editor.locator('#editor').evaluate((f) => f.dataset.loaded === 'true'), 'the Handoff tool is untouched');
  assert.equal(await editor.getAttribute('#dirty-indicator', 'data-state'), 'clean', 'a knowledge save is not a handoff change');

  // ---- a document, deleted again after an in-page confirmation
  await editor.click('#kn-add-document');
  await editor.getByLabel('Title', { exact: true }).fill('Shipping guide');
  await editor.getByLabel('Markdown', { exact: true }).fill('# Shipping guide\n\n## Returns\n\nReturns are free within 30 days.');
  await editor.locator('#kn-new-document').getByRole('button', { name: 'Add' }).click();
  const doc = editor.locator('#kn-docs .kn-entry', { hasText: 'Shipping guide' });
  await doc.waitFor({ timeout: STEP_MS });
  await doc.getByRole('button', { name: /^Delete document/ }).click();
  await doc.locator('.kn-confirm').waitFor({ timeout: STEP_MS });
  await doc.locator('.kn-confirm').getByRole('button', { name: 'Delete', exact: true }).click();
  await doc.waitFor({ state: 'detached', timeout: STEP_MS });
  assert.equal(await editor.locator('#kn-docs .kn-entry', { hasText: 'Demo shop guide' }).count(), 1, 'only that document is gone');

  // ---- "Test a question" shows the entry as the hit, with its source
  await editor.fill('#kn-test-q', 'when are you open? opening hours');
  await editor.click('#kn-test-run');
  const hit = editor.locator('#kn-hits .kn-hit').first();
  await hit.waitFor({ timeout: STEP_MS });
  assert.equal(await hit.locator('.kn-source').textContent(), 'FAQ: ' + QUESTION, 'the hit names its Q&A entry');
  assert.ok((await hit.locator('.kn-hit-text').textContent()).includes(ANSWER), 'the hit shows the answer');
  await editor.evaluate(() => window.scrollTo(0, 0));
  await editor.screenshot({ path: path.join(SCREENSHOTS, 'editor-knowledge.png') });

  // ---- a visitor asks the question; the reply streams into a preview, then the stored reply replaces it
  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const visitor = await visitorContext.newPage();
  watch(visitor, 'widget', problems, { dialogs });
  const deltas = [];
  visitor.on('websocket', (ws) => {
    ws.on('framereceived', (event) => {
      try {
        const frame = JSON.parse(String(event.payload));
        if (frame.type === 'delta') deltas.push(frame.text);
      } catch (_) {
        /* not JSON */
      }
    });
  });
  await openDemo(visitor, e2e, botId);
  await visitor.locator('button.launcher').click();
  const input = visitor.locator('#baton-input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(QUESTION);
  await input.press('Enter');

  const preview = visitor.locator('.log .msg.bot.draft');
  await preview.waitFor({ timeout: STEP_MS });
  const reply = visitor.locator('.log .msg.bot:not(.draft):not(.greeting) .bubble', { hasText: 'From our FAQ' });
  await reply.waitFor({ timeout: STEP_MS });
  assert.equal(await reply.textContent(), 'From our FAQ: ' + ANSWER, 'the answer names its source');
  assert.equal(await preview.count(), 0, 'no typing bubble is left behind after the answer');
  assert.ok(deltas.length >= 2, `the reply was streamed in pieces (${deltas.length} delta frames)`);
  assert.equal(deltas.join(''), 'From our FAQ: ' + ANSWER, 'the pieces add up to the reply');
  assert.ok(llmRequests >= 1, 'the stand-in model was asked');
  await visitor.screenshot({ path: path.join(SCREENSHOTS, 'widget-knowledge.png') });

  assert.deepEqual(dialogs, [], 'no browser dialog was opened');
  // Before signing in, the editor asks who is signed in and hears 401: that one is expected.
  assertNoProblems(problems, ['editor: HTTP 401 GET /api/v1/me'], 'no page error, console error or failed request');
  await adminContext.close();
  await visitorContext.close();
  passed = true;
});
