// (h) The community pages, signed in as demo members:
//     1. my profile, "how others see me" at each level, the member search
//        (empty, with results, with errors), another member's page and the
//        contacts page pass axe-core and the structural checks in de/en/nl;
//     2. the profile form with an error (a year that is not a year) shows an
//        error summary that axe accepts;
//     3. without JavaScript, a contact request can be sent and accepted with
//        a level, and the level changed, by plain form posts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_MEMBER,
  DEMO_MEMBER_2,
  LANGUAGES,
  guardedContext,
  launch,
  pageProblems,
  short,
  signIn,
  structureProblems,
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
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function signedIn(email, options = {}) {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, ...options }, foreign);
  const page = await context.newPage();
  const response = await signIn(page, email);
  assert.equal(response.status(), 200, `sign-in as ${email}`);
  return { context, page };
}

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

/** Makes sure `email` can be found in the search, and returns their pseudonym. */
async function discoverable(email) {
  const { context, page } = await signedIn(email);
  await visit(page, url('/a/demo/profile?lang=en'));
  const box = page.locator('#discoverable');
  if (!(await box.isChecked())) {
    await box.check();
    const response = await submit(page, page.locator('main form:has(input[name="section"][value="about"]) button[type="submit"]'));
    assert.equal(response.status(), 200, `saving the profile of ${email}`);
  }
  const pseudonym = (await page.locator('header form.sign-out .visually-hidden').textContent()).trim().replace(/^\(|\)$/g, '');
  await context.close();
  return pseudonym;
}

async function checkAll(t, page, paths) {
  const failures = [];
  for (const path of paths) {
    const response = await visit(page, url(path));
    const problems = await pageProblems(page, null);
    if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${path}`);
  }
  return failures;
}

test('community pages pass axe-core and the structural checks in every language', { timeout: 300_000 }, async (t) => {
  const other = await discoverable(DEMO_MEMBER_2);
  const { context, page } = await signedIn(DEMO_MEMBER);

  // Find the other member through the search, as a member would.
  await visit(page, url(`/a/demo/members?q=${encodeURIComponent(other.split(' ')[0])}&lang=en`));
  const result = page.locator('main .member-list a').first();
  assert.ok(await result.count(), `the search for ${other} found nobody`);
  const memberPath = new URL(await result.getAttribute('href'), url('/')).pathname;

  const paths = [];
  for (const lang of LANGUAGES) {
    paths.push(`/a/demo/profile?lang=${lang}`);
    for (const level of [1, 2, 3, 4]) paths.push(`/a/demo/profile/preview?level=${level}&lang=${lang}`);
    paths.push(`/a/demo/members?lang=${lang}`);
    paths.push(`/a/demo/members?q=&condition=&lang=${lang}`);
    paths.push(`/a/demo/members?q=&min_age=abc&max_age=5&lang=${lang}`);
    paths.push(`${memberPath}?lang=${lang}`);
    paths.push(`/a/demo/contacts?lang=${lang}`);
  }
  // The search with errors answers 422; check it separately.
  const errorPaths = paths.filter((p) => p.includes('min_age=abc'));
  const failures = await checkAll(t, page, paths.filter((p) => !errorPaths.includes(p)));
  for (const path of errorPaths) {
    const response = await visit(page, url(path));
    assert.equal(response.status(), 422, `${path} must answer 422`);
    const problems = await pageProblems(page, null);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    assert.ok(await page.locator('.error-summary a[href="#s-min_age"]').count(), 'the summary links to the age field');
  }

  // The profile form with an error.
  await visit(page, url('/a/demo/profile?lang=en'));
  await page.locator('#f-birth_year').fill('nineteen');
  const response = await submit(page, page.locator('main form:has(input[name="section"][value="about"]) button[type="submit"]'));
  assert.equal(response.status(), 422);
  const problems = await pageProblems(page, null);
  if (problems.length) failures.push(`profile with an error:\n    ${problems.join('\n    ')}`);
  assert.equal(await page.locator('#f-birth_year').getAttribute('aria-invalid'), 'true');

  assert.deepEqual(failures, [], failures.join('\n'));
  await context.close();
});

test('without JavaScript: ask to become contacts, accept with a level, change it', { timeout: 180_000 }, async () => {
  const other = await discoverable(DEMO_MEMBER_2);
  const me = await signedIn(DEMO_MEMBER, { javaScriptEnabled: false });
  await visit(me.page, url(`/a/demo/members?q=${encodeURIComponent(other.split(' ')[0])}&lang=en`));
  const memberHref = await me.page.locator('main .member-list a').first().getAttribute('href');
  await visit(me.page, url(memberHref));
  const requestForm = me.page.locator('main form[action*="/contact-request"]');
  if (await requestForm.count()) {
    await me.page.locator('#message').fill('Hello from the browser test');
    await me.page.locator('#level-request').selectOption('2');
    const sent = await submit(me.page, requestForm.locator('button[type="submit"]'));
    assert.equal(sent.status(), 200);
    assert.match(me.page.url(), /done=request-sent/);
    // axe-core cannot run where JavaScript is off (it would wait forever);
    // these pages were checked with axe in the test above.
    assert.deepEqual(await structureProblems(me.page, null), [], 'member page after the request');

    const them = await signedIn(DEMO_MEMBER_2, { javaScriptEnabled: false });
    await visit(them.page, url('/a/demo/contacts?lang=en'));
    const accept = them.page.locator('main form[action*="/contacts/requests/"][action*="/accept"]').first();
    await accept.locator('select').selectOption('3');
    const accepted = await submit(them.page, accept.locator('button[type="submit"]'));
    assert.equal(accepted.status(), 200);
    assert.match(them.page.url(), /done=request-accepted/);
    assert.deepEqual(await structureProblems(them.page, null), [], 'contacts page with a contact');
    await them.context.close();
  }
  // Now contacts (from this run or an earlier one): change the level.
  await visit(me.page, url(memberHref));
  const levelForm = me.page.locator('main form[action$="/level"], main form[action*="/level?"]');
  if (await levelForm.count()) {
    await me.page.locator('#level-grant').selectOption('1');
    const changed = await submit(me.page, levelForm.locator('button[type="submit"]'));
    assert.equal(changed.status(), 200);
    assert.match(me.page.url(), /done=level-changed/);
  } else {
    // A request from an earlier run is still waiting.
    assert.ok(await me.page.locator('main form[action*="/withdraw"]').count(), 'neither contacts nor a waiting request');
  }
  await me.context.close();
});
