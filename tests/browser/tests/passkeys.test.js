// Passkeys with Chromium's virtual authenticator (DevTools' WebAuthn domain):
// a demo member adds a passkey on /a/demo/account/passkeys, signs out, signs
// in with password + passkey, and removes the passkey again (so that the
// other test files find the demo account as it was).
//
// WebAuthn needs a secure context and a domain as relying party: the browser
// uses http://localhost:PORT, not 127.0.0.1, and ./scripts/test starts the
// demo with server.public_url = "http://localhost:PORT".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, axe, launch, visit } from '../lib.js';

const ORIGIN = `${BASE.protocol}//localhost:${BASE.port}`;
// The professional of the demo: no other browser test signs in as her.
const EMAIL = 'neurologin@demo.kindred.invalid';
const PASSWORD = 'kindred-demo-2026';
const NAME = 'Virtual key';

let browser;
let context;
let page;
let cdp;
let authenticatorId;
const foreign = [];

function at(path) {
  return new URL(path, ORIGIN).href;
}

before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  // Nothing but the server itself, at its localhost origin.
  await context.route('**/*', async (route) => {
    const target = route.request().url();
    if (new URL(target).origin === ORIGIN) {
      await route.continue();
    } else {
      foreign.push(`${route.request().method()} ${target}`);
      await route.abort('blockedbyclient');
    }
  });
  page = await context.newPage();
  cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  }));
});

after(async () => {
  await browser?.close();
});

async function signIn() {
  const response = await visit(page, at('/a/demo/sign-in?lang=en'));
  assert.equal(response.status(), 200, 'sign-in page');
  await page.fill('#email', EMAIL);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

async function signOut() {
  await Promise.all([page.waitForNavigation(), page.click('form.sign-out button[type="submit"]')]);
}

test('a passkey is added on the passkeys page and then completes a sign-in', async () => {
  await signIn();
  assert.match(new URL(page.url()).pathname, /\/a\/demo\/$/, `signed in, at ${page.url()}`);

  const response = await visit(page, at('/a/demo/account/passkeys?lang=en'));
  assert.equal(response.status(), 200);
  assert.ok(await page.isVisible('[data-passkey-register]'), 'the script shows "Add a passkey"');
  assert.ok(!(await page.isVisible('[data-passkey-no-script]')), 'the no-JavaScript note is hidden');
  const violations = await axe(page);
  assert.deepEqual(violations, [], violations.join('\n'));

  await page.fill('#passkey-name', NAME);
  // Adding a second factor needs the password again.
  await page.fill('#passkey-password', PASSWORD);
  await page.click('[data-passkey-add]');
  // Her first second factor: recovery codes, shown once, focused.
  await page.waitForSelector('[data-passkey-codes]:not([hidden])');
  const codes = await page.$$eval('[data-passkey-code-list] li', (items) => items.map((li) => li.textContent.trim()));
  assert.equal(codes.length, 10, `recovery codes: ${codes.join(', ')}`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'passkey-codes-title');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1, 'the virtual authenticator holds the passkey');
  assert.equal(credentials[0].rpId, 'localhost');

  await Promise.all([page.waitForNavigation(), page.click('[data-passkey-codes] a')]);
  assert.match(await page.textContent('main'), /Your passkey was added\./);
  assert.match(await page.textContent('main table'), new RegExp(NAME));
  assert.match(await page.textContent('main table'), /Not used yet/);

  // Password alone is not enough now; the passkey is the second step.
  await signOut();
  await signIn();
  assert.match(new URL(page.url()).pathname, /\/sign-in\/second-factor$/, `second step, at ${page.url()}`);
  await page.waitForSelector('[data-passkey-sign-in]:not([hidden])');
  const secondStep = await axe(page);
  assert.deepEqual(secondStep, [], secondStep.join('\n'));
  await Promise.all([page.waitForURL(/\/a\/demo\/account(\?|$)/), page.click('[data-passkey-use]')]);

  // Signed in: the passkey was used, and it can be removed without the script.
  await visit(page, at('/a/demo/account/passkeys?lang=en'));
  const table = await page.textContent('main table');
  assert.ok(!/Not used yet/.test(table), `last use shown: ${table}`);
  // "Remove" leads to a confirmation page that asks for the password.
  await Promise.all([page.waitForNavigation(), page.click('main table a[href*="/remove"]')]);
  const confirmPage = await axe(page);
  assert.deepEqual(confirmPage, [], confirmPage.join('\n'));
  await page.fill('main form input[type="password"]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('main form button.danger')]);
  assert.match(await page.textContent('main'), /The passkey was removed\./);
  assert.equal(await page.$('main table'), null, 'no passkeys left');

  // Without a passkey the password is enough again.
  await signOut();
  await signIn();
  assert.match(new URL(page.url()).pathname, /\/a\/demo\/$/, `signed in, at ${page.url()}`);
  await signOut();
  assert.deepEqual(foreign, [], `requests to other hosts: ${foreign.join(', ')}`);
});
