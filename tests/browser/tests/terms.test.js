// Changed terms of use asked again (issue 20, part 3):
//   1. the demo admin gives the terms a new version on the legal settings page;
//   2. a demo registrant who consented to the earlier version signs in and is
//      led to /account/terms, which passes axe-core and the structural checks
//      in de, en and nl, needs no horizontal scrolling at 390 px, and offers
//      sign-out and deleting the account; accepting (a plain form) leads on
//      to where they were going;
//   3. the demo is restored (the earlier version again, accepted again) so
//      that other checks see it as it was.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, url, visit } from '../lib.js';

/** A registrant of the demo (unverified; consented to the terms at registration). */
const REGISTRANT = 'waiting1@demo.kindred.invalid';

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

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

/** Sets the terms version on the legal settings page; returns the one before. */
async function setTermsVersion(version) {
  const ctx = await context();
  const page = await ctx.newPage();
  await signIn(page, DEMO_ADMIN);
  await visit(page, url('/a/demo/staff/settings/legal?lang=en'));
  const field = page.locator('input[name="admission.terms_version"]');
  const before = await field.inputValue();
  await field.fill(version);
  const response = await submit(page, page.locator('main button[value="save"]'));
  assert.equal(response.status(), 200, `saving the terms version: ${short(page.url())}`);
  assert.match(new URL(page.url()).search, /done=settings-saved/);
  await ctx.close();
  return before;
}

/** Signs in as the registrant and accepts the terms asked for (a plain form). */
async function acceptAsRegistrant(t, check) {
  const ctx = await context();
  const page = await ctx.newPage();
  const response = await signIn(page, REGISTRANT);
  assert.equal(response.status(), 200, `sign-in as ${REGISTRANT}`);
  assert.match(new URL(page.url()).pathname, /\/account\/terms$/, `led to the terms, not ${short(page.url())}`);
  const next = new URL(page.url()).searchParams.get('next');
  if (check) await check(page);
  await visit(page, url(`/a/demo/account/terms?lang=en${next ? `&next=${encodeURIComponent(next)}` : ''}`));
  const accepted = await submit(page, page.locator('main form[action*="/account/terms"] button[type="submit"]'));
  assert.equal(accepted.status(), 200);
  assert.doesNotMatch(new URL(page.url()).pathname, /\/account\/terms$/, 'accepted: on to the page asked for');
  t.diagnostic(`accepted, now at ${short(page.url())}`);
  await ctx.close();
}

test('changed terms are asked again at sign-in on an accessible page', { timeout: 120_000 }, async (t) => {
  const original = await setTermsVersion(`browser-${Date.now()}`);
  try {
    await acceptAsRegistrant(t, async (page) => {
      const main = page.locator('main');
      assert.ok(await main.locator('form[action*="/sign-out"] button').count(), 'sign-out is offered');
      assert.ok(await main.locator('a[href*="/account/delete"]').count(), 'deleting the account is offered');
      const failures = [];
      for (const lang of LANGUAGES) {
        const response = await visit(page, url(`/a/demo/account/terms?lang=${lang}`));
        const problems = await pageProblems(page);
        if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
        if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
        else t.diagnostic(`ok ${lang}`);
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await visit(page, url('/a/demo/account/terms?lang=de'));
      const overflows = await page.evaluate(
        () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
      );
      assert.ok(!overflows, 'no horizontal scrolling at 390 px');
      await page.setViewportSize({ width: 1280, height: 900 });
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  } finally {
    // Restore the demo: the earlier version, accepted again by the registrant.
    await setTermsVersion(original);
    await acceptAsRegistrant(t);
  }
});
