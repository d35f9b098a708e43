// (g) Accounts and admission pages:
//     1. axe-core and the structural checks on the signed-out forms, on the
//        member's account pages (every state we can reach) and, signed in as
//        the demo admin, on every staff page;
//     2. registering with the keyboard only (Tab, typing, Space, Enter);
//     3. signing in with the keyboard only;
//     4. form errors: an error summary that axe accepts, that takes focus and
//        whose links lead to the fields;
//     5. without JavaScript, signing in and out works;
//     6. a signed-in form posted without its CSRF token is refused (403), and
//        a signed-out form posted from another site too;
//     7. two-step sign-in: set up with a code, sign in with a recovery code, remove.
// The session cookie is `__Host-kindred-demo` (Secure): Chromium keeps Secure
// cookies on http://127.0.0.1, a potentially trustworthy origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_ADMIN,
  DEMO_MEMBER,
  DEMO_MEMBER_2,
  DEMO_PASSWORD,
  LANGUAGES,
  describeFocus,
  guardedContext,
  launch,
  pageProblems,
  short,
  signIn,
  tabTo,
  totp,
  url,
  visit,
} from '../lib.js';

let browser;
const foreign = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A fresh browser context (own cookies) whose requests may not leave the server. */
async function context(options = {}) {
  const { context: ctx } = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, ...options }, foreign);
  return ctx;
}

/** Visits each path and collects the problems of every page that does not pass. */
async function checkPages(t, page, paths, expectedStatus = 200) {
  const failures = [];
  for (const path of paths) {
    const response = await visit(page, url(path));
    const problems = await pageProblems(page, null);
    if (response.status() !== expectedStatus) problems.unshift(`status ${response.status()}, expected ${expectedStatus}`);
    if (problems.length) failures.push(`${short(page.url())} (from ${path}):\n    ${problems.join('\n    ')}`);
    else t.diagnostic(`ok ${path}`);
  }
  return failures;
}

function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Submits the form of `button` and waits for the resulting page. */
async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

test('signed-out account pages pass axe-core and the structural checks', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const paths = [];
  for (const lang of LANGUAGES) {
    for (const p of ['/register', '/sign-in', '/forgot-password', '/register/sent', '/forgot-password/sent']) {
      paths.push(`/a/demo${p}?lang=${lang}`);
    }
    paths.push(`/a/demo/confirm-email?token=not-a-real-token&lang=${lang}`);
    paths.push(`/a/demo/reset-password?token=not-a-real-token&lang=${lang}`);
    paths.push(`/a/demo/confirm-email/done?lang=${lang}`);
  }
  const failures = await checkPages(t, page, paths);

  // The pages after a used or unknown link (422) and the 403 page.
  await visit(page, url('/a/demo/confirm-email?token=not-a-real-token'));
  const bad = await submit(page, page.locator('main form button[type="submit"]'));
  assert.equal(bad.status(), 422, 'an unknown confirmation link must answer 422');
  const badProblems = await pageProblems(page);
  if (badProblems.length) failures.push(`unknown confirmation link:\n    ${badProblems.join('\n    ')}`);
  assert.ok(
    await page.locator('main a[href*="/sign-in"]').count(),
    'the page for an unknown confirmation link must show the way to a new link (sign in)',
  );

  const signedOut = await visit(page, url('/a/demo/account'));
  assert.match(new URL(page.url()).pathname, /\/sign-in$/, `/account signed out must lead to sign-in (${signedOut.status()})`);

  assert.deepEqual(failures, [], failures.join('\n'));
  await ctx.close();
});

