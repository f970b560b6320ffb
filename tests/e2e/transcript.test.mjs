// Browser end-to-end test of the transcript by email: after an agent resolves the chat, the
// visitor asks for the conversation by email, types their address, and a real SMTP server (Python's
// aiosmtpd, which the test command installs) receives it.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test, after } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { STEP_MS, assertNoProblems, freePort, openPanel, startLiveChat, useBaton } from './harness.mjs';

let failures = 0;
let smtp = null;
let smtpPort = 0;
let maildir = null;

const e2e = useBaton({
  dataDirPrefix: 'baton-e2e-transcript-',
  async beforeStart() {
    smtpPort = await freePort();
    maildir = await mkdtemp(path.join(os.tmpdir(), 'baton-e2e-mail-'));
    smtp = spawn('python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', path.join(maildir, 'box')], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 800));
  },
  serveArgs: () => ['--smtp-host', '127.0.0.1', '--smtp-port', String(smtpPort), '--smtp-tls', 'none', '--smtp-from', 'Baton <baton@example.com>'],
  failed: () => failures > 0,
});

after(async () => {
  if (smtp) smtp.kill();
  if (maildir) await rm(maildir, { recursive: true, force: true }).catch(() => {});
});

async function mails() {
  const dir = path.join(maildir, 'box', 'new');
  const names = await readdir(dir).catch(() => []);
  return Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
}

test('after a resolve the visitor has the conversation emailed', async () => {
  failures += 1;
  const { admin } = e2e;
  const problems = [];
  const panel = await openPanel(e2e, admin, problems, { status: 'online' });
  const { context, visitor } = await startLiveChat(e2e, panel, problems, 'Can you check my invoice 2024-17?');
  await panel.locator('#composer-input:not([disabled])').fill('Done: the invoice is corrected.');
  await panel.press('#composer-input', 'Enter');
  await visitor.locator('.msg .bubble', { hasText: 'invoice is corrected' }).waitFor({ timeout: STEP_MS });
  await panel.click('#action-resolve');

  // ---- the visitor asks for it, gives an address, and it arrives
  const ask = visitor.locator('button.link-button', { hasText: 'Email me this conversation' });
  await ask.waitFor({ timeout: STEP_MS });
  await ask.click();
  await visitor.fill('#baton-transcript-email', 'vera@example.com');
  await visitor.press('#baton-transcript-email', 'Enter');
  await visitor.locator('.transcript-status', { hasText: 'Sent to vera@example.com' }).waitFor({ timeout: STEP_MS });
  let received = [];
  for (let i = 0; i < 100 && received.length === 0; i += 1) {
    received = await mails();
    if (!received.length) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(received.length, 1, 'one email');
  const mail = received[0].replace(/=\r?\n/g, '');
  assert.match(mail, /To: vera@example\.com/);
  assert.match(mail, /invoice 2024-17/);
  assert.match(mail, /the invoice is corrected/);

  assertNoProblems(problems, [/panel: HTTP 401 GET \/api\/v1\/me/]);
  failures -= 1;
});
