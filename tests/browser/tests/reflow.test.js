// (e) Zoom/reflow: at 640x480 CSS px with deviceScaleFactor 2 (200 % zoom of
//     a 1280 px window) pages need no horizontal scrolling. The same is checked
//     at 320x256 CSS px, the width WCAG 2.1 SC 1.4.10 (Reflow, AA) names.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { guardedContext, isOwnOrigin, launch, mainNav, short, url, visit } from '../lib.js';

const VIEWPORTS = [
  { name: '640x480 @2x (200 % zoom)', viewport: { width: 640, height: 480 }, deviceScaleFactor: 2 },
  { name: '320x256 @4x (400 % zoom, WCAG 1.4.10)', viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 },
];

let browser;
let pages = [];

before(async () => {
  browser = await launch();
  // The pages to check: the start pages and the targets of the demo's primary navigation.
  const { context } = await guardedContext(browser);
  const page = await context.newPage();
  await visit(page, url('/a/demo/'));
  const nav = await mainNav(page);
  const targets = (nav?.links ?? []).map((l) => l.href.split('#')[0]).filter(isOwnOrigin);
  pages = [...new Set([url('/'), url('/a/demo/'), ...targets])];
  await context.close();
});

after(async () => {
  await browser?.close();
});

async function overflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const culprits = [];
    if (root.scrollWidth > width + 1) {
      // Report the outermost elements sticking out to the right.
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && r.width > 0) {
          let parent = el.parentElement;
          let parentAlsoOut = false;
          while (parent && parent !== document.body) {
            if (parent.getBoundingClientRect().right > width + 1) {
              parentAlsoOut = true;
              break;
            }
            parent = parent.parentElement;
          }
          if (!parentAlsoOut || culprits.length === 0) {
            const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
            culprits.push(`<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}> right edge ${Math.round(r.right)}px`);
          }
          if (culprits.length >= 8) break;
        }
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits };
  });
}

for (const vp of VIEWPORTS) {
  test(`no horizontal scrolling at ${vp.name}`, async (t) => {
    assert.ok(pages.length >= 2, 'no pages to check');
    const { context, foreign } = await guardedContext(browser, {
      viewport: vp.viewport,
      deviceScaleFactor: vp.deviceScaleFactor,
    });
    const page = await context.newPage();
    const problems = [];
    for (const href of pages) {
      const response = await visit(page, href);
      if (response.status() >= 400) {
        problems.push(`${short(href)} answered ${response.status()}`);
        continue;
      }
      const o = await overflow(page);
      t.diagnostic(`${short(href)}: scrollWidth ${o.scrollWidth}, clientWidth ${o.clientWidth}`);
      if (o.scrollWidth > o.clientWidth + 1) {
        problems.push(`${short(href)}: scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth}; ${o.culprits.join(', ')}`);
      }
    }
    await context.close();
    assert.deepEqual(problems, [], `horizontal scrolling at ${vp.name}:\n  ${problems.join('\n  ')}`);
    assert.deepEqual(foreign, [], foreign.join('\n'));
  });
}
