// Shared helpers for Kindred's browser checks.
//
// The server under test is started by ./scripts/test; its base URL arrives in
// KINDRED_URL (e.g. http://127.0.0.1:18080). Chromium comes from Debian
// (/usr/bin/chromium); playwright-core never downloads a browser.
//
// Nothing here skips: a missing KINDRED_URL, a browser that does not start or
// a server that does not answer makes the tests fail.

import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const CHROMIUM_PATH = process.env.KINDRED_CHROMIUM || '/usr/bin/chromium';

// Playwright adds --headless itself for `headless: true`; it is listed here too
// so the flags are explicit in one place.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// The languages Kindred ships.
export const LANGUAGES = ['de', 'en', 'nl'];

// Pages that must not exist: they answer 404 and are still checked like any page.
export const MISSING_PAGES = ['/a/demo/this-page-does-not-exist', '/a/no-such-association/'];

export const CRAWL_SEEDS = ['/', '/a/demo/', ...MISSING_PAGES];

export const CRAWL_LIMIT = 200;

const NAV_TIMEOUT_MS = 30_000;

function readBase() {
  const raw = process.env.KINDRED_URL;
  if (!raw) {
    throw new Error(
      'KINDRED_URL is not set. Start the server and run the tests with ./scripts/test, ' +
        'or set KINDRED_URL=http://127.0.0.1:PORT yourself.',
    );
  }
  const base = new URL(raw);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`KINDRED_URL must be http(s), got ${raw}`);
  }
  return base;
}

/** The server's base URL (throws, failing the test file, when KINDRED_URL is missing). */
export const BASE = readBase();

/** Absolute URL for a path on the server under test. */
export function url(path) {
  return new URL(path, BASE).href;
}

/** Path + query of a URL, for readable messages. */
export function short(href) {
  const u = new URL(href);
  return u.pathname + u.search;
}

export function isOwnOrigin(href) {
  let u;
  try {
    u = new URL(href);
  } catch {
    return false;
  }
  return u.protocol === BASE.protocol && u.host === BASE.host;
}

/** Launch Debian's Chromium (Playwright gives every launch a fresh temporary profile). */
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    timeout: 60_000,
  });
}

/**
 * A browser context in which every request to another host:port than the
 * server's own is recorded in `foreign` and aborted. Returns { context, foreign }.
 */
export async function guardedContext(browser, options = {}, foreign = []) {
  const context = await browser.newContext(options);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  await context.route('**/*', async (route) => {
    const request = route.request();
    if (isOwnOrigin(request.url())) {
      await route.continue();
    } else {
      const frame = request.frame();
      let from = '?';
      try {
        from = frame.url();
      } catch {
        // Service-worker requests have no frame.
      }
      const entry = `${request.method()} ${request.url()} (${request.resourceType()}, from ${from})`;
      if (!foreign.includes(entry)) foreign.push(entry);
      await route.abort('blockedbyclient');
    }
  });
  await context.routeWebSocket(/.*/, (ws) => {
    if (isOwnOrigin(ws.url().replace(/^ws/, 'http'))) {
      ws.connectToServer();
    } else {
      if (!foreign.includes(`WebSocket ${ws.url()}`)) foreign.push(`WebSocket ${ws.url()}`);
      ws.close();
    }
  });
  return { context, foreign };
}

/** Navigate and return the response (never null for http(s) pages). */
export async function visit(page, href) {
  const response = await page.goto(href, { waitUntil: 'load' });
  if (!response) throw new Error(`no response for ${href}`);
  return response;
}

function formatTarget(target) {
  // Targets inside shadow DOM or iframes are arrays of selectors.
  return target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ');
}

