// (c) Calls between two browsers, through the deployment's TURN relay
//     (coturn, started by scripts/test; the server hands out TURN REST
//     credentials and `relay` as the transport policy, so a connection
//     can only come about through coturn). Mira starts a voice call on
//     her conversation with the group leader; his open page shows the
//     incoming call and he answers; both see the other connected. The
//     conversation's call section, the call page and the ended call pass
//     axe-core in de/en/nl; the call page without JavaScript says what a
//     call needs and still lets the member leave. The conversation lists
//     its calls among the messages, naming nobody, and reflows at 390 px
//     and at 200 % zoom.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MEMBER, DEMO_MODERATOR, DEMO_PASSWORD, LANGUAGES, guardedContext, launch, pageProblems, short, signIn, url, visit } from '../lib.js';

let browser;
const foreign = [];

before(async () => {
  // A camera and a microphone that make a test picture and a tone, and no
  // permission prompt: what a member's browser does after "Allow".
  browser = await launch(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
});

after(async () => {
  await browser?.close();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});

async function member(email, options = {}) {
  const { context } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, ...options }, foreign);
  if (options.javaScriptEnabled !== false) {
    await context.grantPermissions(['microphone', 'camera'], { origin: url('/') });
  }
  const page = await context.newPage();
  const response = await signIn(page, email);
  assert.equal(response.status(), 200, `sign-in as ${email}`);
  return { context, page };
}

/** The conversation between Mira and the group leader, as a page path. */
async function conversationPath() {
  const api = url('/a/demo/api/v1');
  const login = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_MEMBER, password: DEMO_PASSWORD }),
  });
  const { token } = await login.json();
  const list = await (await fetch(`${api}/conversations`, { headers: { authorization: `Bearer ${token}` } })).json();
  const found = list.conversations.find((c) => !c.group_id && c.status === 'active' && c.members.some((m) => m.pseudonym === 'Gruppenleiter Jonas'));
  assert.ok(found, 'the demo conversation of Mira and Jonas');
  return `/a/demo/messages/${found.conversation_id}`;
}

