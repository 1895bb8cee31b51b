// The visual editor in Chromium: demo stories opened and saved without a
// change are not changed (no new version, the same Markdown), a simple
// edit gives the Markdown expected, and the editor passes axe-core in the
// light and the dark colour scheme. An image uploaded in the image dialog
// goes into the library with the alt text and credit given there, and the
// reader page credits it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { watchConsole } from './lib/artifacts.js';
import { launchChromium, newContext } from './lib/browser.js';
import { formatViolations, runAxe } from './lib/checks.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';
import { signIn, submit } from './lib/newsroom.js';
import { pngImage } from './lib/png.js';

const editor = { email: 'vera.e2e@example.org', name: 'Vera Ekwueme', role: 'editor', password: 'correct horse editor 3' };
const colleague = { email: 'tomas.e2e@example.org', name: 'Tomás Brennan-Oyelaran', role: 'editor', password: 'correct horse editor 4' };

describe('the visual editor in Chromium', { timeout: 300_000 }, () => {
  let scratch, server, browser, context, page;
  const consoleErrors = [];

  before(async () => {
    scratch = scratchDir('editor');
    const bin = buildMasthead(scratch.dir);
    const dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, editor);
    addUser(bin, dataDir, colleague);
    server = await startMasthead(bin, dataDir);
    browser = await launchChromium();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    watchConsole(page, consoleErrors);
    await signIn(page, editor.email, editor.password);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    scratch?.cleanup();
  });

  const body = () => page.locator('#f-body').inputValue();
  const version = async () => Number(/version (\d+)/.exec(await page.locator('main .meta').first().textContent())[1]);

  async function demoStories(n) {
    await page.goto('/admin/articles?status=published');
    const links = await page.locator('main table a[href^="/admin/articles/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length >= n, `only ${links.length} published stories`);
    return links.slice(0, n);
  }

  it('saves demo stories opened and left alone without changing them', async () => {
    for (const href of await demoStories(4)) {
      await page.goto(href);
      await page.locator('#f-body-editor').click(); // the writer reads and clicks about
      await page.keyboard.press('End');
      const before = await body();
      const v = await version();
      await submit(page.getByRole('button', { name: 'Save', exact: true }).last());
      assert.equal(await version(), v, `${href}: saving without a change made a new version`);
      assert.equal(await body(), before, `${href}: the Markdown changed`);
    }
    assert.deepEqual(consoleErrors, []);
  });

  it('writes a bolded word and a new list as Markdown, and leaves the rest as it was', async () => {
    const [href] = await demoStories(1);
    await page.goto(href);
    const before = await body();
    const ed = page.locator('#f-body-editor');
    const first = ed.locator(':scope > p').first();
    const word = (await first.textContent()).split(' ')[0];
    await first.dblclick({ position: { x: 8, y: 8 } }); // the first word
    await page.keyboard.press('Control+b');
    await ed.locator(':scope > p').last().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('What happens next:');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- a public meeting');
    await page.keyboard.press('Enter');
    await page.keyboard.type('a vote in March');
    assert.equal(await page.getByRole('button', { name: '• List (bulleted)' }).getAttribute('aria-pressed'), 'true');
    const want = before.replace(word, `**${word}**`).replace(/\n*$/, '\n\nWhat happens next:\n\n- a public meeting\n- a vote in March\n');
    assert.equal(await body(), want);
    const v = await version();
    await submit(page.getByRole('button', { name: 'Save', exact: true }).last());
    assert.equal(await version(), v + 1);
    assert.equal(await body(), want, 'the saved Markdown is not what was written');
    assert.equal(await ed.locator('strong').first().textContent(), word);
    assert.deepEqual(consoleErrors, []);
  });

  it('leaves a writer already typing in the Markdown box there when the script comes late', async () => {
    const slow = await context.newPage();
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await slow.route(/\/static\/editor\.[0-9a-f]+\.js$/, async (route) => { await held; await route.continue(); });
    // Deferred scripts hold DOMContentLoaded back: wait for the form itself.
    await slow.goto('/admin/articles/new', { waitUntil: 'commit' });
    await slow.locator('#f-body').waitFor();
    const typed = 'Typed before the editor arrived, every key of it.';
    await slow.locator('#f-body').click();
    await slow.keyboard.type(typed.slice(0, 20));
    release();
    await slow.getByRole('button', { name: 'Markdown', exact: true }).waitFor();
    await slow.keyboard.type(typed.slice(20));
    assert.equal(await slow.locator('#f-body').inputValue(), typed, 'keys were lost');
    assert.equal(await slow.getByRole('button', { name: 'Markdown', exact: true }).getAttribute('aria-pressed'), 'true');
    // One press later the visual editor shows it all.
    await slow.getByRole('button', { name: 'Markdown', exact: true }).click();
    await slow.locator('#f-body-editor p', { hasText: typed }).waitFor();
    await slow.close();
  });

  it('has no axe-core violations, light and dark, with a dialog open', async () => {
    const [href] = await demoStories(1);
    const failures = [];
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await page.goto(href);
      let v = await runAxe(page);
      if (v.length) failures.push(formatViolations(`editor (${colorScheme})`, href, v));
      await page.locator('#f-body-editor').click();
      await page.keyboard.press('Control+k');
      await page.getByRole('dialog', { name: 'Add a link' }).waitFor();
      v = await runAxe(page);
      if (v.length) failures.push(formatViolations(`link dialog (${colorScheme})`, href, v));
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'f-body-editor', 'focus did not return to the text');
    }
    assert.deepEqual(failures, []);
  });

  it('uploads an image in the dialog with alt text, caption and credit, and the library and the reader page keep the credit', async () => {
    const alt = 'Three fishing boats moored at the quay', caption = 'Back from the night catch.', credit = 'Photo: Jane Doe / Valley Agency';
    await page.goto('/admin/articles/new');
    await page.getByLabel('Headline', { exact: true }).fill('Boats back at the quay');
    await page.locator('#f-body-editor').click();
    await page.keyboard.type('The boats came back at dawn.');
    await page.getByRole('button', { name: 'Image' }).click();
    const dlg = page.getByRole('dialog', { name: 'Insert an image' });
    await dlg.getByLabel('Upload a new image').setInputFiles({ name: 'quay-boats.png', mimeType: 'image/png', buffer: pngImage(900, 600) });
    await dlg.getByLabel(/^Alt text/).fill(alt);
    await dlg.getByLabel(/^Caption/).fill(caption);
    await dlg.getByLabel(/^Credit/).fill(credit);
    await dlg.getByRole('button', { name: 'Insert image' }).click();
    await page.locator('#f-body-editor .ve-figure .ve-card-credit', { hasText: `Credit: ${credit}` }).waitFor();
    const src = new RegExp(`!\\[${alt}\\]\\((/media/\\S+) "${caption}"\\)`).exec(await body())?.[1];
    assert.ok(src, `no figure in the Markdown: ${await body()}`);
    await submit(page.getByRole('button', { name: 'Create draft' }));
    await submit(page.getByRole('button', { name: 'Publish now' }));
    const articleURL = await page.getByRole('link', { name: 'view on the site' }).getAttribute('href');

    const item = (await (await page.request.get('/admin/media?q=quay-boats', { headers: { Accept: 'application/json' } })).json()).items[0];
    assert.deepEqual([item.src, item.alt, item.credit], [src, alt, credit], 'the library item lacks the words given in the dialog');
    await page.goto(`/admin/media/${item.id}`);
    assert.equal(await page.getByLabel(/^Credit/).inputValue(), credit);

    await page.goto(articleURL);
    const figcaption = page.getByRole('main').locator('figure figcaption');
    await figcaption.locator('.credit', { hasText: credit }).waitFor();
    assert.match(await figcaption.textContent(), new RegExp(caption.replace('.', '\\.')));
    assert.deepEqual(consoleErrors, []);
  });

  it('tells two editors changing one story of each other, on opening it and as they type', async () => {
    const [story] = await demoStories(1);
    const other = await (await newContext(browser, server.url)).newPage();
    watchConsole(other, consoleErrors);
    await signIn(other, colleague.email, colleague.password);
    // The editor autosaves every 8 seconds; the first two are sent at once,
    // as admin.js sends them, and the last is the page's own.
    const typeAndKeep = async (p, text) => {
      await p.getByLabel('Standfirst', { exact: true }).fill(text);
      const status = await p.locator('#editor').evaluate((f) => fetch(f.dataset.autosave, { method: 'POST', body: new URLSearchParams(new FormData(f)) }).then((r) => r.status));
      assert.ok(status === 200 || status === 204, `autosave: ${status}`);
    };
    const notice = (p, name) => p.locator('#others-editing').getByText(`${name} is changing this article too`);

    await page.goto(story);
    await typeAndKeep(page, 'Vera’s changes, not saved.');
    await other.goto(story);
    await notice(other, editor.name).waitFor();
    await typeAndKeep(other, 'Tomás’s changes, not saved.');
    await page.getByLabel('Standfirst', { exact: true }).fill('Vera’s changes, still not saved.');
    await notice(page, colleague.name).waitFor({ timeout: 20_000 }); // from the autosave's answer, without reloading
    await other.context().close();
    assert.deepEqual(consoleErrors, []);
  });

  it('counts the characters of an SEO title against what search results show', async () => {
    await page.goto('/admin/articles/new');
    const title = page.getByLabel(/^SEO title/);
    await page.getByText('Search results show about 60 characters.').waitFor();
    await title.fill('x'.repeat(70));
    await page.getByText('70 characters: search results cut it after about 60.').waitFor();
    await title.fill('Harbour ferry cut');
    await page.getByText('17 characters of about 60 search results show.').waitFor();
    assert.deepEqual(consoleErrors, []);
  });
});
