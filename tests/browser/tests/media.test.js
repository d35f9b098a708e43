// (f) User preferences: with prefers-reduced-motion: reduce and with
//     forced-colors: active the pages render and axe-core still passes.
//     Also: no animation keeps running under reduced motion, and focus stays
//     visible in forced-colours mode (where box-shadow is dropped).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, focusIndicatorOfActive, guardedContext, launch, short, structureProblems, url, visit } from '../lib.js';

const PAGES = ['/a/demo/', '/'];
const MODES = [
  { name: 'prefers-reduced-motion: reduce', media: { reducedMotion: 'reduce' }, query: '(prefers-reduced-motion: reduce)' },
  { name: 'forced-colors: active', media: { forcedColors: 'active' }, query: '(forced-colors: active)' },
];

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

for (const mode of MODES) {
  test(`${mode.name}: pages render and pass axe-core`, async (t) => {
    const { context, foreign } = await guardedContext(browser);
    const page = await context.newPage();
    await page.emulateMedia(mode.media);
    for (const path of PAGES) {
      await t.test(path, async () => {
        const response = await visit(page, url(path));
        assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
        assert.ok(await page.evaluate((q) => matchMedia(q).matches, mode.query), `${mode.query} is not in effect`);
        assert.ok(await page.locator('main, [role="main"]').first().isVisible(), '<main> is not visible');
        assert.ok(await page.locator('h1').first().isVisible(), '<h1> is not visible');
        const problems = [...(await structureProblems(page, null)), ...(await axe(page))];
        assert.deepEqual(problems, [], `${path} with ${mode.name}:\n  ${problems.join('\n  ')}`);
      });
    }
    await context.close();
    assert.deepEqual(foreign, [], foreign.join('\n'));
  });
}

test('prefers-reduced-motion: reduce: no animation or transition keeps running', async () => {
  const { context } = await guardedContext(browser);
  const page = await context.newPage();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const problems = [];
  for (const path of PAGES) {
    await visit(page, url(path));
    const running = await page.evaluate(() =>
      document
        .getAnimations()
        .filter((a) => a.playState === 'running')
        .map((a) => {
          const el = a.effect?.target;
          const name = a.animationName ?? a.transitionProperty ?? a.constructor.name;
          return `${name} on <${el?.tagName?.toLowerCase() ?? '?'}${el?.id ? `#${el.id}` : ''}>`;
        }),
    );
    if (running.length) problems.push(`${short(url(path))}: ${running.join(', ')}`);
  }
  await context.close();
  assert.deepEqual(problems, [], `running animations under reduced motion:\n  ${problems.join('\n  ')}`);
});

test('forced-colors: active: the skip link and navigation keep a visible focus outline', async () => {
  const { context } = await guardedContext(browser);
  const page = await context.newPage();
  await page.emulateMedia({ forcedColors: 'active' });
  await visit(page, url('/a/demo/'));
  const problems = [];
  // Skip link plus the next few stops (header and navigation).
  for (let i = 0; i < 8; i += 1) {
    await page.keyboard.press('Tab');
    const what = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el !== document.body
        ? `<${el.tagName.toLowerCase()}${el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : ''}>${(el.textContent || '').trim().slice(0, 40)}`
        : null;
    });
    if (!what) break;
    const indicator = await focusIndicatorOfActive(page);
    // Forced colours drop box-shadow, so only an outline counts here.
    if (!indicator.outline) {
      problems.push(`${what}: ${indicator.what}`);
    }
  }
  await context.close();
  assert.deepEqual(problems, [], `focus not visible in forced-colours mode:\n  ${problems.join('\n  ')}`);
});
