// (k) The knowledge pages pass axe-core and the structural checks in
//     de/en/nl: the list with its search, an article, the form to write
//     one (empty, and refused with errors) and an article in review with
//     its review form. An admin writes an article, submits it and returns
//     the demo's article in review with a note (plain forms: no script);
//     a visitor who is not signed in reads the article for anyone and not
//     the one for members. The admin revises her draft before submitting
//     it; the doctor revises the returned one with the note beside the form.
//     She takes her article back from review and submits it again.
//     She confirms the doctor's published article as still accurate (a
//     second review: the date of its last review is today); neither its
//     author nor a member is offered that.
//     The list, a draft, its form and the new form reflow at 390 px and at
//     200 % zoom.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, DEMO_DOCTOR, DEMO_MEMBER, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, url, visit } from '../lib.js';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function context(email) {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  const page = await context.newPage();
  if (email) {
    const response = await signIn(page, email);
    assert.equal(response.status(), 200, `sign-in as ${email}`);
  }
  return { context, page };
}

async function pathOf(page, listPath, title) {
  await visit(page, url(listPath));
  const link = page.locator('main a', { hasText: title }).first();
  assert.ok(await link.count(), `${title} is listed on ${listPath}`);
  return new URL(await link.getAttribute('href'), url('/')).pathname;
}

async function submitForm(page, selector) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(selector).click(),
  ]);
  return response;
}

