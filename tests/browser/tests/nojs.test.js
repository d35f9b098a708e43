// (d) Without JavaScript /a/demo/ renders, its primary navigation is visible
//     and every navigation link leads to a page that answers 200.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { guardedContext, isOwnOrigin, launch, mainNav, short, url, visit } from '../lib.js';

const PAGE = '/a/demo/';
let browser;
let context;
let foreign;

before(async () => {
  browser = await launch();
  ({ context, foreign } = await guardedContext(browser, { javaScriptEnabled: false }));
});

after(async () => {
  await browser?.close();
});

test('without JavaScript the primary navigation is visible and its links work', async () => {
  const page = await context.newPage();
  const response = await visit(page, url(PAGE));
  assert.equal(response.status(), 200, `${PAGE} answered ${response.status()} without JavaScript`);
  assert.ok(await page.locator('main, [role="main"]').first().isVisible(), '<main> is not visible without JavaScript');
  assert.ok(await page.locator('h1').first().isVisible(), '<h1> is not visible without JavaScript');

  const nav = await mainNav(page);
  assert.ok(nav, 'no <nav> with aria-label on the page');
  assert.ok(nav.links.length > 0, `the navigation "${nav.label}" has no links`);

  const problems = [];
  const links = page.locator('nav').nth(nav.index).locator('a[href]');
  for (let i = 0; i < nav.links.length; i += 1) {
    if (!(await links.nth(i).isVisible())) {
      problems.push(`"${nav.links[i].text}" (${short(nav.links[i].href)}) is not visible without JavaScript`);
    }
  }

  const targets = [...new Set(nav.links.map((l) => l.href.split('#')[0]))];
  for (const target of targets) {
    if (!isOwnOrigin(target)) continue;
    const r = await visit(page, target);
    if (r.status() !== 200) problems.push(`${short(target)} answered ${r.status()} without JavaScript`);
  }

  // Following a link by activating it (not just loading its URL) works too.
  await visit(page, url(PAGE));
  const here = page.url().split('#')[0];
  const clickable = nav.links.findIndex((l) => isOwnOrigin(l.href) && l.href.split('#')[0] !== here);
  if (clickable >= 0) {
    const link = page.locator('nav').nth(nav.index).locator('a[href]').nth(clickable);
    if (await link.isVisible()) {
      const [resp] = await Promise.all([
        // The final navigation response (after any redirect).
        page.waitForResponse(
          (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
        ),
        link.click(),
      ]);
      if (resp.status() !== 200) problems.push(`clicking "${nav.links[clickable].text}" gave ${resp.status()}`);
    }
  }

  assert.deepEqual(problems, [], `navigation "${nav.label}" without JavaScript:\n  ${problems.join('\n  ')}`);
  assert.deepEqual(foreign, [], `third-party requests:\n  ${foreign.join('\n  ')}`);
  await page.close();
});
