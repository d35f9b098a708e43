// (m) The messaging pages, signed in as demo members: the conversation
//     list, a conversation with its composer, a pending request and the
//     form for a new message pass axe-core and the structural checks in
//     de/en/nl; a message is written and sent with the keyboard only; a
//     file is attached through the plain form (no script of ours), and a
//     wrong one is explained in the form. A member reports a message (over
//     the API); the moderators' list of reports of messages and the opened
//     report pass axe-core, and the report is closed with its form.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, DEMO_MEMBER, DEMO_MEMBER_2, DEMO_PASSWORD, LANGUAGES, describeFocus, guardedContext, launch, pageProblems, short, signIn, tabTo, url, visit } from '../lib.js';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function signedIn(email, javaScriptEnabled = true) {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled }, foreign);
  const page = await context.newPage();
  const response = await signIn(page, email);
  assert.equal(response.status(), 200, `sign-in as ${email}`);
  return { context, page };
}

/** The demo conversations of the list, as paths. */
async function conversationPaths(page) {
  await visit(page, url('/a/demo/messages?lang=en'));
  const hrefs = await page.locator('main .entry-list a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  return hrefs.map((href) => new URL(href, page.url()).pathname);
}

test('messaging pages pass axe-core and the structural checks', { timeout: 300_000 }, async (t) => {
  const failures = [];
  const { context, page } = await signedIn(DEMO_MEMBER);
  const conversations = await conversationPaths(page);
  assert.ok(conversations.length >= 3, `Mira has the demo conversations (${conversations.join(', ')})`);
  const paths = [];
  for (const lang of LANGUAGES) {
    paths.push(`/a/demo/messages?lang=${lang}`);
    for (const path of conversations) paths.push(`${path}?lang=${lang}`);
  }
  for (const path of paths) {
    const response = await visit(page, url(path));
    const problems = await pageProblems(page, null);
    if (response.status() !== 200) problems.unshift(`status ${response.status()}`);
    if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${path}`);
  }
  await context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('a message is written and sent with the keyboard only, without JavaScript', { timeout: 120_000 }, async () => {
  const { context, page } = await signedIn(DEMO_MEMBER, false);
  const conversations = await conversationPaths(page);
  // The first conversation with a composer.
  let target = null;
  for (const path of conversations) {
    await visit(page, url(`${path}?lang=en`));
    if (await page.locator('#body').count()) {
      target = path;
      break;
    }
  }
  assert.ok(target, 'a conversation with a composer');
  const text = `Keyboard message ${Date.now()}`;
  assert.ok(await tabTo(page, '#body'), `Tab reaches the message field (focus on ${await describeFocus(page)})`);
  await page.keyboard.type(text);
  assert.ok(await tabTo(page, '#composer button[type="submit"]', 5), `Tab reaches Send (focus on ${await describeFocus(page)})`);
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(response.status(), 200);
  assert.ok((await page.locator('main .posts').textContent()).includes(text), 'the message is shown at the bottom');
  await context.close();
});

test('the other member sees the unread count in the navigation', { timeout: 60_000 }, async () => {
  const { context, page } = await signedIn(DEMO_MEMBER_2, false);
  await visit(page, url('/a/demo/messages?lang=en'));
  assert.ok(await page.locator('nav a[href$="/messages"], nav a[href*="/messages?"]').count(), 'a Messages entry');
  await context.close();
});

test('a file is attached on the conversation page; a wrong type is explained in the form', { timeout: 180_000 }, async () => {
  // axe needs script in the page; the form itself is a plain multipart post.
  const { context, page } = await signedIn(DEMO_MEMBER);
  const conversations = await conversationPaths(page);
  let target = null;
  for (const path of conversations) {
    await visit(page, url(`${path}?lang=en`));
    if (await page.locator('#file').count()) {
      target = path;
      break;
    }
  }
  assert.ok(target, 'a conversation with a file field');

  await page.locator('#body').fill('A note as text');
  await page.locator('#file').setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('just text') });
  const [refused] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('#composer button[type="submit"]').click(),
  ]);
  assert.equal(refused.status(), 422, 'a text file is refused');
  assert.ok(await page.locator('.error-summary a[href="#file"]').count(), 'the summary links to the file field');
  assert.equal(await page.locator('#body').inputValue(), 'A note as text', 'the draft is kept');
  const problems = await pageProblems(page, null);
  assert.deepEqual(problems, [], problems.join('\n'));

  const text = `With a PDF ${Date.now()}`;
  await page.locator('#body').fill(text);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
  await page.locator('#file').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: pdf });
  const [sent] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('#composer button[type="submit"]').click(),
  ]);
  assert.equal(sent.status(), 200);
  const last = page.locator('main .posts > li').last();
  assert.ok((await last.textContent()).includes(text), 'the message is shown at the bottom');
  assert.equal(await last.locator('a[download]').count(), 1, 'with a download link for the file');
  await context.close();
});

test('moderators handle a report of messages on the pages; they pass axe-core', { timeout: 180_000 }, async (t) => {
  // Mira reports the newest message of her first conversation, over the API.
  const api = (path) => url(`/a/demo/api/v1${path}`);
  const login = await fetch(api('/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_MEMBER, password: DEMO_PASSWORD }),
  });
  assert.equal(login.status, 200, 'API sign-in');
  const { token } = await login.json();
  const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const list = await (await fetch(api('/conversations'), { headers: bearer })).json();
  let messageId = null;
  for (const c of list.conversations) {
    const page = await (await fetch(api(`/conversations/${c.conversation_id}/messages`), { headers: bearer })).json();
    const text = (page.messages || []).find((m) => m.kind === 'text' && !m.own);
    if (text) { messageId = text.message_id; break; }
  }
  assert.ok(messageId, 'a message of someone else to report');
  const filed = await fetch(api('/reports'), {
    method: 'POST',
    headers: bearer,
    body: JSON.stringify({ target_type: 'message', target_id: messageId, kind: 'abuse', reason: 'Browser test' }),
  });
  assert.equal(filed.status, 201, 'reported');
  const { report_id: reportId } = await filed.json();

  const failures = [];
  const { context, page } = await signedIn(DEMO_ADMIN);
  for (const lang of LANGUAGES) {
    for (const path of ['/a/demo/moderation/messages', `/a/demo/moderation/messages/${reportId}`]) {
      const answer = await visit(page, url(`${path}?lang=${lang}`));
      const problems = await pageProblems(page, null);
      if (answer.status() !== 200) problems.unshift(`status ${answer.status()}`);
      if (problems.length) failures.push(`${short(page.url())}:\n    ${problems.join('\n    ')}`);
      else t.diagnostic(`ok ${path}?lang=${lang}`);
    }
  }
  // The list links to the report; the report is closed with its form.
  await visit(page, url('/a/demo/moderation/messages?lang=en'));
  assert.ok(await page.locator(`main a[href*="/moderation/messages/${reportId}"]`).count(), 'the report is listed');
  await visit(page, url(`/a/demo/moderation/messages/${reportId}?lang=en`));
  await page.locator('#resolution-dismissed').check();
  await page.locator('#note').fill('Checked in the browser test');
  const [closed] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form button[type="submit"]').click(),
  ]);
  assert.equal(closed.status(), 200, 'back on the list');
  assert.ok(await page.locator('main [role="status"]').count(), 'a confirmation is shown');
  assert.equal(await page.locator(`main a[href*="/moderation/messages/${reportId}"]`).count(), 0, 'no longer open');
  const problems = await pageProblems(page, null);
  if (problems.length) failures.push(`after closing:\n    ${problems.join('\n    ')}`);
  assert.deepEqual(failures, [], failures.join('\n'));
  await context.close();
});
