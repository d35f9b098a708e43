// (live) Live delivery on the pages: Mira has her conversation with the
//     group leader open in one browser context; the group leader writes in
//     another. The message appears on Mira's page without a reload, is
//     announced in the polite live region, focus stays where it was, the
//     navigation's count follows, and the page still passes axe-core and
//     the structural checks.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MEMBER, guardedContext, launch, pageProblems, signIn, url, visit } from '../lib.js';

const MODERATOR = 'moderator@demo.kindred.invalid';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function signedIn(email) {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  const page = await context.newPage();
  const response = await signIn(page, email);
  assert.equal(response.status(), 200, `sign-in as ${email}`);
  return { context, page };
}

test('a message arrives in an open conversation in another browser', { timeout: 120_000 }, async () => {
  const mira = await signedIn(DEMO_MEMBER);
  await visit(mira.page, url('/a/demo/messages?lang=en'));
  const link = mira.page.locator('main .entry-list a', { hasText: 'Gruppenleiter Jonas' }).first();
  const href = await link.getAttribute('href');
  assert.ok(href, 'Mira has a conversation with the group leader');
  const path = new URL(href, mira.page.url()).pathname;

  const socket = mira.page.waitForEvent('websocket', { timeout: 15_000 });
  await visit(mira.page, url(`${path}?lang=en`));
  const ws = await socket;
  assert.match(ws.url(), /\/a\/demo\/api\/v1\/live$/, 'the page opens the live socket on its own origin');
  // Wait until the socket is open before the other side writes.
  await mira.page.waitForTimeout(500);
  const focusedBefore = await mira.page.evaluate(() => document.activeElement && document.activeElement.tagName);

  const leader = await signedIn(MODERATOR);
  await visit(leader.page, url(`${path}?lang=en`));
  const text = `Live from the other browser ${Date.now()}`;
  await leader.page.locator('#body').fill(text);
  await Promise.all([
    leader.page.waitForNavigation({ waitUntil: 'load' }),
    leader.page.locator('#composer button[type="submit"]').click(),
  ]);

  const arrived = mira.page.locator('main ol.posts li.post', { hasText: text });
  await arrived.waitFor({ timeout: 15_000 });
  const sender = await arrived.locator('.post-meta strong').textContent();
  assert.equal(sender, 'Gruppenleiter Jonas', 'the sender is named as on the page');
  await mira.page.waitForFunction(
    () => (document.getElementById('live-status')?.textContent || '').includes('Gruppenleiter Jonas'),
    null,
    { timeout: 5_000 },
  );
  const politeness = await mira.page.locator('#live-status').getAttribute('aria-live');
  assert.equal(politeness, 'polite');
  const focusedAfter = await mira.page.evaluate(() => document.activeElement && document.activeElement.tagName);
  assert.equal(focusedAfter, focusedBefore, 'focus did not move');
  // The new message is the last one, as on a reloaded page.
  const last = await mira.page.locator('main ol.posts li.post').last().textContent();
  assert.ok(last.includes(text), 'appended at the bottom');

  const problems = await pageProblems(mira.page, null);
  assert.deepEqual(problems, [], problems.join('\n'));

  // A reload shows the same message once (no duplicate from the script).
  await visit(mira.page, url(`${path}?lang=en`));
  assert.equal(await mira.page.locator('main ol.posts li.post', { hasText: text }).count(), 1);
  await leader.context.close();
  await mira.context.close();
});
