// A section follow, in Chromium against the real binary and Mailpit: the
// editor defines a daily digest of a section; a reader follows it from the
// section's page and confirms by the mailed link; the editor publishes a
// story there and sends the digest without waiting for its time; it
// arrives with that story, once, and sending again finds nothing new; the
// archive and its feed list it. (The schedule itself is tested with a
// manual clock in internal/newsroom, not by waiting here.) The newsletter screens have no axe-core
// violations at 1280 and 360 pixels wide, and they and the reader's pages
// pass the Nu HTML Checker.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe } from 'node:test';

import { launchChromium } from './lib/browser.js';
import { checkFailure, formatHTMLErrors, formatViolations, runAxe, validateHTML } from './lib/checks.js';
import { steps } from './lib/steps.js';
import { fillBody, signIn, submit } from './lib/newsroom.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';
import { body as mailBody, startSMTP } from './lib/smtp.js';

const editor = { email: 'fay.follows@example.org', name: 'Fay Okafor', role: 'editor', password: 'follows editor pass 1' };
const reader = 'pat.politics@example.org';
const headline = 'Council votes to keep the night buses running';

// subjectOf is a raw message's Subject header, unfolded.
function subjectOf(raw) {
  const m = /^Subject: (.*(?:\r\n[ \t].*)*)/mi.exec(raw.split('\r\n\r\n')[0]);
  return m ? m[1].replace(/\r\n[ \t]+/g, ' ') : '';
}

