// (i) Groups, forum and moderation, signed in as demo accounts:
//     1. the forum, a category, a topic page, the new-topic composer, the
//        groups, a group, search and notifications pass axe-core and the
//        structural checks in de/en/nl;
//     2. keyboard only: on a topic page, Tab reaches the reply composer,
//        typing and Enter on the submit button publish the reply, and the
//        new post is on the page; a topic page sums each post's reactions up
//        and links, described by the post's heading, to the post's own page,
//        whose reaction toggles switch with the keyboard and lead back to
//        the post; the jump link leads to the composer in a few key presses
//        (the count of Tab stops is printed);
//     3. the moderation queue passes axe-core, and a moderator hides a
//        reported post with the keyboard only, giving a reason.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_MEMBER,
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

const MODERATOR = 'moderator@demo.kindred.invalid';
let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function signedIn(email) {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 } }, foreign);
  const page = await context.newPage();
  const response = await signIn(page, email);
  assert.equal(response.status(), 200, `sign-in as ${email}`);
  return { context, page };
}

/** The path of the first link on the current page whose href matches `pattern`. */
async function firstLink(page, pattern) {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const found = hrefs.find((h) => pattern.test(h));
  assert.ok(found, `no link matching ${pattern} on ${short(page.url())}`);
  return new URL(found, page.url()).pathname;
}

