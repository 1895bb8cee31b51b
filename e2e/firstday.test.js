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
import { after, before, describe } from 'node:test';

import { launchChromium } from './lib/browser.js';
import { steps } from './lib/steps.js';
import { buildMasthead, repoRoot, scratchDir, startMasthead } from './lib/masthead.js';
import { submit, visualEditor } from './lib/newsroom.js';
import { pngImage } from './lib/png.js';
import { body as mailBody, startSMTP } from './lib/smtp.js';

const admin = { email: 'ines.firstday@example.org', name: 'Inés Barrowclough', password: 'first day admin pass 1' };
const author = { email: 'tomas.firstday@example.org', name: 'Tomás Whitcombe', password: 'first day author pass 2' };
const editor = { email: 'grace.firstday@example.org', name: 'Grace Adeyemi-Lowe', password: 'first day editor pass 3' };
const site = { name: 'The Fenwick Ledger', tagline: 'News from the valley, since this morning' };
const sections = ['Town Hall', 'Schools', 'Weather'];
const story = {
  headline: 'Ferry every twenty minutes, bridge shut until March: what changes for commuters',
  standfirst: 'Two announcements on the same morning reshape the crossing between the quay and the town centre.',
  intro: 'Commuters who cross the river face a better ferry and a longer wait for the bridge, after two announcements on Friday.',
  image: { alt: 'The Old Quay ferry at its landing stage, with passengers queuing on the ramp', caption: 'The Old Quay ferry at Ferry Lane on Friday morning.', credit: 'Photo: Tomás Whitcombe' },
  youtube: 'https://www.youtube.com/watch?v=aqz-KE-bpKQ',
};
// What the two clipboards must become, in the stored Markdown.
const pasted = [
  '## Harbour ferry to sail every twenty minutes', '**every twenty minutes**', '*six-week*',
  '[timetable](https://example.org/northgate-ferry/timetable)',
  '- the first crossing leaves Ferry Lane at 6.40am;\n- bicycles travel free **before 8am**.',
  '## Swing bridge repairs to finish in March', '**by the end of March**', '*corroded bearings*',
  '[report to the highways committee](https://example.org/northgate-council/bridge-report)',
  '- pedestrians can still cross on the temporary footbridge;\n- the number 4 bus is diverted over **Wend Road**.',
];