test('register with the keyboard only, then "check your mail"', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, url('/a/demo/register?lang=en'));
  const email = `${unique('kb')}@example.org`;
  const pseudonym = unique('Tastatur ');

  assert.ok(await tabTo(page, '#email'), `Tab never reached the e-mail field (at ${await describeFocus(page)})`);
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pseudonym', 'Tab after e-mail should reach the pseudonym');
  await page.keyboard.type(pseudonym);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password', 'Tab after pseudonym should reach the password');
  await page.keyboard.type('a long sentence I can remember');
  assert.ok(await tabTo(page, '#accept_terms', 5), `Tab never reached the consent checkbox (at ${await describeFocus(page)})`);
  await page.keyboard.press('Space');
  assert.ok(await page.locator('#accept_terms').isChecked(), 'Space did not tick the consent checkbox');
  assert.ok(await tabTo(page, 'main form button[type="submit"]', 3), 'Tab never reached the submit button');
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);

  assert.equal(response.status(), 200, `after registering: status ${response.status()} at ${short(page.url())}`);
  assert.match(new URL(page.url()).pathname, /\/register\/sent$/);
  const h1 = (await page.locator('h1').textContent()).trim();
  assert.equal(h1, 'Please check your mail');
  const text = await page.locator('main').innerText();
  assert.match(text, /If this address can be used for a new account/, 'the page must not tell whether the address was known');
  assert.deepEqual(await pageProblems(page), []);

  // The same address again: the same answer (nothing is revealed).
  await visit(page, url('/a/demo/register?lang=en'));
  await page.locator('#email').fill(email);
  await page.locator('#pseudonym').fill(unique('Zweiter '));
  await page.locator('#password').fill('another long sentence here');
  await page.locator('#accept_terms').check();
  const again = await submit(page, page.locator('main form button[type="submit"]'));
  assert.equal(again.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/register\/sent$/, 'a known address must get the same answer');

  // The new account can sign in and sees where it stands (step 1: confirm the address).
  const signedIn = await signIn(page, email, 'a long sentence I can remember');
  assert.equal(signedIn.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/account$/);
  assert.ok(await page.locator('main form[action*="/account/resend-confirmation"]').count(), 'no resend button for an unconfirmed address');
  assert.deepEqual(await pageProblems(page), [], 'account page of an unconfirmed account');
  await ctx.close();
});

test('sign in with the keyboard only, land on the member home, and come back to a page after signing in', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, url('/a/demo/sign-in'));
  assert.ok(await tabTo(page, '#email'), `Tab never reached the e-mail field (at ${await describeFocus(page)})`);
  await page.keyboard.type(DEMO_MEMBER_2);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
  await page.keyboard.type(DEMO_PASSWORD);
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(response.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/a\/demo\/$/, `signed in, but at ${short(page.url())}`);
  assert.ok(await page.locator('header form[action*="/sign-out"] button').isVisible(), 'no sign-out button in the header');
  // The member home: what is new, topics, groups; axe-clean and reachable by keyboard.
  assert.deepEqual(await pageProblems(page), [], 'the member home page');
  for (const id of ['news-title', 'messages-title', 'events-title', 'unread-title', 'latest-title', 'groups-title']) {
    assert.equal(await page.locator(`#${id}`).count(), 1, `the home page has no #${id}`);
  }
  assert.ok(await tabTo(page, '#latest-title ~ ul a'), 'Tab never reached a topic of the latest list');

  // Sign out with the keyboard as well.
  assert.ok(await tabTo(page, 'header form[action*="/sign-out"] button'), 'Tab never reached the sign-out button');
  const [out] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(out.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/sign-in$/);
  await ctx.close();
});

test('a page for members asked for signed out comes back after signing in', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, url('/a/demo/forum'));
  assert.match(new URL(page.url()).pathname, /\/sign-in$/);
  assert.equal(new URL(page.url()).searchParams.get('next'), '/forum');
  await page.locator('#email').fill(DEMO_MEMBER_2);
  await page.locator('#password').fill(DEMO_PASSWORD);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form button[type="submit"]').first().click(),
  ]);
  assert.equal(response.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/a\/demo\/forum$/, `back at ${short(page.url())}`);
  await ctx.close();
});

/** Checks the error summary of the current page: axe, focus, links to `fieldId`. */
async function checkErrorSummary(page, fieldId) {
  const problems = await pageProblems(page);
  const summary = page.locator('.error-summary');
  assert.equal(await summary.count(), 1, 'no error summary');
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.equal(await summary.getAttribute('tabindex'), '-1', 'the error summary must be focusable');
  assert.ok(
    await page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
    `the error summary should have focus when the page loads, focus is on ${await describeFocus(page)}`,
  );
  assert.ok(/^(Error|Fehler|Fout):/.test(await page.title()), `the title should start with "Error:": ${await page.title()}`);
  const link = summary.locator(`a[href="#${fieldId}"]`);
  assert.equal(await link.count(), 1, `the summary has no link to #${fieldId}`);
  const field = page.locator(`#${fieldId}`);
  // Follow the link with the keyboard.
  assert.ok(await tabTo(page, `.error-summary a[href="#${fieldId}"]`, 5), 'Tab from the summary did not reach its link');
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.activeElement?.id === id, fieldId, { timeout: 5_000 }).catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement?.id), fieldId, 'the summary link did not move focus to the field');
  return { problems, field };
}

