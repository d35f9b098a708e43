// People in the forum, the compact moderation queue and the confirmations
// (issue 14, items 4, 6 and 8):
//   1. the composer's mention picker, keyboard only: Tab to "Find a member
//      to mention", Enter opens it, type part of a name, Enter finds (it
//      never publishes), Tab to a name, Enter adds `@[Name]` to the draft —
//      axe on every step, at desktop width and at 390 px;
//   2. the moderation queue with its filters as tabs (links with
//      aria-current) passes axe in every language, and a kind tab filters;
//   3. confirmation pages reached by GET (a link, a bookmark, a reload) —
//      removing a passkey (with its password field), revoking an invitation
//      batch, deleting a forum category — pass axe and never act.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_ADMIN,
  DEMO_MEMBER,
  LANGUAGES,
  describeFocus,
  guardedContext,
  launch,
  pageProblems,
  short,
  signIn,
  tabTo,
  url,
  visit,
} from '../lib.js';

const MODERATOR = 'moderator@demo.kindred.invalid';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], 'no request left for another host');
});

async function signedIn(email, width = 1280) {
  const { context } = await guardedContext(browser, { viewport: { width, height: 900 } }, foreign);
  const page = await context.newPage();
  assert.equal((await signIn(page, email)).status(), 200, `sign-in as ${email}`);
  return { context, page };
}

/** Collects the problems of the page as it is now under `what`. */
function checker(t, failures) {
  return async (page, what, status, response) => {
    const problems = await pageProblems(page);
    if (response && response.status() !== status) problems.unshift(`status ${response.status()}, expected ${status}`);
    if (problems.length) failures.push(`${what} (${short(page.url())}):\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${what}`);
  };
}

/** The path of the first link on the current page whose href matches `pattern`. */
async function firstLink(page, pattern) {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const found = hrefs.find((h) => pattern.test(h));
  assert.ok(found, `no link matching ${pattern} on ${short(page.url())}`);
  return new URL(found, page.url()).pathname;
}

async function pressEnterAndWait(page) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  return response;
}

