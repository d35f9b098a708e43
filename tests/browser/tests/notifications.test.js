// (n) Notifications, signed in as a demo member: the notification centre,
//     the e-mail settings with quiet hours and the unsubscribe page (an
//     unknown link, signed out) pass axe-core and the structural checks in
//     de/en/nl; quiet hours are set with the keyboard only, without
//     JavaScript.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MEMBER, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, tabTo, url, visit } from '../lib.js';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function check(page, path, status, failures, t) {
  const response = await visit(page, url(path));
  const problems = await pageProblems(page, null);
  if (response.status() !== status) problems.unshift(`status ${response.status()}, expected ${status}`);
  if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
  else t.diagnostic(`ok ${path}`);
}

test('notification pages pass axe-core and the structural checks', { timeout: 300_000 }, async (t) => {
  const failures = [];
  const { context, page } = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign)
    .then(async ({ context }) => ({ context, page: await context.newPage() }));
  const response = await signIn(page, DEMO_MEMBER);
  assert.equal(response.status(), 200, 'sign-in');
  for (const lang of LANGUAGES) {
    await check(page, `/a/demo/notifications?lang=${lang}`, 200, failures, t);
    await check(page, `/a/demo/account/notifications?lang=${lang}`, 200, failures, t);
  }
  await context.close();
  const signedOut = await guardedContext(browser, { viewport: { width: 390, height: 844 } }, foreign);
  const anonymous = await signedOut.context.newPage();
  for (const lang of LANGUAGES) {
    await check(anonymous, `/a/demo/unsubscribe?token=made.up.link&lang=${lang}`, 404, failures, t);
  }
  await signedOut.context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('quiet hours are set with the keyboard only, without JavaScript', { timeout: 120_000 }, async () => {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false }, foreign);
  const page = await context.newPage();
  const response = await signIn(page, DEMO_MEMBER);
  assert.equal(response.status(), 200, 'sign-in');
  await visit(page, url('/a/demo/account/notifications?lang=en'));
  await tabTo(page, '#quiet_from');
  await page.keyboard.type('22:00');
  await tabTo(page, '#quiet_to');
  await page.keyboard.type('07:00');
  await tabTo(page, 'main button[type=submit]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /done=notification-settings-saved/);
  assert.equal(await page.inputValue('#quiet_from'), '22:00');
  assert.equal(await page.inputValue('#quiet_to'), '07:00');
  await context.close();
});
