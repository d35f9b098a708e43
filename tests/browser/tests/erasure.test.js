// (k) The member's data pages, with a throwaway member registered here
//     (an unconfirmed account may already erase itself):
//     1. the consents page and both steps of erasing the account pass
//        axe-core and the structural checks, in every language;
//     2. erasing with the keyboard only: choose what happens to the posts,
//        continue, type the password, confirm; then signed out on a neutral
//        page, and the account no longer signs in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES, describeFocus, guardedContext, launch, pageProblems, short, tabTo, url, visit } from '../lib.js';

let browser;
const foreign = [];
const PASSWORD = 'a long sentence I can remember';

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], 'requests to other hosts');
});

function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** A new browser context with a freshly registered (unconfirmed) member signed in. */
async function throwawayMember() {
  const { context: ctx } = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  const page = await ctx.newPage();
  const email = `${unique('erase')}@example.org`;
  await visit(page, url('/a/demo/register?lang=en'));
  await page.locator('#email').fill(email);
  await page.locator('#pseudonym').fill(unique('Gone '));
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#accept_terms').check();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main form button[type="submit"]').first().click()]);
  await visit(page, url('/a/demo/sign-in?lang=en'));
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main form button[type="submit"]').first().click()]);
  return { ctx, page, email };
}

test('consent and erasure pages pass axe-core and the structural checks', async (t) => {
  const { ctx, page } = await throwawayMember();
  const failures = [];
  for (const lang of LANGUAGES) {
    for (const path of ['/account/consents', '/account/delete', '/account/delete/confirm?posts=delete']) {
      const sep = path.includes('?') ? '&' : '?';
      const response = await visit(page, url(`/a/demo${path}${sep}lang=${lang}`));
      const problems = await pageProblems(page, null);
      if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
      if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
      else t.diagnostic(`ok ${path} (${lang})`);
    }
  }
  // The first step without a choice: the error summary passes too.
  const response = await visit(page, url('/a/demo/account/delete/confirm?lang=en'));
  assert.equal(response.status(), 422);
  const problems = await pageProblems(page, null);
  if (problems.length) failures.push(`without a choice:\n    ${problems.join('\n    ')}`);
  await ctx.close();
  assert.deepEqual(failures, []);
});

test('erase the account with the keyboard only, then it no longer signs in', async () => {
  const { ctx, page, email } = await throwawayMember();
  await visit(page, url('/a/demo/account?lang=en'));
  assert.ok(await tabTo(page, 'a[href*="/account/delete"]'), `Tab never reached the delete link (at ${await describeFocus(page)})`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.match(new URL(page.url()).pathname, /\/account\/delete$/);

  assert.ok(await tabTo(page, '#posts-delete'), `Tab never reached the first choice (at ${await describeFocus(page)})`);
  await page.keyboard.press('Space');
  assert.ok(await page.locator('#posts-delete').isChecked(), 'Space did not choose');
  assert.ok(await tabTo(page, 'main form button[type="submit"]', 5), 'Tab never reached Continue');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.match(new URL(page.url()).pathname, /\/account\/delete\/confirm$/);

  assert.ok(await tabTo(page, '#password'), `Tab never reached the password (at ${await describeFocus(page)})`);
  await page.keyboard.type(PASSWORD);
  assert.ok(await tabTo(page, 'main form button[type="submit"]', 3), 'Tab never reached the final button');
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(response.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/account\/deleted$/);
  assert.deepEqual(await pageProblems(page, null), []);
  const cookies = await ctx.cookies();
  assert.ok(!cookies.some((c) => c.name.startsWith('__Host-kindred-demo') && c.value), 'the session cookie is cleared');

  await visit(page, url('/a/demo/sign-in?lang=en'));
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  const [again] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main form button[type="submit"]').first().click()]);
  assert.equal(again.status(), 401, 'an erased account does not sign in');
  await ctx.close();
});