for (const width of [1280, 390]) {
  test(`the mention picker works with the keyboard only at ${width} px`, { timeout: 180_000 }, async (t) => {
    const { context, page } = await signedIn(DEMO_MEMBER, width);
    const failures = [];
    const check = checker(t, failures);
    await visit(page, url('/a/demo/forum?lang=en'));
    const category = await firstLink(page, /\/forum\/categories\/[a-z2-7]{26}/);
    await visit(page, url(`${category}?lang=en`));
    const topic = await firstLink(page, /\/forum\/topics\/[a-z2-7]{26}/);
    await check(page, 'topic with the mention picker', 200, await visit(page, url(`${topic}?lang=en`)));
    // Every post with an author line shows a face or the placeholder.
    assert.equal(
      await page.locator('main .post-head.with-face .face').count(),
      await page.locator('main .post-head.with-face').count(),
      'posts show a face or the placeholder',
    );

    // A draft first, then the picker: the draft must survive each step.
    assert.ok(await tabTo(page, 'textarea#body', 200), `Tab reaches the reply field (${await describeFocus(page)})`);
    await page.keyboard.type('Hello');
    assert.ok(await tabTo(page, 'details.mention-picker > summary', 10), `Tab reaches the picker (${await describeFocus(page)})`);
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('details.mention-picker').evaluate((d) => d.open), true, 'Enter opens it');
    await check(page, 'mention picker open', 200, null);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'mention-pick', 'Tab leads to its search field');

    // Part of a name (the demo's pseudonyms are random: try a few letters).
    let found = false;
    for (const letter of 'aeinorst') {
      await page.locator('#mention-pick').fill(letter);
      await page.locator('#mention-pick').focus();
      const response = await pressEnterAndWait(page);
      assert.ok(response.status() < 400, `finding answered ${response.status()}`);
      assert.match(new URL(page.url()).pathname, /\/reply$/, 'Enter in the search field found, it did not publish');
      assert.equal(await page.locator('textarea#body').inputValue(), 'Hello', 'the draft is kept');
      if (await page.locator('button[name="mention_add"]').count()) {
        found = true;
        break;
      }
    }
    assert.ok(found, 'someone is found');
    await check(page, 'mention picker with results', 200, null);
    assert.ok(await tabTo(page, 'button[name="mention_add"]', 30), `Tab reaches a name (${await describeFocus(page)})`);
    const name = await page.evaluate(() => document.activeElement.value);
    await pressEnterAndWait(page);
    const draft = await page.locator('textarea#body').inputValue();
    const expected = /^[\p{L}\p{N}]+$/u.test(name) ? `@${name}` : `@[${name}]`;
    assert.equal(draft, `Hello ${expected} `, 'the mention is added to the draft');
    assert.ok(await page.locator('details.mention-picker [role="status"]').count(), 'and that is said');
    await check(page, 'mention added', 200, null);
    await context.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

test('the moderation queue is compact, with filters as tabs', { timeout: 180_000 }, async (t) => {
  const { context, page } = await signedIn(MODERATOR);
  const failures = [];
  const check = checker(t, failures);
  for (const lang of LANGUAGES) {
    await check(page, `moderation queue (${lang})`, 200, await visit(page, url(`/a/demo/moderation?lang=${lang}`)));
  }
  const tabs = page.locator('main nav.queue-tabs');
  assert.equal(await tabs.count(), 2, 'status tabs and kind tabs');
  assert.equal(await tabs.nth(1).locator('a[aria-current="page"]').count(), 1, 'one kind tab is current');
  const spam = tabs.nth(1).locator('a[href*="kind=spam"]');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), spam.click()]);
  await check(page, 'moderation queue, spam only', 200, null);
  // The kind tab is current, and the status tabs keep the kind.
  const kindTabs = page.locator('main nav.queue-tabs').nth(1);
  assert.equal(await kindTabs.locator('a[aria-current="page"][href*="kind=spam"]').count(), 1);
  assert.equal(await page.locator('main nav.queue-tabs').first().locator('a:not([href*="kind=spam"])').count(), 0);
  for (const width of [390]) {
    await page.setViewportSize({ width, height: 900 });
    await check(page, `moderation queue at ${width} px`, 200, await visit(page, url('/a/demo/moderation?lang=de')));
  }
  await context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('confirmation pages reached by GET pass axe-core and act only when confirmed', { timeout: 180_000 }, async (t) => {
  const { context, page } = await signedIn(DEMO_ADMIN);
  const failures = [];
  const check = checker(t, failures);
  // Removing a passkey: the page asks for the password (any id: the page names nothing).
  const passkey = `/a/demo/account/passkeys/${'k'.repeat(26)}/remove`;
  for (const lang of LANGUAGES) {
    await check(page, `remove a passkey (${lang})`, 200, await visit(page, url(`${passkey}?lang=${lang}`)));
  }
  assert.equal(await page.locator('main input[type="password"][autocomplete="current-password"]').count(), 1);
  assert.equal(await page.locator('main input[name="confirm"]').count(), 1);

  // Revoking a batch: a new one, then its revoke address by GET.
  await visit(page, url('/a/demo/staff/invitations?lang=en'));
  await page.locator('#count').fill('1');
  await page.locator('#label').fill(`GET check ${Date.now()}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main form[action*="/staff/invitations"] button.primary').click()]);
  const action = await page.locator('main form[action*="/revoke"]').first().getAttribute('action');
  assert.ok(action, 'a batch to revoke');
  const revoke = new URL(action, page.url());
  await check(page, 'revoke a batch by GET', 200, await visit(page, revoke.href));
  assert.equal(await page.locator('main form button.danger').count(), 1, 'the confirming button');
  await visit(page, url('/a/demo/staff/invitations?lang=en'));
  assert.ok(await page.locator(`main form[action="${action}"]`).count(), 'the GET revoked nothing');

  // Deleting a category by GET: asked, not done.
  await visit(page, url('/a/demo/staff/forum?lang=en'));
  const del = await page.locator('main form[action*="/delete"]').first().getAttribute('action');
  assert.ok(del, 'a category to delete');
  await check(page, 'delete a category by GET', 200, await visit(page, new URL(del, page.url()).href));
  await context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});
