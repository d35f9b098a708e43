// (a) Crawl every reachable page and check it in the default language and
//     with Accept-Language de, en and nl: axe-core (WCAG 2.0/2.1/2.2 A+AA)
//     must report no violation; <html lang>, one <h1>, one <main>, and a skip
//     link to main as the first focusable element.
// (b) No third parties: no request may leave the server's own host:port.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE,
  CRAWL_LIMIT,
  CRAWL_SEEDS,
  LANGUAGES,
  MISSING_PAGES,
  axe,
  crawlKey,
  crawlableLinks,
  foreignReferences,
  guardedContext,
  launch,
  short,
  structureProblems,
  url,
  visit,
} from '../lib.js';

let browser;
const foreignRequests = [];
const foreignRefs = new Map(); // reference -> first page seen on
const visited = new Set(); // crawl keys whose variants were all checked
let checkedVisits = 0;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('crawl: every page passes axe-core and the structural checks in every language', async (t) => {
  // Variant null = the browser's own Accept-Language; then de, en, nl.
  const variants = [null, ...LANGUAGES];
  const sessions = [];
  for (const lang of variants) {
    const options = lang ? { extraHTTPHeaders: { 'Accept-Language': lang } } : {};
    const { context } = await guardedContext(browser, options, foreignRequests);
    sessions.push({ lang, page: await context.newPage() });
  }

  // Missing pages stay missing whatever the query (e.g. a language switch on the 404 page).
  const missing = new Set(MISSING_PAGES.map((p) => new URL(url(p)).pathname));
  const queue = CRAWL_SEEDS.map((p) => ({ key: crawlKey(url(p)), from: '(seed)' }));
  const queued = new Set(queue.map((q) => q.key));
  const checked = new Set(); // `${lang} ${final url}`
  let failures = 0;

  while (queue.length) {
    const { key, from } = queue.shift();
    for (const { lang, page } of sessions) {
      const label = `${lang ? `Accept-Language: ${lang}` : 'browser default language'} ${short(key)}`;
      const checkOne = async (st) => {
        const problems = [];
        const response = await visit(page, key);
        const status = response.status();
        const finalKey = crawlKey(page.url());
        const type = (response.headers()['content-type'] || '').toLowerCase();

        if (missing.has(new URL(key).pathname)) {
          if (status !== 404) problems.push(`expected status 404 for a missing page, got ${status}`);
        } else if (status >= 500) {
          problems.push(`server error ${status} (linked from ${from})`);
        } else if (status === 404 || status === 410) {
          problems.push(`broken link: ${status} (linked from ${from})`);
        }

        if (type.startsWith('text/html')) {
          for (const link of await crawlableLinks(page)) {
            if (!queued.has(link) && queued.size < CRAWL_LIMIT) {
              queued.add(link);
              queue.push({ key: link, from: short(key) });
            }
          }
          for (const ref of await foreignReferences(page)) {
            if (!foreignRefs.has(ref)) foreignRefs.set(ref, short(page.url()));
          }
          const variantKey = `${lang} ${finalKey}`;
          if (!checked.has(variantKey)) {
            checked.add(variantKey);
            checkedVisits += 1;
            problems.push(...(await structureProblems(page, lang)));
            problems.push(...(await axe(page)));
          }
        } else if (status < 400) {
          st.diagnostic(`${short(key)}: not HTML (${type || 'no content-type'}), structure and axe checks not applicable`);
        } else {
          problems.push(`error page is not HTML (${type || 'no content-type'})`);
        }

        const where = finalKey === key ? short(key) : `${short(key)} -> ${short(finalKey)}`;
        if (problems.length) {
          assert.fail(`${where} [${lang ?? 'default'}], status ${status}:\n  ${problems.join('\n  ')}`);
        }
      };

      await t.test(label, async (st) => {
        let passed = false;
        try {
          await checkOne(st);
          passed = true;
        } finally {
          if (!passed) failures += 1;
        }
      });
    }
    visited.add(key);
  }

  t.diagnostic(`crawled ${visited.size} URLs (limit ${CRAWL_LIMIT}) on ${BASE.origin}, ${checkedVisits} page checks`);
  assert.ok(visited.size >= CRAWL_SEEDS.length, 'the crawl did not visit its seed pages');
  assert.ok(checkedVisits > 0, 'no HTML page was checked');
  // Subtest failures already fail this test; the count makes the summary explicit.
  if (failures) assert.fail(`${failures} page checks failed (see the subtests above)`);
});

test('no third parties: nothing is requested from another host during the crawl', () => {
  assert.ok(visited.size > 0, 'the crawl did not run, so there is nothing to judge');
  assert.deepEqual(foreignRequests, [], `requests left ${BASE.host}:\n  ${foreignRequests.join('\n  ')}`);
  const refs = [...foreignRefs].map(([ref, page]) => `${ref} on ${page}`);
  assert.deepEqual(refs, [], `pages reference resources on other hosts:\n  ${refs.join('\n  ')}`);
});