describe('a section follow, sent as a digest at its time', { timeout: 600_000 }, () => {
  let scratch, server, smtp, browser;
  const consoleErrors = [];
  const pages = {};
  let screen;

  const { step, shot, shots, open } = steps('follows', { pages, server: () => server, browser: () => browser, consoleErrors });

  // axeAt checks page at both widths.
  async function axeAt(page, label) {
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      const v = await runAxe(page);
      if (v.length) throw checkFailure(formatViolations(`${label} at ${width}px`, page.url(), v));
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.ok(!sideways, `${label} scrolls sideways at ${width}px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  before(async () => {
    scratch = scratchDir('follows');
    smtp = await startSMTP();
    const bin = buildMasthead(scratch.dir);
    const dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, editor);
    server = await startMasthead(bin, dataDir, ['--timezone', 'UTC', '--send-rate', '20/s',
      '--smtp-addr', smtp.addr, '--smtp-from', 'Newsroom <bounces@courier.example>']);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    scratch?.cleanup();
    console.log(`# screenshots: ${shots}`);
  });

  step('the editor defines a daily digest of Politics', async () => {
    const page = await open('editor');
    await signIn(page, editor.email, editor.password);
    await page.goto('/admin/newsletters');
    await axeAt(page, 'the newsletters screen');
    await page.getByLabel('Name', { exact: true }).fill('Politics daily');
    await page.locator('#nl-from-email').fill('politics@courier.example');
    await page.locator('input[name=kind][value=section]').check();
    await page.locator('#nl-section').selectOption({ label: 'Politics' });
    await page.locator('#nl-every').selectOption('daily');
    const at = '07:00';
    await page.locator('#nl-at').fill(at);
    await submit(page.getByRole('button', { name: 'Add newsletter' }));
    assert.match(new URL(page.url()).pathname, /^\/admin\/newsletters\/\d+$/);
    screen = new URL(page.url()).pathname;
    const text = await page.locator('main').textContent();
    assert.match(text, /section follow: Politics/);
    assert.match(text, new RegExp(`Daily at ${at}`));
    assert.match(text, /published in Politics since the last digest/);
    await shot(page, 'follow-defined');
    await axeAt(page, 'the follow\'s screen');
  });

  step('a reader follows Politics from its page and confirms by the mailed link', async () => {
    const page = await open('reader');
    await page.goto('/section/politics');
    const form = page.locator('form.newsletter-follow');
    assert.match(await form.textContent(), /No tracking pixels, no rewritten links/);
    await form.getByLabel('Your email address').fill(reader);
    await submit(form.getByRole('button', { name: 'Follow' }));
    assert.match(await page.content(), /a message is on its way/);
    const mail = await smtp.waitFor(reader);
    const link = /https?:\/\/\S+\/newsletters\/confirm\/[A-Za-z0-9_-]+/.exec(mailBody(mail.raw));
    assert.ok(link, `no confirmation link:\n${mailBody(mail.raw)}`);
    await page.goto(new URL(link[0]).pathname);
    await submit(page.getByRole('button', { name: 'Confirm my subscription' }));
    assert.match(await page.content(), /You are subscribed/);
    smtp.messages.length = 0;
  });

  step('the editor publishes a story in Politics', async () => {
    const page = pages.editor;
    await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'New article' }).click();
    await page.getByLabel('Headline', { exact: true }).fill(headline);
    await page.getByLabel('Standfirst', { exact: true }).fill('The 11pm service survives the budget.');
    await fillBody(page, 'Councillors voted 31 to 12 on Tuesday night.');
    await page.getByLabel('Section').selectOption({ label: 'Politics' });
    await submit(page.getByRole('button', { name: 'Create draft' }));
    await submit(page.getByRole('button', { name: 'Publish now' }));
    await page.locator('.meta .status', { hasText: 'published' }).waitFor();
  });

  step('the editor sends the digest now; it arrives with the story, once', async () => {
    const page = pages.editor;
    await page.goto(screen);
    await submit(page.getByRole('button', { name: 'Send the digest to 1 subscriber now' }));
    assert.match(await page.locator('main').textContent(), /Issue queued/);
    const digest = await smtp.waitFor(reader);
    assert.equal(subjectOf(digest.raw), `Politics daily: ${headline}`);
    const text = mailBody(digest.raw);
    assert.match(text, /New in Politics on the site since the last Politics daily/);
    assert.match(text, /The 11pm service survives the budget\./);
    // Nothing new since: a second press says so and sends nothing.
    await page.goto(screen);
    await page.getByRole('button', { name: 'Send the digest to 1 subscriber now' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('.error-box').textContent(), /Nothing new has been published there since the last digest/);
    // The browser reports the form's 422 as a failed load: expected here.
    const refused = consoleErrors.findIndex((e) => e.includes('/digest: console: Failed to load resource') && e.includes('422'));
    assert.ok(refused >= 0, 'the refusal was a 422');
    consoleErrors.splice(refused, 1);
    await axeAt(page, 'the follow\'s screen with an error');
    await smtp.poll();
    assert.equal(smtp.messages.filter((m) => m.to.some((r) => r.includes(reader))).length, 1, 'the digest came twice');
  });

  step('the issue is on the newsroom screen, in the archive and in its feed', async () => {
    const page = pages.editor;
    await page.goto(screen);
    const item = await page.locator('.issue-list li', { hasText: headline }).textContent();
    assert.match(item, /1 queued · 1 sent · 0 failed · 0 remaining/);
    await shot(page, 'digest-sent');
    await axeAt(page, 'the follow\'s screen with an issue');
    const reader = pages.reader;
    await reader.goto('/newsletters/politics-daily');
    await reader.getByRole('link', { name: `Politics daily: ${headline}` }).click();
    assert.match(await reader.locator('main').textContent(), /Councillors voted|The 11pm service/);
    const feed = await (await fetch(new URL('/newsletters/politics-daily/feed.atom', server.url))).text();
    assert.match(feed, new RegExp(`<title>Politics daily: ${headline}</title>`));
  });

  step('the pages, as served, pass the Nu HTML Checker', async () => {
    const docs = [];
    for (const [who, url] of [['editor', '/admin/newsletters'], ['editor', screen], ['reader', '/section/politics'],
      ['reader', '/newsletters'], ['reader', '/newsletters/politics-daily']]) {
      const res = await pages[who].context().request.get(url);
      assert.equal(res.status(), 200, url);
      docs.push({ label: url, url, html: await res.text() });
    }
    const report = formatHTMLErrors(validateHTML(docs, path.join(shots, 'html')));
    if (report) throw checkFailure(report);
  });

  step('no page logged an error in the browser console', async () => {
    assert.deepEqual(consoleErrors, []);
  });
});
