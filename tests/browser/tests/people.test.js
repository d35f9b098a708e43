// People by name and staff tools at volume (issue 14, items 6 and 8):
//   1. the staff pages touched (index with counts, verification queue, one
//      applicant with the decline form and its error state, the member
//      directory with a search, invitations with a labelled batch created
//      and revoked) pass axe-core and the structural checks, at desktop
//      width and at 390 px;
//   2. the member search with results: the form folded into a summary of
//      the criteria above the results, faces or the placeholder;
//   3. the group invite picker, keyboard only: Tab to the search field,
//      type, Enter; Tab to the choices, arrow keys between them, Tab to
//      the Invite button — and axe on both steps.

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

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], 'no request left for another host');
});

async function context(width = 1280) {
  const { context: ctx } = await guardedContext(browser, { viewport: { width, height: 900 } }, foreign);
  return ctx;
}

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
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

for (const width of [1280, 390]) {
  test(`staff tools pass axe-core and the structural checks at ${width} px`, async (t) => {
    const ctx = await context(width);
    const page = await ctx.newPage();
    assert.equal((await signIn(page, DEMO_ADMIN)).status(), 200);
    const failures = [];
    const check = checker(t, failures);

    for (const lang of LANGUAGES) {
      await check(page, `staff index (${lang})`, 200, await visit(page, url(`/a/demo/staff?lang=${lang}`)));
    }
    assert.ok(await page.locator('main .card-list .count').count(), 'counts on the staff page');

    await check(page, 'verification queue', 200, await visit(page, url('/a/demo/staff/verifications?lang=en')));
    const applicant = page.locator('main table th[scope="row"] a').first();
    assert.ok(await applicant.count(), 'the demo has applicants, each a link');
    await check(page, 'one applicant', 200, await submit(page, applicant));
    assert.ok(await page.locator('main dl').count(), 'what the applicant entered');
    // The decline form's error state (nothing is declined: the demo keeps its queue).
    await check(page, 'decline without a message', 422, await submit(page, page.locator('form[action*="/decline"] button').first()));
    const summaryLink = page.locator('.error-summary a').first();
    assert.equal(await summaryLink.getAttribute('href'), '#message');

    await check(page, 'member directory', 200, await visit(page, url('/a/demo/staff/members?lang=en')));
    await page.locator('#pseudonym').fill('a');
    await page.locator('#status').selectOption('active');
    await check(page, 'member directory searched', 200, await submit(page, page.locator('form.directory-filters button[type="submit"]')));
    assert.ok(await page.locator('main table tbody tr').count(), 'members found by part of a pseudonym');

    await check(page, 'invitations', 200, await visit(page, url('/a/demo/staff/invitations?lang=en')));
    await page.locator('#count').fill('2');
    await page.locator('#label').fill(`Browser check ${width}`);
    await check(page, 'invitation codes created', 200, await submit(page, page.locator('main form[action*="/staff/invitations"] button.primary')));
    assert.equal(await page.locator('ol.codes li').count(), 2);
    const row = page.locator('main table tbody tr', { hasText: `Browser check ${width}` });
    // Revoking asks first (a dialog with script; pages::confirm without).
    await row.locator('button').click();
    const dialog = page.locator('dialog.confirm-dialog[open]');
    await dialog.waitFor();
    await check(page, 'a batch revoked', 200, await submit(page, dialog.locator('button.danger')));
    assert.match(await page.locator('main .notice').first().innerText(), /2 codes are revoked/);

    await ctx.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

test('member search: results above the fold, the criteria folded into a summary, faces', async (t) => {
  const ctx = await context(390);
  const page = await ctx.newPage();
  assert.equal((await signIn(page, DEMO_MEMBER)).status(), 200);
  const failures = [];
  const check = checker(t, failures);
  await check(page, 'member search before searching', 200, await visit(page, url('/a/demo/members?lang=en')));
  assert.equal(await page.locator('details.search-criteria').count(), 0, 'the form is open before a search');
  await check(page, 'member search with results', 200, await visit(page, url('/a/demo/members?q=a&lang=en')));
  const details = page.locator('details.search-criteria');
  assert.equal(await details.count(), 1);
  assert.equal(await details.evaluate((d) => d.open), false, 'folded');
  assert.equal(await details.locator('summary q').innerText(), 'a', 'the criteria in the summary');
  // The first result's heading follows the page's heading closely: only
  // the folded criteria stand between (the site's header above them is
  // the navigation's business).
  const first = await page.locator('.member-list > li h3').first().boundingBox();
  const h1 = await page.locator('main h1').boundingBox();
  assert.ok(first && h1 && first.y - h1.y < 420, `the first result comes right after the summary (${h1?.y} → ${first?.y})`);
  assert.ok(await page.locator('.member-list .face').count(), 'each result has a face or the placeholder');
  // Opening the summary with the keyboard shows the form again.
  assert.ok(await tabTo(page, 'details.search-criteria > summary'), 'the summary takes focus');
  await page.keyboard.press('Enter');
  assert.equal(await details.evaluate((d) => d.open), true, 'Enter opens it');
  await check(page, 'member search, criteria opened', 200, null);
  await ctx.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('group invite picker: find by name and choose, keyboard only', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  assert.equal((await signIn(page, DEMO_MEMBER)).status(), 200);
  const failures = [];
  const check = checker(t, failures);
  // Mira founded this group, so she may invite to it.
  await visit(page, url('/a/demo/groups?lang=en'));
  const group = page.locator('main a', { hasText: 'Junge Erwachsene mit MS' }).first();
  const href = await group.getAttribute('href');
  assert.ok(href, 'the group is listed');
  const membersPath = new URL(href, url('/')).pathname + '/members';
  // A letter that finds someone (the demo's pseudonyms are random).
  let letter = null;
  for (const l of 'aeimost') {
    await visit(page, url(`${membersPath}?pick=${l}&lang=en`));
    if (await page.locator('input[type="radio"][name="member_id"]').count()) {
      letter = l;
      break;
    }
  }
  assert.ok(letter, 'someone is found');

  await check(page, 'group members with the picker', 200, await visit(page, url(`${membersPath}?lang=en`)));
  assert.ok(await tabTo(page, '#invite-pick'), `Tab reaches the picker's field (${await describeFocus(page)})`);
  await page.keyboard.type(letter);
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  await check(page, 'picker results', 200, response);
  const radios = page.locator('input[type="radio"][name="member_id"]');
  const count = await radios.count();
  assert.ok(count > 0, 'choices after the search');
  assert.ok(await tabTo(page, 'input[type="radio"][name="member_id"]'), 'Tab reaches the choices');
  const firstId = await page.evaluate(() => document.activeElement.id);
  if (count > 1) {
    await page.keyboard.press('ArrowDown');
    const secondId = await page.evaluate(() => document.activeElement.id);
    assert.notEqual(secondId, firstId, 'arrow keys move between the choices');
    assert.equal(await page.locator(`#${secondId}`).isChecked(), true, 'and choose');
  }
  await page.keyboard.press('Tab');
  assert.equal(
    await page.evaluate(() => document.activeElement?.tagName === 'BUTTON' && document.activeElement.closest('form')?.action.includes('/invitations')),
    true,
    `Tab leads on to the Invite button (${await describeFocus(page)})`,
  );
  await ctx.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});
