// (i) The legal pages (terms of use, imprint, contact) and the
//     accessibility statement pass axe-core and the structural checks in
//     de/en/nl, signed out, at desktop width, at 390 px and at 200 % zoom; the footer of
//     every page links them and registration links the terms.
// (ii) Pages with relative times ("2 hours ago") pass axe-core; every
//     <time class="when"> carries the exact time as its title and in its
//     accessible text; the language and time zone page works with the
//     keyboard and without JavaScript, and after choosing a zone the exact
//     times name it.

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

async function check(t, page, path, failures) {
  const answer = await visit(page, url(path));
  const problems = await pageProblems(page, null);
  if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
  if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
  else t.diagnostic(`ok ${path}`);
}

test('legal pages pass axe-core at desktop and phone width, linked from every page', { timeout: 300_000 }, async (t) => {
  const failures = [];
  const sizes = [
    { viewport: { width: 1280, height: 900 } },
    { viewport: { width: 390, height: 844 } },
    { viewport: { width: 640, height: 480 }, deviceScaleFactor: 2 }, // 200 % zoom of a 1280 px window
  ];
  for (const size of sizes) {
    const { context } = await guardedContext(browser, size, foreign);
    const page = await context.newPage();
    for (const lang of LANGUAGES) {
      for (const path of ['/terms', '/imprint', '/contact', '/accessibility']) {
        await check(t, page, `/a/demo${path}?lang=${lang}`, failures);
      }
    }
    // Nothing wider than the screen at phone width.
    await visit(page, url('/a/demo/terms?lang=de'));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (size.viewport.width < 1280) assert.equal(overflow, false, `the terms fit ${size.viewport.width} px`);
    await context.close();
  }

  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  const page = await context.newPage();
  await visit(page, url('/a/demo/?lang=en'));
  for (const path of ['/a/demo/terms', '/a/demo/imprint', '/a/demo/contact', '/a/demo/accessibility']) {
    assert.ok(await page.locator(`footer a[href^="${path}"]`).count(), `the footer links ${path}`);
  }
  await visit(page, url('/a/demo/register?lang=en'));
  assert.ok(await page.locator('main a[href^="/a/demo/terms"]').count(), 'registration links the terms');
  await visit(page, url('/a/demo/accessibility?lang=en'));
  assert.ok(await page.locator('main a[href^="/a/demo/contact"]').count(), 'the statement says where to report barriers');
  await context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('relative times carry the exact time; the zone is chosen by keyboard', { timeout: 600_000 }, async (t) => {
  const failures = [];
  for (const javaScriptEnabled of [true, false]) {
    const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled }, foreign);
    const page = await context.newPage();
    const response = await signIn(page, DEMO_MEMBER);
    assert.equal(response.status(), 200, 'signed in');

    // The same HTML either way: axe once, with JavaScript.
    const paths = ['/a/demo/?lang=en', '/a/demo/forum?lang=de', '/a/demo/account/sessions?lang=nl', '/a/demo/account/preferences?lang=en'];
    for (const path of javaScriptEnabled ? paths : []) {
      await check(t, page, path, failures);
    }

    // Every relative time: a machine-readable datetime, the exact time as
    // title and inside its text (its accessible name).
    await visit(page, url('/a/demo/account/sessions?lang=en'));
    const times = await page.locator('main time.when').evaluateAll((els) =>
      els.map((el) => ({ datetime: el.getAttribute('datetime'), title: el.getAttribute('title'), text: el.textContent })),
    );
    assert.ok(times.length > 0, 'the sessions page shows times');
    for (const time of times) {
      assert.match(time.datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'datetime is RFC 3339 UTC');
      assert.ok(time.title && time.text.includes(time.title), `the exact time ${time.title} is in the text ${time.text}`);
    }

    // Keyboard only: choose the zone and save.
    await visit(page, url('/a/demo/account/preferences?lang=en'));
    assert.ok(await tabTo(page, '#time_zone'), 'the time zone select is reachable with Tab');
    await page.locator('#time_zone').selectOption(javaScriptEnabled ? 'Asia/Tokyo' : 'America/New_York');
    assert.ok(await tabTo(page, 'main form button[type="submit"]'), 'the save button is reachable with Tab');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    assert.ok(await page.locator('main [role="status"]').count(), 'the saved notice is shown');
    if (javaScriptEnabled) await check(t, page, '/a/demo/account/preferences?lang=en', failures);

    await visit(page, url('/a/demo/account/sessions?lang=en'));
    const titles = await page.locator('main time.when').evaluateAll((els) => els.map((el) => el.getAttribute('title')));
    const zone = javaScriptEnabled ? /JST|\+09/ : /EST|EDT/;
    assert.ok(titles.every((title) => zone.test(title)), `exact times in the chosen zone: ${titles.join(', ')}`);

    // Back to the association's zone for the other tests.
    await visit(page, url('/a/demo/account/preferences?lang=en'));
    await page.locator('#time_zone').selectOption({ index: 0 });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main form button[type="submit"]').click()]);
    t.diagnostic(`ok zone chosen and reset (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`);
    await context.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