/** Format axe violations as readable lines (id, impact, help, nodes' targets). */
export function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`axe ${v.id} [${v.impact ?? 'n/a'}]: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) {
      const summary = (node.failureSummary ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
      lines.push(`    target: ${formatTarget(node.target)}`);
      lines.push(`      html: ${node.html.replace(/\s+/g, ' ').slice(0, 240)}`);
      if (summary.length) lines.push(`      why:  ${summary.slice(0, 3).join(' | ').slice(0, 400)}`);
    }
  }
  return lines;
}

/** Run axe-core with the WCAG 2.x A/AA tags; returns the formatted violation lines (empty = pass). */
export async function axe(page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return formatViolations(results.violations);
}

/**
 * Find the primary navigation: a <nav> with aria-label (or aria-labelledby),
 * not inside main/footer/aside, preferring a label that says main/primary,
 * else the one with most links. Returns { index, label, links: [{href, text}] }
 * where index is the position among document.querySelectorAll('nav'), or null.
 */
export async function mainNav(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('nav')];
    const labelled = all.filter((n) => n.hasAttribute('aria-label') || n.hasAttribute('aria-labelledby'));
    const labelOf = (n) => {
      if (n.hasAttribute('aria-label')) return n.getAttribute('aria-label');
      const ids = (n.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      return ids.map((id) => document.getElementById(id)?.textContent?.trim() ?? '').join(' ');
    };
    const outside = labelled.filter((n) => !n.closest('main, [role="main"], footer, aside'));
    const pool = outside.length ? outside : labelled;
    if (!pool.length) return null;
    const named = pool.find((n) => /\b(main|primary|site|haupt\w*|hoofd\w*)\b/i.test(labelOf(n)));
    const nav =
      named ?? [...pool].sort((a, b) => b.querySelectorAll('a[href]').length - a.querySelectorAll('a[href]').length)[0];
    return {
      index: all.indexOf(nav),
      label: labelOf(nav),
      links: [...nav.querySelectorAll('a[href]')].map((a) => ({
        href: a.href,
        text: (a.textContent || '').replace(/\s+/g, ' ').trim(),
      })),
    };
  });
}

/**
 * Structural checks on the current page. `requested` is the language asked
 * for with Accept-Language (or null). Returns a list of problems (empty = pass).
 */
export async function structureProblems(page, requested) {
  const info = await page.evaluate(() => {
    const primary = (tag) => (tag || '').trim().toLowerCase().split(/[-_]/)[0];
    const html = document.documentElement;
    const lang = html.getAttribute('lang');

    // Languages the page offers: hreflang links and language pickers.
    const offered = new Set();
    for (const el of document.querySelectorAll('[hreflang]')) offered.add(primary(el.getAttribute('hreflang')));
    const langNames = 'lang, language, locale, hl';
    const isLangName = (n) => langNames.split(', ').includes((n || '').toLowerCase());
    for (const sel of document.querySelectorAll('select')) {
      if (isLangName(sel.name)) for (const o of sel.options) offered.add(primary(o.value));
    }
    for (const el of document.querySelectorAll('button[name][value], input[type="radio"][name][value]')) {
      if (isLangName(el.name)) offered.add(primary(el.value));
    }
    for (const a of document.querySelectorAll('a[href]')) {
      try {
        const u = new URL(a.href);
        for (const k of ['lang', 'language', 'locale', 'hl']) {
          if (u.searchParams.has(k)) offered.add(primary(u.searchParams.get(k)));
        }
      } catch {
        // ignore unparsable hrefs
      }
    }
    offered.delete('');
    offered.delete('x');

    const h1s = [...document.querySelectorAll('h1')].map((h) => (h.textContent || '').replace(/\s+/g, ' ').trim());
    const mains = [...document.querySelectorAll('main, [role="main"]')];

    // Sequential focus order: positive tabindex first (ascending), then DOM order.
    const candidates = document.querySelectorAll(
      'a[href], area[href], button, input, select, textarea, iframe, summary, audio[controls], video[controls], ' +
        '[contenteditable=""], [contenteditable="true"], [tabindex]',
    );
    const tabbable = [];
    let pos = 0;
    for (const el of candidates) {
      pos += 1;
      if (el.matches(':disabled')) continue;
      if (el.tagName === 'INPUT' && el.type === 'hidden') continue;
      if (el.closest('[inert]')) continue;
      if (el.tagName === 'SUMMARY' && el.parentElement?.tagName !== 'DETAILS') continue;
      const ti = el.tabIndex;
      if (el.hasAttribute('tabindex') && ti < 0) continue;
      if (typeof el.checkVisibility === 'function') {
        if (!el.checkVisibility({ visibilityProperty: true })) continue;
      } else if (!el.getClientRects().length) continue;
      tabbable.push({ el, ti: ti > 0 ? ti : 0, pos });
    }
    tabbable.sort((a, b) => {
      if (a.ti > 0 && b.ti > 0) return a.ti - b.ti || a.pos - b.pos;
      if (a.ti > 0) return -1;
      if (b.ti > 0) return 1;
      return a.pos - b.pos;
    });
    const first = tabbable[0]?.el ?? null;
    const describe = (el) => {
      if (!el) return 'nothing';
      const t = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
      return `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${
        el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : ''
      }>${t}`;
    };
    const positiveTabindex = [...document.querySelectorAll('[tabindex]')]
      .filter((el) => el.tabIndex > 0)
      .map(describe);

    return {
      lang,
      offered: [...offered].sort(),
      h1s,
      mainCount: mains.length,
      mainId: mains[0]?.id ?? '',
      firstFocusable: describe(first),
      firstHref: first?.getAttribute('href') ?? null,
      firstIsLink: first?.tagName === 'A',
      positiveTabindex,
    };
  });

  const problems = [];
  const primaryOf = (tag) => (tag || '').trim().toLowerCase().split(/[-_]/)[0];

  if (info.lang === null || info.lang.trim() === '') {
    problems.push('<html> has no lang attribute');
  } else if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(info.lang.trim())) {
    problems.push(`<html lang="${info.lang}"> is not a valid language tag`);
  } else if (requested) {
    const pageUrl = new URL(page.url());
    const explicit = ['lang', 'language', 'locale', 'hl'].map((k) => pageUrl.searchParams.get(k)).find(Boolean);
    const expected = explicit ? primaryOf(explicit) : requested;
    if (info.offered.includes(expected) && primaryOf(info.lang) !== expected) {
      problems.push(
        `<html lang="${info.lang}"> but ${explicit ? `the URL asks for "${explicit}"` : `Accept-Language asks for "${requested}"`} ` +
          `and the page offers [${info.offered.join(', ')}]`,
      );
    }
  }

  if (info.h1s.length !== 1) {
    problems.push(`expected exactly one <h1>, found ${info.h1s.length}${info.h1s.length ? `: ${JSON.stringify(info.h1s)}` : ''}`);
  }
  if (info.mainCount !== 1) {
    problems.push(`expected exactly one <main> landmark, found ${info.mainCount}`);
  } else if (!info.mainId) {
    problems.push('<main> has no id, so no skip link can point at it');
  }
  if (info.positiveTabindex.length) {
    problems.push(`positive tabindex changes the focus order: ${info.positiveTabindex.join(', ')}`);
  }
  let target = null;
  if (info.firstHref && info.firstHref.startsWith('#')) {
    try {
      target = decodeURIComponent(info.firstHref.slice(1));
    } catch {
      target = info.firstHref.slice(1);
    }
  }
  if (!info.firstIsLink || target === null || !info.mainId || target !== info.mainId) {
    problems.push(
      `first focusable element must be a skip link to #${info.mainId || '(main id)'}, found ${info.firstFocusable}`,
    );
  }
  return problems;
}

