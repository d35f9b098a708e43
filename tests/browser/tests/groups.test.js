// (i) The group pages, signed in as a demo member: the group search
//     (empty, with results, with an unknown code), the form for a new group
//     (empty and with errors), a group's page and its member list pass
//     axe-core and the structural checks in de/en/nl; a group is created,
//     asked for and approved by plain form posts, without JavaScript.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MEMBER, DEMO_MEMBER_2, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, url, visit } from '../lib.js';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function signedIn(email, javaScriptEnabled = true) {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled }, foreign);
  const page = await context.newPage();
  const response = await signIn(page, email);
  assert.equal(response.status(), 200, `sign-in as ${email}`);
  return { context, page };
}

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

test('group pages pass axe-core and the structural checks; a closed group without JavaScript', { timeout: 300_000 }, async (t) => {
  const failures = [];
  const { context, page } = await signedIn(DEMO_MEMBER);

  // The form with errors: 422, a summary linking to the name.
  await visit(page, url('/a/demo/groups/new?lang=en'));
  let response = await submit(page, page.locator('main form button[type="submit"]'));
  assert.equal(response.status(), 422, 'an empty name is refused');
  assert.ok(await page.locator('.error-summary a[href="#g-name"]').count(), 'the summary links to the name');
  let problems = await pageProblems(page, null);
  if (problems.length) failures.push(`new group with errors:\n    ${problems.join('\n    ')}`);

  // A closed group, created with the form.
  const name = `Browser group ${Date.now()}`;
  await page.locator('#g-name').fill(name);
  await page.locator('#g-description').fill('Checked by the browser suite.');
  await page.locator('#g-visibility-closed').check();
  response = await submit(page, page.locator('main form button[type="submit"]'));
  assert.equal(response.status(), 200, 'the group is created');
  const groupPath = new URL(page.url()).pathname;

  // Another member asks to join, without JavaScript.
  const other = await signedIn(DEMO_MEMBER_2, false);
  await visit(other.page, url(`${groupPath}?lang=en`));
  response = await submit(other.page, other.page.locator('main form[action*="/join"] button'));
  assert.equal(response.status(), 200);
  await other.context.close();

  const paths = [];
  for (const lang of LANGUAGES) {
    paths.push(`/a/demo/groups?lang=${lang}`);
    paths.push(`/a/demo/groups?q=browser&lang=${lang}`);
    paths.push(`/a/demo/groups/new?lang=${lang}`);
    paths.push(`${groupPath}?lang=${lang}`);
    paths.push(`${groupPath}/members?lang=${lang}`);
  }
  for (const path of paths) {
    response = await visit(page, url(path));
    problems = await pageProblems(page, null);
    if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${path}`);
  }
  response = await visit(page, url('/a/demo/groups?condition=no_such_code&lang=en'));
  assert.equal(response.status(), 422, 'an unknown code is refused');
  problems = await pageProblems(page, null);
  if (problems.length) failures.push(`search with an unknown code:\n    ${problems.join('\n    ')}`);

  // The moderator approves the request on the member list.
  await visit(page, url(`${groupPath}/members?lang=en`));
  response = await submit(page, page.locator('main form[action*="/approve"] button').first());
  assert.equal(response.status(), 200);
  assert.ok(await page.locator('main [role="status"]').count(), 'a confirmation is shown');

  assert.deepEqual(failures, [], failures.join('\n'));
  await context.close();
});
