// (c) Keyboard: on /a/demo/ the first Tab reaches a visible skip link, Enter
//     on it moves focus to (or into) main, and every link of the primary
//     navigation receives focus in DOM order with a visible focus indicator.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { focusIndicatorOfActive, guardedContext, launch, mainNav, url, visit } from '../lib.js';

const PAGE = '/a/demo/';
let browser;
let context;
let foreign;

before(async () => {
  browser = await launch();
  ({ context, foreign } = await guardedContext(browser, { viewport: { width: 1280, height: 720 } }));
});

after(async () => {
  await browser?.close();
});

async function freshPage() {
  const page = await context.newPage();
  const response = await visit(page, url(PAGE));
  assert.equal(response.status(), 200, `${PAGE} answered ${response.status()}`);
  return page;
}

test('first Tab focuses a visible skip link; Enter moves focus to main', async () => {
  const page = await freshPage();
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const el = document.activeElement;
    const main = document.querySelector('main, [role="main"]');
    const describe = (e) =>
      e ? `<${e.tagName.toLowerCase()}${e.id ? ` id="${e.id}"` : ''}>${(e.textContent || '').trim().slice(0, 60)}` : 'nothing';
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return {
      focused: describe(el),
      isLink: el.tagName === 'A',
      href: el.getAttribute('href'),
      text: (el.textContent || '').replace(/\s+/g, ' ').trim(),
      mainId: main?.id ?? null,
      rect: { x: r.x, y: r.y, width: r.width, height: r.height },
      viewport: { width: document.documentElement.clientWidth, height: window.innerHeight },
      opacity: parseFloat(cs.opacity),
      visibility: cs.visibility,
      clip: cs.clip,
      clipPath: cs.clipPath,
    };
  });

  assert.ok(skip.mainId, 'the page has no <main> with an id');
  assert.ok(
    skip.isLink && skip.href === `#${skip.mainId}`,
    `first Tab should focus a skip link with href="#${skip.mainId}", focused ${skip.focused} (href=${skip.href})`,
  );
  assert.ok(skip.text.length > 0, 'the skip link has no text');

  const { x, y, width, height } = skip.rect;
  const problems = [];
  if (!(width > 1 && height > 1)) problems.push(`bounding box ${width}x${height}`);
  if (x < 0 || y < 0 || x + width > skip.viewport.width + 0.5 || y + height > skip.viewport.height + 0.5) {
    problems.push(`box (${x}, ${y}, ${width}x${height}) is not inside the ${skip.viewport.width}x${skip.viewport.height} viewport`);
  }
  if (skip.opacity < 0.1) problems.push(`opacity ${skip.opacity}`);
  if (skip.visibility !== 'visible') problems.push(`visibility ${skip.visibility}`);
  if (skip.clipPath && skip.clipPath !== 'none') problems.push(`clip-path ${skip.clipPath}`);
  if (skip.clip && skip.clip !== 'auto' && /rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)/.test(skip.clip)) {
    problems.push(`clip ${skip.clip}`);
  }
  const indicator = await focusIndicatorOfActive(page);
  if (!indicator.ok) problems.push(`no visible focus indicator (${indicator.what})`);
  assert.deepEqual(problems, [], `the focused skip link is not visible: ${problems.join('; ')}`);

  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => location.hash === `#${id}`, skip.mainId, { timeout: 5_000 }).catch(() => {});
  const afterEnter = await page.evaluate(() => {
    const main = document.querySelector('main, [role="main"]');
    const el = document.activeElement;
    return { hash: location.hash, inMain: Boolean(main && el && main.contains(el)), focused: el?.tagName ?? null };
  });
  assert.equal(afterEnter.hash, `#${skip.mainId}`, 'Enter on the skip link did not navigate to the main fragment');
  if (!afterEnter.inMain) {
    // Chromium moves the sequential focus starting point to a non-focusable
    // target; the next Tab must then land inside main.
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => {
      const main = document.querySelector('main, [role="main"]');
      const el = document.activeElement;
      return {
        inMain: Boolean(main && el && main.contains(el)),
        focused: el ? `<${el.tagName.toLowerCase()}>${(el.textContent || '').trim().slice(0, 60)}` : 'nothing',
      };
    });
    assert.ok(
      next.inMain,
      `after Enter on the skip link focus stayed on <${afterEnter.focused?.toLowerCase()}> and the next Tab went to ${next.focused}, outside main ` +
        '(give <main> tabindex="-1" so it takes focus)',
    );
  }
  await page.close();
});