/**
 * Resource references in the DOM that point at other hosts (preconnects,
 * stylesheets, scripts, images, frames, form actions). Ordinary <a href>
 * links to other sites are allowed and not listed.
 */
export async function foreignReferences(page) {
  const refs = await page.evaluate(() => {
    const out = [];
    const add = (el, attr, value) => {
      if (!value) return;
      out.push({ tag: el.tagName.toLowerCase(), attr, value });
    };
    for (const el of document.querySelectorAll('link[href]')) {
      const rel = (el.getAttribute('rel') || '').toLowerCase();
      if (/\b(alternate|canonical|author|help|license|me|next|prev|search|terms-of-service|privacy-policy)\b/.test(rel)) continue;
      add(el, `href (rel=${rel})`, el.href);
    }
    for (const el of document.querySelectorAll('script[src], img[src], iframe[src], frame[src], embed[src], source[src], track[src], audio[src], video[src], input[type="image"][src]')) {
      add(el, 'src', el.src);
    }
    for (const el of document.querySelectorAll('video[poster]')) add(el, 'poster', el.poster);
    for (const el of document.querySelectorAll('object[data]')) add(el, 'data', el.data);
    for (const el of document.querySelectorAll('form[action]')) add(el, 'action', el.action);
    for (const el of document.querySelectorAll('[srcset]')) {
      for (const part of el.getAttribute('srcset').split(',')) {
        const u = part.trim().split(/\s+/)[0];
        if (u) add(el, 'srcset', new URL(u, document.baseURI).href);
      }
    }
    return out;
  });
  return refs
    .filter((r) => /^(https?|wss?):/i.test(r.value) && !isOwnOrigin(r.value.replace(/^ws/i, 'http')))
    .map((r) => `<${r.tag} ${r.attr}="${r.value}">`);
}