test('knowledge pages pass axe-core; an article is written, submitted and reviewed', { timeout: 600_000 }, async (t) => {
  const failures = [];
  const { context: admin, page } = await context(DEMO_ADMIN);
  const inReview = await pathOf(page, '/a/demo/knowledge?lang=en', 'Wärme und MS');
  const published = await pathOf(page, '/a/demo/knowledge?lang=en', 'Fatigue bei MS');

  // The form, empty: 422 with a summary that leads to the title.
  await visit(page, url('/a/demo/knowledge/new?lang=en'));
  let response = await submitForm(page, 'main form button[type="submit"]');
  assert.equal(response.status(), 422, 'an empty article is refused');
  assert.ok(await page.locator('.error-summary a[href="#k-title"]').count(), 'the summary links to the title');
  let problems = await pageProblems(page, null);
  if (problems.length) failures.push(`new article with errors:\n    ${problems.join('\n    ')}`);

  const paths = [];
  for (const lang of LANGUAGES) {
    paths.push(`/a/demo/knowledge?lang=${lang}`);
    paths.push(`/a/demo/knowledge?q=reha&condition=ms&lang=${lang}`);
    paths.push(`/a/demo/knowledge/new?lang=${lang}`);
    paths.push(`${published}?lang=${lang}`);
    paths.push(`${inReview}?lang=${lang}`);
  }
  for (const path of paths) {
    const answer = await visit(page, url(path));
    problems = await pageProblems(page, null);
    if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${path}`);
  }

  // A second review: the admin confirms that the doctor's published
  // article is still accurate; it shows the date of its last review.
  await visit(page, url(`${published}?lang=en`));
  assert.ok(await page.locator('main p', { hasText: 'Last reviewed:' }).locator('time').count(), 'the date of its last review');
  response = await submitForm(page, 'main form[action*="/confirm"] button');
  assert.equal(response.status(), 200, 'confirmed');
  assert.equal(new URL(page.url()).pathname, published, 'back to the article');
  const today = new Date().toISOString().slice(0, 10);
  const reviewed = await page.locator('main p', { hasText: 'Last reviewed:' }).locator('time').getAttribute('datetime');
  assert.ok(reviewed?.startsWith(today), `reviewed today: ${reviewed}`);

  // Written and submitted.
  await visit(page, url('/a/demo/knowledge/new?lang=en'));
  await page.locator('#k-title').fill('Kühlung im Sommer');
  await page.locator('#k-summary').fill('Was an heißen Tagen hilft.');
  await page.locator('#k-body').fill('Kühlwesten, **Pausen** und kaltes Wasser.');
  await page.locator('#k-conditions-ms').check();
  await page.locator('#k-source-0-title').fill('DMSG');
  await page.locator('#k-source-0-url').fill('https://www.dmsg.de/');
  response = await submitForm(page, 'main form button[type="submit"]');
  assert.equal(response.status(), 200, 'the draft is saved');
  assert.ok(await page.locator('main h1', { hasText: 'Kühlung im Sommer' }).count(), 'the draft is shown');

  // Revised before it goes to review: the form holds what was written.
  const draft = new URL(page.url()).pathname;
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main a', { hasText: 'Revise the draft' }).click()]);
  assert.equal(await page.locator('#k-title').inputValue(), 'Kühlung im Sommer', 'the title as written');
  assert.equal(await page.locator('#k-source-0-url').inputValue(), 'https://www.dmsg.de/', 'the source as written');
  assert.ok(await page.locator('#k-conditions-ms').isChecked(), 'the condition as chosen');
  for (const lang of LANGUAGES) {
    const answer = await visit(page, url(`${draft}/edit?lang=${lang}`));
    problems = await pageProblems(page, null);
    if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
  }
  await visit(page, url(`${draft}/edit?lang=en`));
  await page.locator('#k-title').fill('');
  response = await submitForm(page, 'main form button[type="submit"]');
  assert.equal(response.status(), 422, 'a revision without a title is refused');
  assert.ok(await page.locator('.error-summary a[href="#k-title"]').count(), 'the summary links to the title');
  await page.locator('#k-title').fill('Kühlung im Sommer');
  await page.locator('#k-body').fill('Kühlwesten, **Pausen**, kaltes Wasser und Schatten.');
  response = await submitForm(page, 'main form button[type="submit"]');
  assert.equal(response.status(), 200, 'the revision is saved');
  assert.ok(await page.locator('main .prose', { hasText: 'Schatten' }).count(), 'the revised text is shown');
  response = await submitForm(page, 'main form button[type="submit"]');
  assert.equal(response.status(), 200, 'submitted');
  assert.ok(await page.locator('main', { hasText: 'Waiting for review' }).count(), 'it waits for review');
  problems = await pageProblems(page, null);
  if (problems.length) failures.push(`own article in review:\n    ${problems.join('\n    ')}`);
  // Taken back from review, it opens in the form; submitted again from the draft.
  response = await submitForm(page, 'main form[action*="/withdraw"] button');
  assert.equal(response.status(), 200, 'taken back');
  assert.ok(new URL(page.url()).pathname.endsWith('/edit'), 'the draft opens in the form');
  await visit(page, url(`${draft}?lang=en`));
  response = await submitForm(page, 'main form[action*="/submit"] button');
  assert.equal(response.status(), 200, 'submitted again');
  assert.ok(await page.locator('main', { hasText: 'Waiting for review' }).count(), 'it waits for review again');

  // The demo's article in review, returned with a note (a return needs one).
  await visit(page, url(`${inReview}?lang=en`));
  await page.locator('#k-decision-return').check();
  response = await submitForm(page, 'main form button[type="submit"]');
  assert.equal(response.status(), 422, 'a return without a note is refused');
  assert.ok(await page.locator('.error-summary a[href="#k-note"]').count(), 'the summary leads to the note');
  problems = await pageProblems(page, null);
  if (problems.length) failures.push(`review with errors:\n    ${problems.join('\n    ')}`);
  await page.locator('#k-decision-return').check();
  await page.locator('#k-note').fill('Bitte eine Quelle ergänzen.');
  response = await submitForm(page, 'main form button[type="submit"]');
  assert.equal(response.status(), 200, 'back to the list');
  assert.equal(await page.locator('main a', { hasText: 'Wärme und MS' }).count(), 0, 'returned: a draft again, only its author’s');
  await admin.close();

  // Its author finds it among her drafts and revises it with the note in view.
  const { context: doctor, page: lena } = await context(DEMO_DOCTOR);
  const returned = await pathOf(lena, '/a/demo/knowledge?lang=en', 'Wärme und MS');
  await visit(lena, url(`${returned}/edit?lang=en`));
  assert.ok(await lena.locator('main .notice', { hasText: 'Bitte eine Quelle ergänzen.' }).count(), 'the note beside the form');
  problems = await pageProblems(lena, null);
  if (problems.length) failures.push(`returned draft in the form:\n    ${problems.join('\n    ')}`);
  await lena.locator('#k-source-0-title').fill('DMSG: Hitze');
  await lena.locator('#k-source-0-url').fill('https://www.dmsg.de/');
  response = await submitForm(lena, 'main form button[type="submit"]');
  assert.equal(response.status(), 200, 'the revision is saved');
  assert.ok(await lena.locator('main a[href="https://www.dmsg.de/"]', { hasText: 'DMSG: Hitze' }).count(), 'with its source');
  // Her own published article: no second review of her own.
  await visit(lena, url(`${published}?lang=en`));
  assert.equal(await lena.locator('main form[action*="/confirm"]').count(), 0, 'the author confirms nothing of hers');
  await doctor.close();

  // Not signed in: the article for anyone, not the one for members.
  const { context: visitor, page: anonymous } = await context(null);
  await visit(anonymous, url('/a/demo/knowledge?lang=de'));
  assert.ok(await anonymous.locator('main a', { hasText: 'Fatigue bei MS' }).count(), 'the public article is listed');
  assert.equal(await anonymous.locator('main a', { hasText: 'Reha beantragen' }).count(), 0, 'not the one for members');
  problems = await pageProblems(anonymous, null);
  if (problems.length) failures.push(`list, not signed in:\n    ${problems.join('\n    ')}`);
  const answer = await visit(anonymous, url(`${published}?lang=de`));
  assert.equal(answer.status(), 200, 'the public article opens');
  problems = await pageProblems(anonymous, null);
  if (problems.length) failures.push(`article, not signed in:\n    ${problems.join('\n    ')}`);
  await visitor.close();

  // A member reads both, and has no form to write.
  const { context: member, page: mira } = await context(DEMO_MEMBER);
  await visit(mira, url('/a/demo/knowledge?lang=de'));
  assert.ok(await mira.locator('main a', { hasText: 'Reha beantragen' }).count(), 'members read the members’ article');
  assert.equal(await mira.locator('main a[href*="/knowledge/new"]').count(), 0, 'no form for members');
  await visit(mira, url(`${published}?lang=de`));
  assert.ok(await mira.locator('main p', { hasText: 'Zuletzt geprüft:' }).count(), 'members see the date of its last review');
  assert.equal(await mira.locator('main form[action*="/confirm"]').count(), 0, 'members review nothing');
  await member.close();

  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the knowledge pages and the form to revise a draft need no sideways scrolling at 390 px and at 200 % zoom', { timeout: 120_000 }, async () => {
  const failures = [];
  const sizes = [
    ['390 px', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }],
    ['200 % zoom', { viewport: { width: 640, height: 480 }, deviceScaleFactor: 2 }],
  ];
  for (const [name, options] of sizes) {
    const { context } = await guardedContext(browser, options, foreign);
    const lena = await context.newPage();
    const response = await signIn(lena, DEMO_DOCTOR);
    assert.equal(response.status(), 200, 'sign-in as the doctor');
    const draft = await pathOf(lena, '/a/demo/knowledge?lang=de', 'Kühlwesten im Test');
    for (const path of ['/a/demo/knowledge', draft, `${draft}/edit`, '/a/demo/knowledge/new']) {
      const answer = await visit(lena, url(`${path}?lang=de`));
      if (answer.status() !== 200) failures.push(`${name}: ${path} answered ${answer.status()}`);
      const sideways = await lena.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
      if (sideways) failures.push(`${name}: ${path} scrolls sideways`);
    }
    await context.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
