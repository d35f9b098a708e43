// (i) The event pages, signed in as a demo member: the list, the form for a
//     new event (empty and with errors), an event's page and the calendar
//     feed page pass axe-core and the structural checks in de/en/nl; a
//     registration is done with the keyboard only (Tab to the button,
//     Enter), and the place appears only afterwards. An organiser's edit
//     form, the list filtered by a catalogue tag and a monthly series made
//     through the new-event form pass the same checks; so do the form of
//     one date of the series (changed with it) and the confirmation page
//     for cancelling a date and the whole event (without JavaScript).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, DEMO_MEMBER, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, url, visit } from '../lib.js';

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

test('event pages pass axe-core; registering by keyboard only', { timeout: 300_000 }, async (t) => {
  const failures = [];
  const { context, page } = await signedIn(DEMO_MEMBER);

  // The demo's online consultation, from the list.
  await visit(page, url('/a/demo/events?lang=en'));
  const link = page.locator('main a', { hasText: 'Online-Sprechstunde' }).first();
  assert.ok(await link.count(), 'the demo event is listed');
  const eventPath = new URL(await link.getAttribute('href'), url('/')).pathname;

  // The form with errors: 422 and a summary.
  await visit(page, url('/a/demo/events/new?lang=en'));
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form button[type="submit"]').click(),
  ]);
  assert.equal(response.status(), 422, 'an empty form is refused');
  assert.ok(await page.locator('.error-summary a[href="#e-title"]').count(), 'the summary links to the title');
  let problems = await pageProblems(page, null);
  if (problems.length) failures.push(`new event with errors:\n    ${problems.join('\n    ')}`);

  const paths = [];
  for (const lang of LANGUAGES) {
    paths.push(`/a/demo/events?lang=${lang}`);
    paths.push(`/a/demo/events/new?lang=${lang}`);
    paths.push(`${eventPath}?lang=${lang}`);
    paths.push(`/a/demo/account/calendar-feed?lang=${lang}`);
  }
  for (const path of paths) {
    const answer = await visit(page, url(path));
    problems = await pageProblems(page, null);
    if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${path}`);
  }

  // Keyboard only: Tab to "Register", then Enter.
  await visit(page, url(`${eventPath}?lang=en`));
  assert.equal(await page.locator('main').getByText('meet.example.org').count(), 0, 'no link before registering');
  let found = false;
  for (let i = 0; i < 200 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Register');
  }
  assert.ok(found, 'the register button is reachable with Tab');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.ok(await page.locator('main [role="status"]').count(), 'a confirmation is shown');
  assert.ok(await page.locator('main').getByText('meet.example.org').count(), 'the link is shown once registered');
  problems = await pageProblems(page, null);
  if (problems.length) failures.push(`after registering:\n    ${problems.join('\n    ')}`);

  assert.deepEqual(failures, [], failures.join('\n'));
  await context.close();
});

test('organisers edit an event and make a monthly series; the forms pass axe-core', { timeout: 600_000 }, async (t) => {
  const failures = [];
  const { context, page } = await signedIn(DEMO_ADMIN);

  // The demo's workshop is the association's: the admin organises it.
  await visit(page, url('/a/demo/events?lang=en'));
  const link = page.locator('main a', { hasText: 'Workshop' }).first();
  assert.ok(await link.count(), 'the workshop is listed');
  const eventPath = new URL(await link.getAttribute('href'), url('/')).pathname;
  await visit(page, url(`${eventPath}?lang=en`));
  assert.ok(await page.locator(`main a[href*="${eventPath}/edit"]`).count(), 'an edit link for the organiser');

  const paths = [];
  for (const lang of LANGUAGES) {
    paths.push(`${eventPath}/edit?lang=${lang}`);
    paths.push(`/a/demo/events?condition=ms&lang=${lang}`);
  }
  for (const path of paths) {
    const answer = await visit(page, url(path));
    const problems = await pageProblems(page, null);
    if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${path}`);
  }

  // A change with an error: 422, the summary links to the field, axe still passes.
  await visit(page, url(`${eventPath}/edit?lang=en`));
  await page.locator('#e-end').fill('00:30');
  const [refused] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form button[type="submit"]').click(),
  ]);
  assert.equal(refused.status(), 422, 'an end before the start is refused');
  assert.ok(await page.locator('.error-summary a[href="#e-end"]').count(), 'the summary links to the end time');
  let problems = await pageProblems(page, null);
  if (problems.length) failures.push(`edit with errors:\n    ${problems.join('\n    ')}`);

  // A monthly series through the form: the second Tuesday of a month until a date.
  await visit(page, url('/a/demo/events/new?lang=en'));
  await page.locator('#e-title').fill('Browser series');
  await page.locator('#e-date').fill('2030-01-08');
  await page.locator('#e-start').fill('18:00');
  await page.locator('#e-end').fill('19:30');
  await page.locator('#e-mode-online').check();
  await page.locator('#e-repeat-monthly_weekday').check();
  await page.locator('#e-until').fill('2030-04-30');
  const [made] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form button[type="submit"]').click(),
  ]);
  assert.equal(made.status(), 200, 'the series is created');
  const dates = await page.locator('main section[aria-labelledby="dates-title"] li').count();
  assert.equal(dates, 4, 'January to April, one date each');
  problems = await pageProblems(page, null);
  if (problems.length) failures.push(`the new series:\n    ${problems.join('\n    ')}`);

  // One date on its own: its form passes axe, in every language; a new time is saved.
  const seriesPath = new URL(page.url()).pathname;
  const dateHref = await page.locator('main section[aria-labelledby="dates-title"] li a').nth(1).getAttribute('href');
  assert.ok(dateHref, 'the organiser has a link per date');
  const datePath = new URL(dateHref, page.url()).pathname;
  for (const lang of LANGUAGES) {
    const answer = await visit(page, url(`${datePath}?lang=${lang}`));
    problems = await pageProblems(page, null);
    if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${datePath}?lang=${lang}`);
  }
  await visit(page, url(`${datePath}?lang=en`));
  await page.locator('#o-start').fill('19:00');
  await page.locator('#o-end').fill('20:30');
  const [moved] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form button.primary').click(),
  ]);
  assert.equal(moved.status(), 200, 'the date is saved');
  assert.ok(await page.locator('main [role="status"]').count(), 'a confirmation is shown');
  problems = await pageProblems(page, null);
  if (problems.length) failures.push(`after changing a date:\n    ${problems.join('\n    ')}`);

  // Without JavaScript, cancelling a date and the event ask on a page first.
  const { context: plain, page: nojs } = await signedIn(DEMO_ADMIN, false);
  const confirmations = [];
  for (const [path, button] of [[datePath, 'button.danger'], [seriesPath, 'section[aria-labelledby="cancel-title"] button']]) {
    await visit(nojs, url(`${path}?lang=en`));
    const [asked] = await Promise.all([
      nojs.waitForNavigation({ waitUntil: 'load' }),
      nojs.locator(`main ${button}`).click(),
    ]);
    assert.equal(asked.status(), 200, 'a confirmation page');
    assert.ok(await nojs.locator('main input[name="confirm"]').count(), 'it asks before acting');
    confirmations.push(nojs.url());
  }
  await plain.close();
  // axe needs JavaScript (evaluating in a page without it never returns): the
  // confirmation pages answer GET at the address the forms posted to.
  for (const confirmUrl of confirmations) {
    const answer = await visit(page, confirmUrl);
    problems = await pageProblems(page, null);
    if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
    if (problems.length) failures.push(`confirmation ${short(confirmUrl)}:\n    ${problems.join('\n    ')}`);
  }

  assert.deepEqual(failures, [], failures.join('\n'));
  await context.close();
});