const SKIP_EXTENSIONS =
  /\.(json|ics|pdf|css|js|mjs|map|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf|eot|txt|xml|zip|gz|csv|mp3|mp4|webm|ogg|wasm)$/i;

/** Should the crawler follow this link? (same origin, not API/metrics/feeds/static assets) */
export function followable(href) {
  let u;
  try {
    u = new URL(href);
  } catch {
    return false;
  }
  if (!isOwnOrigin(u.href)) return false;
  const p = u.pathname.toLowerCase();
  if (p === '/metrics' || p.endsWith('/metrics') || p.includes('/metrics/')) return false;
  if (p === '/api' || p.startsWith('/api/') || p.includes('/api/')) return false;
  if (SKIP_EXTENSIONS.test(p)) return false;
  if (p.includes('logo')) return false;
  if (/(^|\/)(static|assets|public|favicon[^/]*)(\/|$)/.test(p)) return false;
  if (/(^|\/)(logout|log-out|signout|sign-out|abmelden|uitloggen)(\/|$)/.test(p)) return false;
  return true;
}

/** Canonical crawl key: absolute URL without the fragment. */
export function crawlKey(href) {
  const u = new URL(href);
  u.hash = '';
  return u.href;
}

/** Same-origin links on the current page worth crawling. */
export async function crawlableLinks(page) {
  const links = await page.$$eval('a[href], area[href]', (as) =>
    as.filter((a) => !a.hasAttribute('download')).map((a) => a.href),
  );
  return [...new Set(links.filter(followable).map(crawlKey))];
}

/**
 * Focus-indicator test for the focused element, as the brief defines it:
 * a visible outline (style not none, width > 0, colour not fully transparent)
 * or a box-shadow. Evaluated in the page on document.activeElement.
 */
export async function focusIndicatorOfActive(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { ok: false, what: 'nothing focused' };
    const cs = getComputedStyle(el);
    const transparent = (c) => /rgba\([^)]*,\s*0\)$/.test(c) || c === 'transparent';
    const outline =
      cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor);
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {
      ok: Boolean(outline || shadow),
      outline: Boolean(outline),
      shadow: Boolean(shadow),
      what: `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; box-shadow: ${cs.boxShadow}`,
    };
  });
}

// ---------------------------------------------------------------- accounts

/** The password of every demo account (crates/kindred/src/demo.rs). */
export const DEMO_PASSWORD = 'kindred-demo-2026';

/** Demo logins used by the account tests. */
export const DEMO_ADMIN = 'admin@demo.kindred.invalid';
export const DEMO_MEMBER = 'mira@demo.kindred.invalid';
export const DEMO_MEMBER_2 = 'tom@demo.kindred.invalid';
export const DEMO_MODERATOR = 'moderator@demo.kindred.invalid';
export const DEMO_DOCTOR = 'neurologin@demo.kindred.invalid';

/** Structure and axe-core problems of the page as it is now (empty = pass). */
export async function pageProblems(page, requested = null) {
  return [...(await structureProblems(page, requested)), ...(await axe(page))];
}

/**
 * Signs in with the sign-in form (mouse and typing; works without
 * JavaScript). Returns the final navigation response.
 */
export async function signIn(page, email, password = DEMO_PASSWORD) {
  await visit(page, url('/a/demo/sign-in'));
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form button[type="submit"]').first().click(),
  ]);
  return response;
}

/** Presses Tab until `selector` has focus; false after `max` presses. */
export async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  return false;
}

/** Describes the focused element, for messages. */
export async function describeFocus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing (body)';
    const name = el.getAttribute('name') || el.getAttribute('href') || el.id || '';
    return `<${el.tagName.toLowerCase()} ${name}>${(el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40)}`;
  });
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[^A-Z2-7]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of clean) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) of a base32 secret at `unixSeconds`. */
export async function totp(secret, unixSeconds = Date.now() / 1000) {
  const { createHmac } = await import('node:crypto');
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}