describe('a newsroom\'s first day, from an empty site', { timeout: 420_000 }, () => {
  let scratch, server, smtp, browser;
  const consoleErrors = [];
  const pages = {};
  let articleURL;

  const { step, shot, shots, open } = steps('firstday', { pages, server: () => server, browser: () => browser, consoleErrors });

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

  step('the author writes in the visual editor, pasting from Google Docs and Word', async () => {
    const page = pages[author.email];
    await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'New article' }).click();
    await page.getByLabel('Headline', { exact: true }).fill(story.headline);
    await page.getByLabel('Standfirst', { exact: true }).fill(story.standfirst);
    const editor = await visualEditor(page);
    await editor.click();
    await page.keyboard.type(story.intro);
    await page.keyboard.press('Enter');
    await paste(editor, fixture('clipboard-google-docs.html'));
    await editor.locator('h2', { hasText: 'Harbour ferry' }).waitFor();
    // Enter twice leaves the list the Google Docs text ended with.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await paste(editor, fixture('clipboard-word.html'));
    await editor.locator('h2', { hasText: 'Swing bridge' }).waitFor();
    const markdown = await page.locator('#f-body').inputValue();
    assert.ok(markdown.startsWith(story.intro + '\n\n'), `the typed paragraph is not first:\n${markdown}`);
    for (const want of pasted) assert.ok(markdown.includes(want), `the pasted text lacks ${JSON.stringify(want)}:\n${markdown}`);
    assert.doesNotMatch(markdown, /<|style=|font-|mso-|docs-internal/, 'markup from the clipboard survived');
    await page.getByLabel('Section').selectOption({ label: 'Town Hall' });
    await shot(page, 'author-pastes');
  });

  step('the author inserts a captioned image and a YouTube video, then submits the story', async () => {
    const page = pages[author.email];
    const editor = await visualEditor(page);
    await editor.locator('p', { hasText: story.intro }).click();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Image', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Insert an image' });
    await dialog.getByLabel('Upload a new image').setInputFiles({ name: 'ferry-landing.png', mimeType: 'image/png', buffer: pngImage(1600, 900) });
    await dialog.getByLabel(/^Alt text/).fill(story.image.alt);
    await dialog.getByLabel(/^Caption/).fill(story.image.caption);
    await dialog.getByLabel(/^Credit/).fill(story.image.credit);
    await dialog.getByRole('button', { name: 'Insert image' }).click();
    await editor.locator('img').first().waitFor();
    await page.keyboard.press('Control+End');
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    const embed = page.getByRole('dialog', { name: /^Embed/ });
    await embed.getByLabel('Address').fill(story.youtube);
    await embed.getByRole('button', { name: 'Embed', exact: true }).click();
    await page.waitForFunction((url) => document.querySelector('#f-body').value.includes(url), story.youtube);
    const markdown = await page.locator('#f-body').inputValue();
    assert.match(markdown, new RegExp(`\\n\\n!\\[${story.image.alt}\\]\\(/media/[^ )]+ "${story.image.caption}"\\)\\n`), `no figure in:\n${markdown}`);
    assert.match(markdown, new RegExp(`\\n\\n${story.youtube.replace(/[.?]/g, '\\$&')}(\\n|$)`), `no embed paragraph in:\n${markdown}`);
    await shot(page, 'author-image-and-video');
    await page.setViewportSize({ width: 360, height: 800 });
    await shot(page, 'author-editor-phone');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'the editor scrolls sideways at 360 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await submit(page.getByRole('button', { name: 'Create draft' }).last());
    assert.match(page.url(), /\/admin\/articles\/\d+\?done=created$/, 'creating the draft failed');
    await submit(page.getByRole('button', { name: 'Submit for review' }));
    await page.locator('.meta .status', { hasText: 'review' }).waitFor();
  });

  step('the editor publishes it from the review queue', async () => {
    const page = pages[editor.email];
    await page.goto('/admin/');
    await page.getByRole('region', { name: 'Awaiting review' }).getByRole('link', { name: story.headline, exact: true }).click();
    await submit(page.getByRole('button', { name: 'Publish now' }));
    await page.locator('.meta .status', { hasText: 'published' }).waitFor();
    articleURL = new URL(await page.getByRole('link', { name: 'view on the site' }).getAttribute('href'), server.url).pathname;
    await shot(page, 'editor-published');
  });

  step('a reader sees the figure with caption and credit, and the video as a facade that asked nothing of YouTube', async () => {
    const page = await open('reader');
    const requested = [];
    page.on('request', (req) => requested.push(req.url()));
    await page.goto(articleURL);
    const body = page.locator('.article-body');
    const figure = body.locator('figure', { has: page.getByRole('img', { name: story.image.alt }) });
    await figure.waitFor();
    // Its AVIF is made on this first request, after the encoder compiles
    // (seconds on a busy machine): wait for the picture, then look.
    const img = await figure.locator('img').elementHandle();
    await page.waitForFunction((el) => el.complete, img, { timeout: 60_000 });
    assert.ok(await img.evaluate((el) => el.naturalWidth > 0), 'the inline image does not load');
    const caption = await figure.locator('figcaption').textContent();
    assert.ok(caption.includes(story.image.caption) && caption.includes(story.image.credit), `figcaption: ${caption}`);
    const facade = body.locator('figure.embed');
    await facade.getByRole('button', { name: 'Load YouTube content' }).waitFor();
    assert.equal(await facade.getByRole('link').getAttribute('href'), story.youtube, 'the facade does not link to the video');
    assert.equal(await facade.locator('iframe').count(), 0, 'the video frame loaded without being asked');
    await body.locator('h2', { hasText: 'Harbour ferry' }).waitFor();
    assert.equal(await body.locator('ul > li').count(), 4, 'the pasted lists are not four items in two lists');
    await page.waitForLoadState('networkidle');
    const elsewhere = requested.filter((u) => new URL(u).hostname !== '127.0.0.1');
    assert.deepEqual(elsewhere, [], 'the reader page asked a third party for something');
    await shot(page, 'reader-article');
    await page.setViewportSize({ width: 360, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'the article scrolls sideways at 360 px');
    await shot(page, 'reader-article-phone');
  });

  step('the administrator publishes an About page and puts it in the menu', async () => {
    const page = pages.admin;
    await page.goto('/admin/pages');
    await page.getByRole('link', { name: 'New page' }).click();
    await page.getByLabel('Headline', { exact: true }).fill('About us');
    const editor = await visualEditor(page);
    await editor.click();
    await page.keyboard.type(`${site.name} is the valley's independent newspaper, written by people who live here.`);
    await submit(page.getByRole('button', { name: 'Create draft' }).last());
    await submit(page.getByRole('button', { name: 'Publish now' }));
    await page.locator('.meta .status', { hasText: 'published' }).waitFor();
    await page.goto('/admin/menus');
    const header = page.locator('#menu-header');
    await header.getByLabel('A page').selectOption({ label: 'About us (/page/about-us)' });
    await submit(header.getByRole('button', { name: 'Add page' }));
    await page.goto('/');
    const about = page.getByRole('banner').getByRole('navigation').getByRole('link', { name: 'About us' });
    await about.click();
    await page.getByRole('heading', { level: 1, name: 'About us' }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/page\/about-us$/);
    await shot(page, 'about-page');
  });

  step('no page logged an error in the browser console', async () => {
    assert.deepEqual(consoleErrors, []);
  });
});

// fixture reads a clipboard written by Google Docs or Word (our own text,
// in the structure those programs put on the clipboard).
function fixture(name) {
  return readFileSync(path.join(repoRoot, 'internal/wpcontent/testdata', name), 'utf8');
}

// paste gives the editor an HTML clipboard, as Ctrl+V would.
async function paste(editor, html) {
  await editor.evaluate((el, clip) => {
    const data = new DataTransfer();
    data.setData('text/html', clip);
    data.setData('text/plain', clip.replace(/<[^>]*>/g, ''));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
}
