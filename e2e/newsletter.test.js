// A newsletter from sign-up to unsubscribe, in Chromium against the real
// binary and a real SMTP server (Mailpit): a reader signs up after a story
// and confirms by the link read from Mailpit; the editor sends a briefing;
// the issue arrives with both RFC 8058 headers and a DKIM signature that an
// independent verifier accepts; a cookie-less POST to the one-click URL
// (as a mail client makes it) unsubscribes; the next issue skips the
// address.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe } from 'node:test';

import { launchChromium } from './lib/browser.js';
import { steps } from './lib/steps.js';
import { signIn, submit } from './lib/newsroom.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';
import { dkimKey, body as mailBody, startSMTP, verifyDKIM } from './lib/smtp.js';

const editor = { email: 'nell.news@example.org', name: 'Nell Okonjo', role: 'editor', password: 'newsletter editor pass 1' };
const reader = 'ruth.reader@example.org';
const other = 'otto.other@example.org';
const dkim = { domain: 'ledger.example', selector: 'e2e2026' };

// headers unfolds a raw message's header block into name → value.
function headers(raw) {
  const block = raw.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');
  const out = {};
  for (const line of block.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

describe('a newsletter from sign-up to one-click unsubscribe', { timeout: 120_000 }, () => {
  let scratch, server, smtp, browser;
  const consoleErrors = [];
  const pages = {};
  let unsubscribeURL;

  const { step, shot, shots, open } = steps('newsletter', { pages, server: () => server, browser: () => browser, consoleErrors });

  // confirm follows the confirmation link mailed to email in page.
  async function confirm(page, email) {
    const mail = await smtp.waitFor(email);
    const link = /https?:\/\/\S+\/newsletters\/confirm\/[A-Za-z0-9_-]+/.exec(mailBody(mail.raw));
    assert.ok(link, `no confirmation link for ${email}:\n${mailBody(mail.raw)}`);
    await page.goto(new URL(link[0]).pathname);
    await submit(page.getByRole('button', { name: 'Confirm my subscription' }));
    await page.getByRole('heading', { level: 1 }).waitFor();
    smtp.messages.splice(smtp.messages.indexOf(mail), 1);
  }

  // sendBriefing sends a briefing from the newsletter's newsroom screen.
  async function sendBriefing(page, subject) {
    await page.goto('/admin/newsletters');
    await page.getByRole('link', { name: 'Daily Ledger' }).click();
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel(/^Introduction/).fill(`Good morning. This is ${subject}.`);
    await submit(page.getByRole('button', { name: /^Send to/ }));
    assert.match(await page.content(), /Issue queued/);
  }

  before(async () => {
    scratch = scratchDir('newsletter');
    smtp = await startSMTP();
    const bin = buildMasthead(scratch.dir);
    const dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, editor);
    Object.assign(dkim, dkimKey(scratch.dir));
    server = await startMasthead(bin, dataDir, ['--smtp-addr', smtp.addr, '--smtp-from', 'Newsroom <bounces@ledger.example>',
      '--dkim-key', dkim.keyFile, '--dkim-selector', dkim.selector]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    scratch?.cleanup();
    console.log(`# screenshots: ${shots}`);
  });

  step('the editor defines a briefing', async () => {
    const page = await open('editor');
    await signIn(page, editor.email, editor.password);
    await page.goto('/admin/newsletters');
    await page.getByLabel('Name', { exact: true }).fill('Daily Ledger');
    await page.locator('#nl-from-email').fill('news@ledger.example');
    await submit(page.getByRole('button', { name: 'Add newsletter' }));
    assert.match(new URL(page.url()).pathname, /^\/admin\/newsletters\/\d+$/);
  });

  step('a reader signs up after a story and confirms by the mailed link', async () => {
    const page = await open('reader');
    await page.goto('/');
    const story = await page.locator('main a[href^="/20"]').first().getAttribute('href');
    await page.goto(story);
    await page.getByLabel('Your email address').fill(reader);
    await submit(page.getByRole('button', { name: 'Sign up' }));
    assert.match(await page.content(), /a message is on its way/);
    await confirm(page, reader);
    await shot(page, 'confirmed');
    // A second subscriber, so that the second issue has someone to go to.
    await page.goto('/newsletters');
    await page.getByLabel('Your email address').fill(other);
    await submit(page.getByRole('button', { name: 'Sign up' }));
    await confirm(page, other);
  });

  step('the editor sends a briefing; it arrives with both unsubscribe headers and a valid DKIM signature', async () => {
    await sendBriefing(pages.editor, 'Issue one');
    await shot(pages.editor, 'queued');
    const mail = await smtp.waitFor(reader);
    const h = headers(mail.raw);
    assert.equal(h.subject, 'Issue one');
    assert.equal(h['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    const m = /<(https?:\/\/[^>]+)>/.exec(h['list-unsubscribe'] ?? '');
    assert.ok(m, `List-Unsubscribe: ${h['list-unsubscribe']}`);
    unsubscribeURL = m[1];
    assert.match(mailBody(mail.raw), /Unsubscribe/);
    assert.match(h['dkim-signature'] ?? '', /\bd=ledger\.example;.*\bs=e2e2026;/);
    assert.equal(verifyDKIM(mail.raw, dkim), '', 'the DKIM signature does not verify');
    // The verifier is real: the same message with its subject changed fails.
    assert.notEqual(verifyDKIM(mail.raw.replace('\r\nSubject: Issue one', '\r\nSubject: Issue 1'), dkim), '');
    smtp.messages.length = 0;
  });

  step('a cookie-less POST to the one-click URL unsubscribes', async () => {
    const res = await fetch(unsubscribeURL, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.ok(res.status < 300, `one-click unsubscribe answered ${res.status}`);
  });

  step('the next issue skips the address', async () => {
    await sendBriefing(pages.editor, 'Issue two');
    const mail = await smtp.waitFor(other);
    assert.equal(headers(mail.raw).subject, 'Issue two');
    assert.equal(verifyDKIM(mail.raw, dkim), '');
    // Queued to one address only: the reader's was left out when the
    // issue was queued, so no later delivery can reach it.
    await pages.editor.reload();
    const item = await pages.editor.locator('li', { hasText: 'Issue two' }).textContent();
    assert.match(item, /\b1 queued\b/);
    await smtp.poll();
    assert.ok(!smtp.messages.some((msg) => msg.to.some((r) => r.includes(reader))), 'the unsubscribed reader got issue two');
  });

  step('no page logged an error in the browser console', async () => {
    assert.deepEqual(consoleErrors, []);
  });
});
