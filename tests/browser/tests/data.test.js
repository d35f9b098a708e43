// The member's data pages (issue 20, parts 1 and 5), signed in as a demo member:
//   1. without JavaScript: ask for a copy, see it being prepared, then ready,
//      download it (a ZIP) once, and see it as downloaded;
//   2. then (with a copy downloaded and one still listed) /account/data and
//      /account/access-log pass axe-core and the structural checks in de, en
//      and nl, and the account page links to both. (axe-core runs as a
//      script, so it cannot run in the context without JavaScript.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MEMBER_2, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, url, visit } from '../lib.js';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function context(options = {}) {
  const { context: ctx } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, ...options }, foreign);
  return ctx;
}

test('without JavaScript: ask for a copy, wait for it, download it once', { timeout: 90_000 }, async (t) => {
  const ctx = await context({ javaScriptEnabled: false, acceptDownloads: true });
  const page = await ctx.newPage();
  await signIn(page, DEMO_MEMBER_2);
  await visit(page, url('/a/demo/account/data?lang=en'));
  const ask = page.locator('main form[action*="/account/data/export"] button[type="submit"]');
  assert.equal(await ask.count(), 1, 'a button asks for a copy');
  t.diagnostic('asking');
  const [asked] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), ask.click()]);
  assert.equal(asked.status(), 200);
  assert.match(page.url(), /done=export-requested/);

  // Built in the background: "Check again" until it is ready.
  const download = page.locator('main form[action*="/download"] button[type="submit"]');
  for (let i = 0; i < 60 && (await download.count()) === 0; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await visit(page, url('/a/demo/account/data?lang=en'));
  }
  assert.equal(await download.count() > 0, true, 'the copy became ready');

  t.diagnostic('downloading');
  const [file] = await Promise.all([page.waitForEvent('download'), download.first().click()]);
  assert.equal(file.suggestedFilename(), 'my-data.zip');
  const stream = await file.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP file');

  await visit(page, url('/a/demo/account/data?lang=en'));
  assert.match(await page.locator('main').innerText(), /Downloaded/, 'the copy shows as downloaded');
  await ctx.close();
});

test('the data and access-log pages pass axe-core in every language and are linked from the account', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const signedIn = await signIn(page, DEMO_MEMBER_2);
  assert.equal(signedIn.status(), 200, `sign-in as ${DEMO_MEMBER_2}`);
  const failures = [];
  for (const lang of LANGUAGES) {
    for (const path of [`/a/demo/account/data?lang=${lang}`, `/a/demo/account/access-log?lang=${lang}`]) {
      const response = await visit(page, url(path));
      const problems = await pageProblems(page);
      if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
      if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
      else t.diagnostic(`ok ${path}`);
    }
  }
  await visit(page, url('/a/demo/account?lang=en'));
  assert.equal(await page.locator('main a[href*="/account/data"]').count() > 0, true, 'the account page links to the data page');
  assert.equal(await page.locator('main a[href*="/account/access-log"]').count() > 0, true, 'the account page links to the access log');
  assert.deepEqual(failures, [], failures.join('\n'));
  await ctx.close();
});