test('two members call each other through the TURN relay; the call pages pass axe-core', { timeout: 300_000 }, async (t) => {
  const failures = [];
  const conversation = await conversationPath();
  const mira = await member(DEMO_MEMBER);
  const jonas = await member(DEMO_MODERATOR);

  // The call section of the conversation, in every language.
  for (const lang of LANGUAGES) {
    const href = url(`${conversation}?lang=${lang}`);
    await visit(mira.page, href);
    assert.equal(await mira.page.locator('main form[action*="/call"] button').count(), 2, `voice and video offered (${lang})`);
    for (const problem of await pageProblems(mira.page, href)) failures.push(`${short(href)}: ${problem}`);
  }

  // Jonas waits on his message list; Mira starts a voice call.
  await visit(jonas.page, url('/a/demo/messages?lang=en'));
  await visit(mira.page, url(`${conversation}?lang=en`));
  const miraJoined = mira.page.waitForResponse((r) => r.url().endsWith('/join') && r.request().method() === 'POST');
  await Promise.all([
    mira.page.waitForURL(/\/a\/demo\/calls\/[a-z2-7]{26}/),
    mira.page.locator('main form[action*="/call"] button[value="0"]').click(),
  ]);
  const callPath = new URL(mira.page.url()).pathname;
  const joined = await (await miraJoined).json();
  assert.equal(joined.ice_transport_policy, 'relay', 'the deployment relays every call');
  const turn = joined.ice_servers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
  assert.ok(turn && /^\d+:[a-z0-9]+$/.test(turn.username) && turn.credential, `TURN with REST credentials: ${JSON.stringify(joined.ice_servers)}`);
  await mira.page.locator('#call-status', { hasText: 'Waiting for the others' }).waitFor({ timeout: 30_000 });
  assert.equal(await mira.page.locator('[data-call-mute][aria-pressed="false"]').count(), 1, 'the microphone control');

  // Jonas's page rings: an incoming call with a link to answer.
  const answer = jonas.page.locator('.call-incoming a');
  await answer.waitFor({ timeout: 30_000 });
  assert.match(await jonas.page.locator('.call-incoming').innerText(), /Incoming voice call: Mira am Meer/);
  await Promise.all([jonas.page.waitForURL(/\/a\/demo\/calls\//), answer.click()]);
  assert.equal(new URL(jonas.page.url()).pathname, callPath, 'the answer leads to the call');

  // Both connect, through the relay only.
  const connected = (page) => page.locator('.call-people li[data-state="connected"]').waitFor({ timeout: 60_000 });
  await Promise.all([connected(mira.page), connected(jonas.page)]);
  assert.match(await mira.page.locator('#call-status').innerText(), /Connected with Gruppenleiter Jonas/);
  for (const problem of await pageProblems(mira.page, mira.page.url())) failures.push(`${callPath} in a call: ${problem}`);

  // The microphone turns off and on with its button, its state announced.
  const mute = mira.page.locator('[data-call-mute]');
  await mute.click();
  assert.equal(await mute.getAttribute('aria-pressed'), 'true');
  await mute.click();
  assert.equal(await mute.getAttribute('aria-pressed'), 'false');

  // The call page in every language (a second tab of Jonas: the same member
  // joins again), and without JavaScript: what a call needs, and leaving.
  for (const lang of LANGUAGES) {
    const page = await jonas.context.newPage();
    const href = url(`${callPath}?lang=${lang}`);
    await visit(page, href);
    for (const problem of await pageProblems(page, href)) failures.push(`${short(href)}: ${problem}`);
    await page.close({ runBeforeUnload: false });
  }
  await connected(mira.page);
  const still = await member(DEMO_MEMBER, { javaScriptEnabled: false });
  await visit(still.page, url(`${callPath}?lang=en`));
  assert.match(await still.page.locator('#call-status').innerText(), /needs JavaScript/);
  assert.equal(await still.page.locator('main form[action$="/leave?lang=en"] button, main form[action$="/leave"] button').count(), 1, 'leaving works without the script');
  await still.context.close();

  // Jonas leaves with the button; Mira hears of it; her leaving ends the call.
  await visit(jonas.page, url(`${callPath}?lang=en`));
  await Promise.all([
    jonas.page.waitForURL((u) => u.pathname === conversation),
    jonas.page.locator('main form[action*="/leave"] button').click(),
  ]);
  await mira.page.locator('#call-status', { hasText: 'left the call' }).waitFor({ timeout: 30_000 });
  await Promise.all([
    mira.page.waitForURL((u) => u.pathname === conversation),
    mira.page.locator('main form[action*="/leave"] button').click(),
  ]);
  for (const lang of LANGUAGES) {
    const href = url(`${callPath}?lang=${lang}`);
    await visit(mira.page, href);
    assert.equal(await mira.page.locator('main .notice').count(), 1, `the call has ended (${lang})`);
    for (const problem of await pageProblems(mira.page, href)) failures.push(`${short(href)} ended: ${problem}`);
  }
  await mira.context.close();
  await jonas.context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the conversation lists its calls among the messages, naming nobody, at 390 px and at 200 % zoom', { timeout: 120_000 }, async () => {
  const failures = [];
  const conversation = await conversationPath();
  const sizes = [
    ['390 px', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }],
    ['200 % zoom', { viewport: { width: 640, height: 480 }, deviceScaleFactor: 2 }],
  ];
  for (const [name, options] of sizes) {
    const mira = await member(DEMO_MEMBER, options);
    for (const lang of LANGUAGES) {
      const href = url(`${conversation}?lang=${lang}`);
      await visit(mira.page, href);
      const lines = mira.page.locator('main .call-line');
      if ((await lines.count()) === 0) failures.push(`${name} ${lang}: no call among the messages`);
      const text = (await lines.allInnerTexts()).join(' ');
      if (text.includes('Jonas')) failures.push(`${name} ${lang}: a call line names someone: ${text}`);
      const sideways = await mira.page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
      if (sideways) failures.push(`${name} ${lang}: the conversation scrolls sideways`);
      for (const problem of await pageProblems(mira.page, href)) failures.push(`${name} ${short(href)}: ${problem}`);
    }
    await mira.context.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