test('form errors: summary, focus, links and field messages pass axe-core', async () => {
  const ctx = await context();
  const page = await ctx.newPage();

  // A wrong password (for an address that has no account: the answer is the same).
  await visit(page, url('/a/demo/sign-in?lang=en'));
  const email = `${unique('nobody')}@example.org`;
  await page.locator('#email').fill(email);
  await page.locator('#password').fill('not the password');
  const wrong = await submit(page, page.locator('main form button[type="submit"]'));
  assert.equal(wrong.status(), 401, 'a failed sign-in answers 401');
  const signIn = await checkErrorSummary(page, 'email');
  assert.deepEqual(signIn.problems, [], 'sign-in with errors');
  assert.match(await page.locator('.error-summary').innerText(), /The e-mail address or the password is wrong\./);
  assert.equal(await page.locator('#email').inputValue(), email, 'the e-mail address must be kept');
  assert.equal(await page.locator('#password').inputValue(), '', 'the password must never be sent back');

  // A password that is too short on registration.
  await visit(page, url('/a/demo/register?lang=en'));
  await page.locator('#email').fill(`${unique('short')}@example.org`);
  await page.locator('#pseudonym').fill(unique('Kurz '));
  await page.locator('#password').fill('short');
  await page.locator('#accept_terms').check();
  const short422 = await submit(page, page.locator('main form button[type="submit"]'));
  assert.equal(short422.status(), 422);
  const register = await checkErrorSummary(page, 'password');
  assert.deepEqual(register.problems, [], 'register with errors');
  assert.equal(await register.field.getAttribute('aria-invalid'), 'true');
  const describedBy = (await register.field.getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.split(' ').includes('password-error'), `aria-describedby="${describedBy}" misses the error`);
  assert.ok(describedBy.split(' ').includes('password-hint'), `aria-describedby="${describedBy}" misses the hint`);
  assert.match(await page.locator('#password-error').innerText(), /at least 10 characters/);
  assert.notEqual(await page.locator('#pseudonym').inputValue(), '', 'the pseudonym must be kept');
  assert.ok(await page.locator('#accept_terms').isChecked(), 'the consent must be kept');

  // The same in German.
  await visit(page, url('/a/demo/register?lang=de'));
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  assert.deepEqual(await pageProblems(page), [], 'empty registration form in German');
  assert.ok((await page.locator('.error-summary li').count()) >= 3, 'every missing field is listed');
  await ctx.close();
});

