// A newsletter issue previewed and sent as a test before it goes out, in
// Chromium against the real binary and Mailpit: Preview shows the email as
// it will be mailed (the HTML part framed with its inline styles applied,
// the plain text, sender and subject) below the form, which keeps what was
// typed; "Send a test to me" mails it to the editor alone, marked [Test],
// and queues nothing. Screenshots at 1280 and 360 px.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe } from 'node:test';

import { launchChromium } from './lib/browser.js';
import { steps } from './lib/steps.js';
import { signIn, submit } from './lib/newsroom.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';
import { body as mailBody, startSMTP } from './lib/smtp.js';

const editor = { email: 'pia.preview@example.org', name: 'Pia Preview', role: 'editor', password: 'newsletter preview pass 1' };

describe('a newsletter issue previewed and sent as a test', { timeout: 120_000 }, () => {
  let scratch, server, smtp, browser;
  const consoleErrors = [];
  const pages = {};

  const { step, shot, shots, open } = steps('nlpreview', { pages, server: () => server, browser: () => browser, consoleErrors });

  before(async () => {
    scratch = scratchDir('nlpreview');
    smtp = await startSMTP();
    const bin = buildMasthead(scratch.dir);
    const dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, editor);
    server = await startMasthead(bin, dataDir, ['--smtp-addr', smtp.addr, '--smtp-from', 'Newsroom <bounces@ledger.example>']);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    scratch?.cleanup();
    console.log(`# screenshots: ${shots}`);
  });

  step('the editor writes an issue and previews it; what was typed stays', async () => {
    const page = await open('editor');
    await signIn(page, editor.email, editor.password);
    await page.goto('/admin/newsletters');
    await page.getByLabel('Name', { exact: true }).fill('Daily Ledger');
    await page.locator('#nl-from-name').fill('The Ledger');
    await page.locator('#nl-from-email').fill('news@ledger.example');
    await submit(page.getByRole('button', { name: 'Add newsletter' }));
    await page.getByLabel('Subject').fill('Monday: the council <votes>');
    await page.getByLabel(/^Introduction/).fill('Good *morning*. The budget passed late last night.');
    await page.locator('input[name="story"]').first().check();
    await submit(page.getByRole('button', { name: 'Preview' }));
    assert.equal(await page.getByLabel('Subject').inputValue(), 'Monday: the council <votes>');
    assert.match(await page.getByLabel(/^Introduction/).inputValue(), /^Good \*morning\*/);
    assert.ok(await page.locator('input[name="story"]').first().isChecked(), 'the chosen story was unticked');
    const preview = page.getByRole('region', { name: 'Preview' });
    assert.match(await preview.textContent(), /The Ledger\s*<news@ledger\.example>[\s\S]*Monday: the council <votes>/);
    assert.match(await preview.locator('pre').textContent(), /Good morning\.[\s\S]*Unsubscribe: http/);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame, 'no frame for the HTML part');
    await frame.locator('em', { hasText: 'morning' }).waitFor();
    // The part's inline styles apply (allowed by hash), as in a mail program.
    assert.match(await frame.evaluate(() => getComputedStyle(document.body).fontFamily), /Georgia/);
    await shot(page, 'preview-1280');
    await page.setViewportSize({ width: 360, height: 800 });
    await shot(page, 'preview-360');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  step('"Send a test to me" mails the editor alone, marked [Test], and queues nothing', async () => {
    const page = pages.editor;
    // By the keyboard: the page was opened at #preview-heading, and
    // Chromium may scroll back to it between the pointer's aim and click.
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Send a test to me' }).press('Enter')]);
    assert.match(await page.locator('.flash').textContent(), new RegExp(`A test went to ${editor.email.replace('.', '\\.')}`));
    assert.equal(await page.getByLabel('Subject').inputValue(), 'Monday: the council <votes>');
    await shot(page, 'test-sent-1280');
    await page.setViewportSize({ width: 360, height: 800 });
    await shot(page, 'test-sent-360');
    const mail = await smtp.waitFor(editor.email);
    assert.deepEqual(mail.to, [editor.email]);
    assert.match(mail.raw, /\r\nSubject: \[Test\] Monday: the council <votes>\r\n/);
    assert.match(mailBody(mail.raw), /This is a test sent only to you/);
    assert.equal(smtp.messages.length, 1);
    assert.match(await page.getByRole('main').textContent(), /Nothing sent yet/);
  });

  step('no page logged an error in the browser console', async () => {
    assert.deepEqual(consoleErrors, []);
  });
});