test('primary navigation: every link receives focus in DOM order with a visible focus indicator', async () => {
  const page = await freshPage();
  const nav = await mainNav(page);
  assert.ok(nav, 'no <nav> with aria-label on the page');
  assert.ok(nav.links.length > 0, `the navigation "${nav.label}" has no links`);

  const isNavLink = (i) =>
    page.evaluate(
      ([navIndex, linkIndex]) => {
        const n = document.querySelectorAll('nav')[navIndex];
        return document.activeElement === n.querySelectorAll('a[href]')[linkIndex];
      },
      [nav.index, i],
    );
  const describeActive = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'nothing (body)';
      return `<${el.tagName.toLowerCase()}${el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : ''}>${(el.textContent || '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 60)}`;
    });

  // Tab until the first navigation link has focus.
  let reached = false;
  for (let i = 0; i < 60 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await isNavLink(0);
  }
  assert.ok(reached, `60 Tabs never focused the first link of "${nav.label}" (${nav.links[0].text} ${nav.links[0].href})`);

  const problems = [];
  for (let i = 0; i < nav.links.length; i += 1) {
    const link = nav.links[i];
    if (i > 0) {
      await page.keyboard.press('Tab');
      if (!(await isNavLink(i))) {
        problems.push(`Tab after "${nav.links[i - 1].text}" focused ${await describeActive()} instead of "${link.text}" (${link.href})`);
        break;
      }
    }
    const indicator = await focusIndicatorOfActive(page);
    if (!indicator.ok) problems.push(`"${link.text}" (${link.href}) has no visible focus indicator: ${indicator.what}`);
  }
  assert.deepEqual(problems, [], `navigation "${nav.label}":\n  ${problems.join('\n  ')}`);
  await page.close();
});

test('every focusable element on the page shows a focus indicator when reached with Tab', async () => {
  // Broader than the navigation check: the indicator may also be a change of
  // border, background, colour or text decoration compared with the unfocused state.
  const page = await freshPage();
  const seen = [];
  for (let i = 0; i < 300; i += 1) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate((n) => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      if (el.dataset.kindredFocusProbe) return { again: true };
      el.dataset.kindredFocusProbe = String(n);
      const cs = getComputedStyle(el);
      const pick = (s) => ({
        outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
        outlineStyle: s.outlineStyle,
        outlineWidth: s.outlineWidth,
        outlineColor: s.outlineColor,
        boxShadow: s.boxShadow,
        border: `${s.borderTopColor} ${s.borderBottomColor} ${s.borderBottomWidth}`,
        background: s.backgroundColor,
        color: s.color,
        decoration: `${s.textDecorationLine} ${s.textDecorationThickness}`,
      });
      return {
        n,
        what: `<${el.tagName.toLowerCase()}${el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : ''}${
          el.getAttribute('name') ? ` name="${el.getAttribute('name')}"` : ''
        }>${(el.textContent || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 50)}`,
        focused: pick(cs),
      };
    }, i);
    if (!info || info.again) break;
    seen.push(info);
  }
  assert.ok(seen.length > 0, 'Tab never focused anything');

  // Compare with the unfocused styles.
  await page.evaluate(() => document.activeElement?.blur());
  const unfocused = await page.evaluate(() =>
    [...document.querySelectorAll('[data-kindred-focus-probe]')].map((el) => {
      const s = getComputedStyle(el);
      return {
        n: Number(el.dataset.kindredFocusProbe),
        border: `${s.borderTopColor} ${s.borderBottomColor} ${s.borderBottomWidth}`,
        background: s.backgroundColor,
        color: s.color,
        decoration: `${s.textDecorationLine} ${s.textDecorationThickness}`,
      };
    }),
  );
  const before = new Map(unfocused.map((u) => [u.n, u]));
  const transparent = (c) => /rgba\([^)]*,\s*0\)$/.test(c) || c === 'transparent';
  const problems = [];
  for (const s of seen) {
    const f = s.focused;
    const outline = f.outlineStyle !== 'none' && parseFloat(f.outlineWidth) > 0 && !transparent(f.outlineColor);
    const shadow = f.boxShadow !== 'none';
    const u = before.get(s.n);
    const changed =
      u && (u.border !== f.border || u.background !== f.background || u.color !== f.color || u.decoration !== f.decoration);
    if (!outline && !shadow && !changed) problems.push(`${s.what}: outline ${f.outline}, box-shadow ${f.boxShadow}, no other change`);
  }
  assert.deepEqual(problems, [], `elements without a visible focus indicator on ${PAGE}:\n  ${problems.join('\n  ')}`);
  await page.close();
});

test('keyboard pages made no third-party requests', () => {
  assert.deepEqual(foreign, [], foreign.join('\n'));
});
