// (n) Notifications, signed in as a demo member: the notification centre,
//     the e-mail settings with quiet hours and the unsubscribe page (an
//     unknown link, signed out) pass axe-core and the structural checks in
//     de/en/nl; quiet hours are set with the keyboard only, without
//     JavaScript; two replies to a topic of Mira's are one entry of her
//     notification centre ("2 replies", axe-core in de/en/nl), whose link
//     leads to the first of them and which is marked read without
//     JavaScript.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MEMBER, DEMO_MEMBER_2, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, tabTo, url, visit } from '../lib.js';

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

/** Sends the form around `selector` with the keyboard-free click of a user, waiting for the next page. */
async function submit(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  assert.ok(response.status() < 400, `${selector} answered ${response.status()}`);
  return response;
}

test('replies about one topic are one entry, marked read without JavaScript', { timeout: 300_000 }, async (t) => {
  // Mira opens a topic (she follows it as its author).
  const mira = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  const page = await mira.context.newPage();
  assert.equal((await signIn(page, DEMO_MEMBER)).status(), 200, 'sign-in as Mira');
  await visit(page, url('/a/demo/forum?lang=en'));
  const categoryHref = await page.locator('main a[href*="/forum/categories/"]').first().getAttribute('href');
  const category = new URL(categoryHref, page.url()).pathname.split('/').pop();
  await visit(page, url(`/a/demo/forum/new?category=${category}&lang=en`));
  const title = `Grouped ${Date.now()}`;
  await page.fill('#title', title);
  await page.fill('#body', 'Who else reads the notification centre?');
  await submit(page, 'main form button.primary');
  const topic = new URL(page.url()).pathname;
  assert.match(topic, /\/forum\/topics\/[a-z2-7]{26}$/, `a topic page after posting, got ${page.url()}`);

  // Tom answers twice.
  const tom = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  const tomPage = await tom.context.newPage();
  assert.equal((await signIn(tomPage, DEMO_MEMBER_2)).status(), 200, 'sign-in as Tom');
  for (const text of ['First answer', 'Second answer']) {
    await visit(tomPage, url(`${topic}?lang=en`));
    await tomPage.fill('#reply textarea#body', text);
    await submit(tomPage, '#reply button.primary');
  }
  await tom.context.close();

  // One entry for both, with its count; axe-core and the structure in every language.
  const failures = [];
  for (const lang of LANGUAGES) {
    await check(page, `/a/demo/notifications?lang=${lang}`, 200, failures, t);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  await visit(page, url('/a/demo/notifications?lang=en'));
  const entry = page.locator('main li', { hasText: title }).first();
  assert.match(await entry.locator('h2').textContent(), /2 replies/);
  const href = await entry.locator(`a[href*="${topic}"]`).first().getAttribute('href');
  assert.match(href, /#post-2$/, 'the link leads to the first unread reply');
  await mira.context.close();

  // Without JavaScript: the entry's button marks both read.
  const nojs = await guardedContext(browser, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false }, foreign);
  const plain = await nojs.context.newPage();
  assert.equal((await signIn(plain, DEMO_MEMBER)).status(), 200, 'sign-in without JavaScript');
  await visit(plain, url('/a/demo/notifications?lang=en'));
  const unread = plain.locator('main li.unread', { hasText: title }).first();
  assert.equal(await unread.count(), 1, 'the entry is unread');
  await submit(plain, `main li.unread:has-text("${title}") form button[type=submit]`);
  assert.match(plain.url(), /\/a\/demo\/notifications/);
  assert.equal(await plain.locator('main li.unread', { hasText: title }).count(), 0, 'read now');
  assert.match(await plain.locator('main li', { hasText: title }).first().locator('h2').textContent(), /2 replies/);
  await nojs.context.close();
});
