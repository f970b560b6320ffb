// Browser check of the API documentation page: /api/docs (Swagger UI, built into the binary)
// renders the server's own OpenAPI document under the page's Content-Security-Policy, with no
// console error, no CSP violation and no request to another origin.
//
// It builds nothing: harness.mjs starts the `baton` binary on a free port with a fresh data dir
// and drives the Debian Chromium with playwright-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STEP_MS, assertNoProblems, useBaton, watch } from './harness.mjs';

let failures = 0;
const e2e = useBaton({ dataDirPrefix: 'baton-e2e-apidocs-', failed: () => failures > 0 });

test('the API docs page shows every tag of the document', async () => {
  failures += 1;
  const { baseUrl } = e2e;
  const problems = [];
  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, 'docs', problems);
  const foreign = [];
  page.on('request', (req) => {
    if (new URL(req.url()).origin !== new URL(baseUrl).origin) foreign.push(req.url());
  });
  page.on('console', (msg) => {
    // Chromium reports CSP refusals on the console, some as warnings.
    if (/Content Security Policy/i.test(msg.text())) problems.push(`docs: CSP: ${msg.text()}`);
  });

  await page.goto(`${baseUrl}/api/docs`);
  await page.locator('.swagger-ui .info .title', { hasText: 'Baton API' }).waitFor({ timeout: STEP_MS });
  const document = await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json();
  for (const tag of document.tags.map((t) => t.name)) {
    await page.locator(`.opblock-tag[data-tag="${tag}"]`).waitFor({ timeout: STEP_MS });
  }
  // An operation (tags are open, operations closed) opens with its responses.
  await page.locator('#operations-saved-replies-listSavedReplies .opblock-summary').first().click();
  await page.locator('#operations-saved-replies-listSavedReplies .responses-table').first().waitFor({ timeout: STEP_MS });
  if (process.env.BATON_API_DOCS_SCREENSHOT) await page.screenshot({ path: process.env.BATON_API_DOCS_SCREENSHOT });

  assert.deepEqual(foreign, [], 'the page fetched nothing from another origin');
  assertNoProblems(problems, [], 'the docs page ran without errors');
  await context.close();
  failures -= 1;
});