test('without JavaScript, signing in and out works', async () => {
  const ctx = await context({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  const response = await signIn(page, DEMO_MEMBER);
  assert.equal(response.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/a\/demo\/$/, `signed in without JavaScript, but at ${short(page.url())}`);
  assert.ok(await page.locator('h1').isVisible());
  const cookies = await ctx.cookies();
  const session = cookies.find((c) => c.name === '__Host-kindred-demo');
  assert.ok(session, `no session cookie: ${JSON.stringify(cookies.map((c) => c.name))}`);
  assert.ok(session.secure && session.httpOnly && session.sameSite === 'Lax', JSON.stringify(session));

  const out = await submit(page, page.locator('header form[action*="/sign-out"] button'));
  assert.equal(out.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/sign-in$/);
  assert.ok(await page.locator('[role="status"]').isVisible(), 'no notice after signing out');
  assert.equal((await ctx.cookies()).filter((c) => c.name === '__Host-kindred-demo').length, 0, 'the cookie was not cleared');
  await visit(page, url('/a/demo/account'));
  assert.match(new URL(page.url()).pathname, /\/sign-in$/, 'after signing out, /account must lead to sign-in');
  await ctx.close();
});

test('signed-in forms refuse posts without the CSRF token; signed-out forms refuse other sites', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await signIn(page, DEMO_MEMBER);
  assert.match(new URL(page.url()).pathname, /\/a\/demo\/$/, 'a verified member lands on the home page');
  await visit(page, url('/a/demo/account'));
  const csrf = await page.locator('main input[name="csrf"]').first().getAttribute('value');
  assert.ok(csrf && csrf.length >= 20, 'the account page carries no CSRF token');

  const post = (path, body) =>
    page.evaluate(
      async ([p, b]) => {
        const r = await fetch(p, { method: 'POST', body: new URLSearchParams(b), credentials: 'same-origin' });
        return { status: r.status, url: r.url };
      },
      [path, body],
    );
  const withoutToken = await post('/a/demo/account/password', { current_password: DEMO_PASSWORD, new_password: 'changed by an attacker' });
  assert.equal(withoutToken.status, 403, 'a post without the csrf field must be refused');
  const wrongToken = await post('/a/demo/account/password', { csrf: 'x'.repeat(40), current_password: DEMO_PASSWORD, new_password: 'changed by an attacker' });
  assert.equal(wrongToken.status, 403, 'a post with a wrong csrf value must be refused');
  const signOut = await post('/a/demo/sign-out', {});
  assert.equal(signOut.status, 403, 'sign-out without the token must be refused');
  const withToken = await post('/a/demo/account/resend-confirmation', { csrf });
  assert.equal(withToken.status, 200, `a post with the token must work (got ${withToken.status} at ${withToken.url})`);

  // The password did not change, and the session still works.
  await visit(page, url('/a/demo/account'));
  assert.match(new URL(page.url()).pathname, /\/account$/);

  // Signed-out forms: another site's post is refused.
  const request = ctx.request;
  const evil = await request.post(url('/a/demo/sign-in'), {
    form: { email: DEMO_MEMBER, password: DEMO_PASSWORD },
    headers: { Origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  assert.equal(evil.status(), 403, 'a sign-in posted from another origin must be refused');
  const crossSite = await request.post(url('/a/demo/register'), {
    form: { email: 'x@example.org', pseudonym: 'Cross Site', password: 'a long sentence', accept_terms: 'yes' },
    headers: { 'Sec-Fetch-Site': 'cross-site' },
    maxRedirects: 0,
  });
  assert.equal(crossSite.status(), 403, 'a registration marked Sec-Fetch-Site: cross-site must be refused');
  await ctx.close();
});

test('two-step sign-in: set up, sign in with a recovery code, remove', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await signIn(page, DEMO_MEMBER);
  const failures = [];
  const check = async (what) => {
    const problems = await pageProblems(page);
    if (problems.length) failures.push(`${what} (${short(page.url())}):\n    ${problems.join('\n    ')}`);
  };
  let active = false;
  try {
    await visit(page, url('/a/demo/account/two-factor?lang=en'));
    await check('two-factor, not set up');
    await submit(page, page.getByRole('button', { name: 'Set up an authenticator app' }));
    assert.match(new URL(page.url()).pathname, /\/account\/two-factor$/);
    const svg = page.locator('figure.qr svg');
    assert.equal(await svg.count(), 1, 'no QR code');
    assert.ok((await svg.getAttribute('aria-label'))?.length > 10, 'the QR code has no text alternative');
    assert.equal(await page.locator('figure.qr [style]').count(), 0, 'the QR code must not use style attributes (CSP)');
    await check('two-factor setup with QR code');
    const secret = (await page.locator('code.secret').innerText()).trim();
    assert.ok(secret.replace(/\s/g, '').length >= 16, `no secret shown: "${secret}"`);

    await page.locator('#code').fill('000000');
    await page.locator('#password').fill(DEMO_PASSWORD);
    const wrong = await submit(page, page.locator('form[action*="/two-factor/confirm"] button'));
    assert.equal(wrong.status(), 422);
    await check('two-factor setup with a wrong code');

    await page.locator('#code').fill(await totp(secret));
    await page.locator('#password').fill(DEMO_PASSWORD);
    const confirmed = await submit(page, page.locator('form[action*="/two-factor/confirm"] button'));
    assert.equal(confirmed.status(), 200);
    active = true;
    const codes = await page.locator('ol.codes code').allInnerTexts();
    assert.equal(codes.length, 10, 'ten recovery codes are shown');
    await check('recovery codes');

    // Sign in again: the password, then a recovery code.
    await submit(page, page.locator('header form[action*="/sign-out"] button'));
    await signIn(page, DEMO_MEMBER);
    assert.match(new URL(page.url()).pathname, /\/sign-in\/second-factor$/, `expected the second step, at ${short(page.url())}`);
    await check('second step of signing in');
    await visit(page, url('/a/demo/account'));
    assert.match(new URL(page.url()).pathname, /\/sign-in\/second-factor$/, 'half signed in, /account must send back to the second step');
    await page.locator('#code').fill(codes[0]);
    const through = await submit(page, page.locator('main form[action*="/second-factor"] button[type="submit"]'));
    assert.equal(through.status(), 200);
    assert.match(new URL(page.url()).pathname, /\/a\/demo\/account$/, 'after the second step, back to the page asked for');

    await visit(page, url('/a/demo/account/two-factor?lang=en'));
    assert.match(await page.locator('main').innerText(), /9 unused recovery codes/);
    await check('two-factor, active');
  } finally {
    if (active) {
      await visit(page, url('/a/demo/account/two-factor?lang=en'));
      if ((await page.locator('#password').count()) === 1) {
        await page.locator('#password').fill(DEMO_PASSWORD);
        await submit(page, page.locator('form[action*="/two-factor/remove"] button'));
      }
    }
  }
  assert.match(await page.locator('[role="status"]').innerText(), /removed/);
  assert.deepEqual(failures, [], failures.join('\n'));
  await ctx.close();
});

test('an account waiting for verification: the forms and their errors pass axe-core', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const failures = [];
  // waiting4 has chosen no way yet; waiting2 (Dutch) waits for a letter.
  for (const [email, label] of [
    ['waiting4@demo.kindred.invalid', 'no way chosen'],
    ['waiting2@demo.kindred.invalid', 'waiting for a letter'],
  ]) {
    await ctx.clearCookies();
    const response = await signIn(page, email);
    if (!/\/account$/.test(new URL(page.url()).pathname)) {
      t.diagnostic(`${email} could not sign in (${response.status()} at ${short(page.url())}); skipped`);
      continue;
    }
    const problems = await pageProblems(page);
    if (problems.length) failures.push(`${label}:\n    ${problems.join('\n    ')}`);
    for (const lang of LANGUAGES) {
      await visit(page, url(`/a/demo/account?lang=${lang}`));
      const p = await pageProblems(page, null);
      if (p.length) failures.push(`${label} [${lang}]:\n    ${p.join('\n    ')}`);
    }
  }

  // A wrong member number: one message that does not say which entry was wrong.
  await ctx.clearCookies();
  await signIn(page, 'waiting4@demo.kindred.invalid');
  if ((await page.locator('#mn-member_number').count()) === 1) {
    await page.locator('#mn-member_number').fill('NOPE-0000');
    await page.locator('#mn-postcode').fill('10115');
    await page.locator('#mn-birth_date').fill('01.01.1970');
    const response = await submit(page, page.locator('form[action*="/verify/member-number"] button'));
    assert.equal(response.status(), 422);
    const { problems } = await checkErrorSummary(page, 'mn-member_number');
    if (problems.length) failures.push(`member number mismatch:\n    ${problems.join('\n    ')}`);
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 0, 'a mismatch must not point at one entry');
    assert.equal(await page.locator('#mn-member_number').inputValue(), 'NOPE-0000', 'the entries must be kept');
  } else {
    t.diagnostic('waiting4 is no longer waiting; the mismatch check was skipped');
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  await ctx.close();
});

test('signed in as the demo admin: account and staff pages pass axe-core', async (t) => {
  const ctx = await context();
  const page = await ctx.newPage();
  const response = await signIn(page, DEMO_ADMIN);
  assert.equal(response.status(), 200);
  assert.match(new URL(page.url()).pathname, /\/a\/demo\/$/, `the admin is at ${short(page.url())}`);
  assert.ok(await page.locator('header nav a[href$="/staff"]').count(), 'no "Staff" entry in the navigation');

  const pages = [
    '/account',
    '/account/sessions',
    '/account/notifications',
    '/account/password',
    '/account/two-factor',
    '/staff',
    '/staff/verifications',
    '/staff/member-list',
    '/staff/letters',
    '/staff/invitations',
    '/staff/roles',
    '/staff/members',
    '/staff/flags',
    '/staff/audit-log',
    '/', // the existing pages show the signed-in state too
    '/privacy',
  ];
  const paths = [];
  for (const lang of LANGUAGES) for (const p of pages) paths.push(`/a/demo${p}?lang=${lang}`);
  const failures = await checkPages(t, page, paths);

  const check = async (what, status, result) => {
    const problems = await pageProblems(page);
    if (result.status() !== status) problems.unshift(`status ${result.status()}, expected ${status}`);
    if (problems.length) failures.push(`${what} (${short(page.url())}):\n    ${problems.join('\n    ')}`);
  };

  // Forms with results and errors.
  await visit(page, url('/a/demo/staff/invitations'));
  await page.locator('#count').fill('3');
  const create = page.locator('#count').locator('xpath=ancestor::form').locator('button[type="submit"]');
  await check('new invitation codes', 200, await submit(page, create));
  assert.equal(await page.locator('ol.codes li').count(), 3, 'three codes are shown');
  await page.locator('#count').fill('0');
  await check('invitation count out of range', 422, await submit(page, create));

  await visit(page, url('/a/demo/staff/member-list'));
  await page.locator('#csv').fill('number,zip\n1,2\n');
  await check('member list that cannot be read', 422, await submit(page, page.locator('main form button[type="submit"]')));
  assert.match(await page.locator('#csv-error').innerText(), /Line 1/);

  await visit(page, url('/a/demo/staff/roles'));
  await page.locator('#pseudonym').fill('Mira am Meer');
  await check('a member found for a role', 200, await submit(page, page.locator('form[action$="/staff/roles"] button').first()));
  assert.equal(await page.locator('input[name="role"][value="member"]').isChecked(), true);
  await page.locator('#pseudonym').fill('Nobody by this name');
  await check('no member found', 422, await submit(page, page.locator('form[action$="/staff/roles"] button').first()));

  await visit(page, url('/a/demo/staff/members'));
  await page.locator('#pseudonym').fill('Tom aus Köln');
  await check('a member found for suspension', 200, await submit(page, page.locator('form[action$="/staff/members"] button').first()));
  assert.equal(await page.locator('form[action*="/suspend"]').count(), 1, 'a suspend form for an active member');

  // Approve one waiting member, with a note.
  await visit(page, url('/a/demo/staff/verifications'));
  const row = page.locator('tbody tr', { hasText: 'Marco Nachtschicht' });
  if ((await row.count()) === 1) {
    await row.locator('input[name="note"]').fill('Known from the Tuesday group');
    await check('after approving', 200, await submit(page, row.locator('button[type="submit"]')));
    assert.match(await page.locator('[role="status"]').innerText(), /verified/);
    assert.equal(await page.locator('tbody tr', { hasText: 'Marco Nachtschicht' }).count(), 0);
  } else {
    t.diagnostic('Marco Nachtschicht is not waiting (the demo was used before); approval skipped');
  }

  // The audit log names what happened.
  // (Showing the verification queue is audited per member shown, so the
  // entry may be some pages back.)
  await visit(page, url('/a/demo/staff/audit-log?lang=en'));
  let log = await page.locator('main table').innerText();
  for (let i = 0; i < 10 && !/Created invitation codes/.test(log); i++) {
    const older = page.locator('main nav.pager a', { hasText: 'Older entries' }).first();
    if (!(await older.count())) break;
    await visit(page, new URL(await older.getAttribute('href'), page.url()).href);
    log = await page.locator('main table').innerText();
  }
  assert.match(log, /Created invitation codes/);

  // The letters PDF is served to the signed-in admin.
  const pdf = await ctx.request.get(url('/a/demo/staff/letters.pdf'));
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');

  // A member is refused the staff pages.
  const member = await context();
  const memberPage = await member.newPage();
  await signIn(memberPage, DEMO_MEMBER_2);
  const refused = await visit(memberPage, url('/a/demo/staff/verifications'));
  assert.equal(refused.status(), 403, 'a member must get 403 on the staff pages');
  const refusedProblems = await pageProblems(memberPage);
  if (refusedProblems.length) failures.push(`403 page:\n    ${refusedProblems.join('\n    ')}`);
  await member.close();

  assert.deepEqual(failures, [], failures.join('\n'));
  await ctx.close();
});

test('account pages made no third-party requests', () => {
  assert.deepEqual(foreign, [], foreign.join('\n'));
});
