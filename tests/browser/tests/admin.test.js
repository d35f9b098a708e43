// (i) Administration pages, signed in as the demo admin:
//     1. axe-core and the structural checks on the settings index, every
//        group of settings and the statistics page, in every language;
//     2. the error state (a colour that fails the contrast check: 422, an
//        error summary whose link leads to the field) and the colour sample
//        pass too;
//     3. one change made with the keyboard only (Tab, typing, Enter): the
//        Dutch name of level 4, restored afterwards so that other checks see
//        the demo as it was.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_ADMIN,
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
});

async function context() {
  const { context: ctx } = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  return ctx;
}

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

const SECTIONS = [
  'general', 'appearance', 'hosts', 'levels', 'profile-fields', 'admission', 'policies', 'crisis-contacts', 'legal', 'data',
  'catalog-roles', 'catalog-conditions', 'catalog-therapies', 'catalog-medications', 'catalog-symptoms', 'catalog-regions',
];

test('settings and statistics pages pass axe-core and the structural checks', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const signedIn = await signIn(page, DEMO_ADMIN);
  assert.equal(signedIn.status(), 200);

  const failures = [];
  const check = async (what, status, response) => {
    const problems = await pageProblems(page);
    if (response.status() !== status) problems.unshift(`status ${response.status()}, expected ${status}`);
    if (problems.length) failures.push(`${what} (${short(page.url())}):\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${what}`);
  };
  for (const lang of LANGUAGES) {
    for (const path of ['/staff/settings', '/staff/statistics', ...SECTIONS.map((s) => `/staff/settings/${s}`)]) {
      await check(path, 200, await visit(page, url(`/a/demo${path}?lang=${lang}`)));
    }
  }
  // The staff index leads to the settings.
  await visit(page, url('/a/demo/staff'));
  assert.ok(await page.locator('main a[href*="/staff/settings"]').count(), 'the staff index links to the settings');

  // A colour unreadable on white: 422, the summary's link leads to the field.
  await visit(page, url('/a/demo/staff/settings/appearance?lang=en'));
  await page.locator('input[name="branding.primary_color"]').fill('#ffff00');
  await check('a colour that fails the contrast check', 422, await submit(page, page.locator('button[value="save"]')));
  const link = page.locator('.error-summary a').first();
  assert.equal(await link.getAttribute('href'), '#s-branding-primary_color');
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 's-branding-primary_color', 'the link focuses the field');
  // With the script, the sample follows a readable colour as it is typed, and says so.
  await visit(page, url('/a/demo/staff/settings/appearance?lang=en'));
  await page.locator('input[name="branding.primary_color"]').fill('#5a1d7a');
  assert.equal(
    await page.locator('.brand-preview-bar').evaluate((el) => getComputedStyle(el).backgroundColor),
    'rgb(90, 29, 122)',
    'the sample follows the typed colour',
  );
  assert.match(await page.locator('#preview-status').textContent(), /readable on white/);
  await page.locator('input[name="branding.primary_color"]').fill('#ffff00');
  assert.match(await page.locator('#preview-status').textContent(), /not yet a readable/);
  // The sample with chosen colours, nothing saved.
  await page.locator('input[name="branding.primary_color"]').fill('#1a4d2e');
  await check('the colour sample', 200, await submit(page, page.locator('button[value="preview"]')));
  assert.equal(
    await page.locator('.brand-preview-bar').evaluate((el) => getComputedStyle(el).backgroundColor),
    'rgb(26, 77, 46)',
    'the sample shows the chosen colour',
  );

  assert.deepEqual(failures, [], failures.join('\n'));
  await ctx.close();
});

test('a setting changed with the keyboard only', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await signIn(page, DEMO_ADMIN);
  await visit(page, url('/a/demo/staff/settings/levels?lang=en'));
  const field = page.locator('main form input[name^="levels[3].name"]').last();
  const name = await field.getAttribute('name');
  const id = await field.getAttribute('id');
  const before = await field.inputValue();
  const changed = `${before} (Test)`;

  assert.ok(await tabTo(page, `#${id}`, 80), `Tab reaches ${name} (focus on ${await describeFocus(page)})`);
  await page.keyboard.press('End');
  await page.keyboard.type(' (Test)');
  assert.ok(await tabTo(page, 'button[value="save"]', 10), `Tab reaches Save (focus on ${await describeFocus(page)})`);
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(response.status(), 200, `after saving: ${short(page.url())}`);
  assert.match(new URL(page.url()).search, /done=settings-saved/);
  assert.match(await page.locator('[role="status"]').innerText(), /saved/);
  assert.equal(await page.locator(`#${id}`).inputValue(), changed);

  // Restore the demo.
  await page.locator(`#${id}`).fill(before);
  await submit(page, page.locator('button[value="save"]'));
  assert.equal(await page.locator(`#${id}`).inputValue(), before);
  await ctx.close();
});

test('administration pages made no third-party requests', () => {
  assert.deepEqual(foreign, [], `requests to other hosts:\n${foreign.join('\n')}`);
});