test('forum, groups, search and notifications pass axe-core in every language', { timeout: 300_000 }, async (t) => {
  const { context, page } = await signedIn(DEMO_MEMBER);
  await visit(page, url('/a/demo/forum?lang=en'));
  const category = await firstLink(page, /\/forum\/categories\/[a-z2-7]{26}/);
  await visit(page, url(`${category}?lang=en`));
  const topic = await firstLink(page, /\/forum\/topics\/[a-z2-7]{26}/);
  const categoryId = category.split('/').pop();
  await visit(page, url(`${topic}?lang=en`));
  // Reporting is on a post's own page, linked from each post ("React and more").
  // (One's own posts have no Report: the first post of someone else's.)
  const postPages = (await page.locator('main a.post-more').evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
    .map((h) => new URL(h, page.url()).pathname);
  let postPage = null;
  let reportHref = null;
  for (const candidate of postPages) {
    await visit(page, url(`${candidate}?lang=en`));
    const link = page.locator('main a[href*="/report"]');
    if (await link.count()) {
      postPage = candidate;
      reportHref = await link.first().getAttribute('href');
      break;
    }
  }
  assert.ok(reportHref, "no post's own page offers a way to report it");
  const report = new URL(reportHref, page.url());
  report.searchParams.delete('lang');
  await visit(page, url('/a/demo/groups?lang=en'));
  const closedGroup = await firstLink(page, /\/groups\/[a-z2-7]{26}(\?|$)/);
  // Mira belongs to the local group of Kiel, so she reads its forum.
  await visit(page, url('/a/demo/groups?q=Kiel&lang=en'));
  const group = await firstLink(page, /\/groups\/[a-z2-7]{26}(\?|$)/);
  const paths = [
    '/a/demo/forum',
    category,
    topic,
    postPage,
    `/a/demo/forum/new?category=${categoryId}`,
    '/a/demo/groups',
    closedGroup,
    group,
    `${group}/members`,
    `${group}/forum`,
    '/a/demo/groups/new',
    '/a/demo/search?q=fatigue',
    `${report.pathname}${report.search}`,
    '/a/demo/notifications',
  ];
  const failures = [];
  for (const lang of LANGUAGES) {
    for (const path of paths) {
      const response = await visit(page, url(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`));
      const problems = await pageProblems(page, null);
      if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
      if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
      else t.diagnostic(`ok ${path} (${lang})`);
    }
  }
  await context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('a reply can be written and sent with the keyboard only', { timeout: 120_000 }, async () => {
  const { context, page } = await signedIn(DEMO_MEMBER);
  await visit(page, url('/a/demo/forum?lang=en'));
  const category = await firstLink(page, /\/forum\/categories\/[a-z2-7]{26}/);
  await visit(page, url(`${category}?lang=en`));
  const topic = await firstLink(page, /\/forum\/topics\/[a-z2-7]{26}/);
  await visit(page, url(`${topic}?lang=en`));
  assert.ok(await tabTo(page, 'textarea#body', 200), `Tab never reached the reply field (at ${await describeFocus(page)})`);
  const text = `Sent by keyboard ${Date.now()}`;
  await page.keyboard.type(text);
  assert.ok(
    await tabTo(page, '#reply button[type="submit"], #reply input[type="submit"]', 10),
    `Tab never reached the send button (at ${await describeFocus(page)})`,
  );
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.ok(response.status() < 400, `sending answered ${response.status()}`);
  // The reply is on the topic's last page.
  let found = (await page.locator('main').textContent()).includes(text);
  for (let hops = 0; !found && hops < 10; hops += 1) {
    const next = page.locator('main nav a').last();
    if ((await next.count()) === 0) break;
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), next.click()]);
    found = (await page.locator('main').textContent()).includes(text);
  }
  assert.ok(found, 'the reply is not on the topic page');
  const problems = await pageProblems(page, null);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

/** Loads `address` afresh and presses Tab from the top until `selector` has focus; the number of presses, or -1. */
async function tabStopsTo(page, address, selector, max = 400) {
  await visit(page, address);
  for (let i = 1; i <= max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  return -1;
}

test('a topic page sums reactions up, links each post to its own page with the buttons, and has a short way to the reply box', { timeout: 120_000 }, async (t) => {
  const { context, page } = await signedIn(DEMO_MEMBER);
  await visit(page, url('/a/demo/forum?lang=en'));
  const category = await firstLink(page, /\/forum\/categories\/[a-z2-7]{26}/);
  await visit(page, url(`${category}?lang=en`));
  const topic = await firstLink(page, /\/forum\/topics\/[a-z2-7]{26}/);
  await visit(page, url(`${topic}?lang=en`));
  // Issue 21: a post on the topic page shows its reactions as a sum and one
  // link, described by the post's heading, to the post's own page; no forms.
  assert.equal(await page.locator('main ol.posts form, main ol.posts button').count(), 0, 'no forms or buttons among the posts');
  const posts = await page.locator('main ol.posts > li').evaluateAll((items) =>
    items.map((li) => {
      const heading = li.querySelector('h2[id]');
      const more = li.querySelector('a.post-more');
      // The link sits under the post's heading in its list item and is
      // described by that heading (read on focus).
      const described = (el) => el.getAttribute('aria-describedby') === heading?.id && el.closest('li') === li;
      return {
        anchor: li.id,
        number: (heading?.id ?? '').replace(/^h/, ''),
        more: more ? { href: more.getAttribute('href'), named: described(more) } : null,
        sum: li.querySelector('.reaction-sum')?.textContent.trim() ?? '',
      };
    }),
  );
  assert.ok(posts.length > 1, 'a topic with posts');
  for (const [i, p] of posts.entries()) {
    assert.equal(p.anchor, `post-${p.number}`, `post ${i + 1}: anchored by its number`);
    if (!p.more) continue;
    assert.match(p.more.href, new RegExp(`/forum/topics/[a-z2-7]{26}/posts/${p.number}(\\?|$)`), `post ${i + 1}: ${p.more.href}`);
    assert.ok(p.more.named, `post ${i + 1}: the link is described by the post's heading`);
    if (p.sum) assert.match(p.sum, /^Reactions: \S+ \d+/, `post ${i + 1}: the sum of the reactions: ${p.sum}`);
  }
  // The first post's own page: four reaction toggles in one form, named as a
  // group, their state in aria-pressed; pressing one with the keyboard
  // switches it and leads back to the post in the topic.
  const first = posts.find((p) => p.more);
  assert.ok(first, 'a post with its own page');
  await visit(page, url(first.more.href));
  const buttons = await page.locator('main form button[name="reaction"]').evaluateAll((list) =>
    list.map((b) => ({ value: b.value, pressed: b.getAttribute('aria-pressed'), text: b.textContent.trim(), group: b.closest('[role="group"]')?.getAttribute('aria-labelledby') ?? '' })),
  );
  assert.equal(buttons.length, 4, 'four reactions');
  for (const b of buttons) {
    assert.match(b.value, /^(heart|hug|thanks|helpful):(on|off)$/, b.value);
    assert.equal(b.pressed, b.value.endsWith(':off') ? 'true' : 'false', `pressed state of ${b.value}`);
    assert.match(b.text, /\S+ \d+$/, `a label and the count: ${b.text}`);
    assert.ok(b.group, 'the reactions are a named group');
  }
  const value = buttons[0].value;
  const flipped = value.endsWith(':on') ? value.replace(/:on$/, ':off') : value.replace(/:off$/, ':on');
  await page.locator(`button[value="${value}"]`).focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), new RegExp(`#post-${first.number}$`), `back at the post in the topic: ${page.url()}`);
  assert.ok(
    await page.evaluate((id) => document.activeElement?.id === id, `post-${first.number}`),
    `the post has focus (at ${await describeFocus(page)})`,
  );
  await visit(page, url(first.more.href));
  assert.equal(await page.locator(`button[value="${flipped}"]`).count(), 1, `after pressing ${value}, the button reads ${flipped}`);
  const ownPage = await pageProblems(page, null);
  assert.deepEqual(ownPage, [], ownPage.join('\n'));
  // Pressed again, it is taken back (the demo stays as it was).
  await page.locator(`button[value="${flipped}"]`).focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await visit(page, url(first.more.href));
  assert.equal(await page.locator(`button[value="${value}"]`).count(), 1, 'pressed again, back as before');
  // The keyboard: Tab alone through every post, or the jump link near the top.
  const byTab = await tabStopsTo(page, url(`${topic}?lang=en`), 'textarea#body');
  assert.ok(byTab > 0, `Tab never reached the reply field (at ${await describeFocus(page)})`);
  const toJump = await tabStopsTo(page, url(`${topic}?lang=en`), 'main a[href="#reply"]');
  assert.ok(toJump > 0 && toJump < 20, `the jump link is among the first stops (${toJump})`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.ok(
    await page.evaluate(() => document.activeElement?.matches('textarea#body') ?? false),
    `after the jump link, Tab reaches the reply field (at ${await describeFocus(page)})`,
  );
  t.diagnostic(`${posts.length} posts: ${byTab} Tab stops to the reply field; or ${toJump} to the jump link, Enter, one Tab`);
  const problems = await pageProblems(page, null);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('the moderation queue passes axe-core and a post is hidden with the keyboard only', { timeout: 180_000 }, async (t) => {
  const { context, page } = await signedIn(MODERATOR);
  const failures = [];
  for (const lang of LANGUAGES) {
    const response = await visit(page, url(`/a/demo/moderation?lang=${lang}`));
    const problems = await pageProblems(page, null);
    if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok /a/demo/moderation (${lang})`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));

  await visit(page, url('/a/demo/moderation?lang=en'));
  const before = await page.locator('main form[action*="/moderation/act"]').count();
  assert.ok(before > 0, 'the demo queue holds no report to act on');
  // The queue is compact: each report's form is folded into a disclosure
  // (open for an open crisis report). The moderator opens the first one
  // with the keyboard if it is closed.
  const act = page.locator('main details.report-act').first();
  if (!(await act.evaluate((d) => d.open))) {
    assert.ok(await tabTo(page, 'main details.report-act > summary', 200), `Tab never reached "Act on this report" (at ${await describeFocus(page)})`);
    await page.keyboard.press('Enter');
    assert.equal(await act.evaluate((d) => d.open), true, 'Enter opens the form');
  }
  // The first report may be a crisis report, where no action is chosen
  // beforehand: the moderator reaches the action choice and chooses with
  // Space (on a preselected choice Space keeps it); the reason comes next.
  assert.ok(
    await tabTo(page, 'main form[action*="/moderation/act"] input[type="radio"]', 200),
    `Tab never reached an action choice (at ${await describeFocus(page)})`,
  );
  await page.keyboard.press('Space');
  assert.ok(
    await tabTo(page, 'main form[action*="/moderation/act"] textarea, main form[action*="/moderation/act"] input[type="text"]', 200),
    `Tab never reached a reason field (at ${await describeFocus(page)})`,
  );
  await page.keyboard.type('Keyboard check: hidden for the test');
  assert.ok(
    await tabTo(page, 'main form[action*="/moderation/act"] button[type="submit"]', 20),
    `Tab never reached the action button (at ${await describeFocus(page)})`,
  );
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.ok(response.status() < 400, `acting answered ${response.status()}`);
  const problems = await pageProblems(page, null);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});
