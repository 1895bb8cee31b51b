// A live blog as it runs: a reader has the demo's flood story open; an
// editor posts an entry from the live desk in another browser; the reader
// is told "1 new update" without reloading, and the entry shows when they
// ask for it. Both pages pass axe-core and the Nu HTML Checker, at 1280
// and 360 pixels wide with no sideways scrolling.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { artifactsDir, watchConsole } from './lib/artifacts.js';
import { launchChromium, newContext } from './lib/browser.js';
import { formatHTMLErrors, formatViolations, runAxe, validateHTML } from './lib/checks.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';
import { signIn, submit } from './lib/newsroom.js';

const editor = { email: 'live.editor@example.org', name: 'Lou Live', role: 'editor', password: 'a long live password' };

describe('live blog', { timeout: 180_000 }, () => {
  let scratch, server, browser;

  before(async () => {
    scratch = scratchDir('live');
    const bin = buildMasthead(scratch.dir);
    addUser(bin, `${scratch.dir}/data`, editor);
    server = await startMasthead(bin, `${scratch.dir}/data`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    scratch?.cleanup();
  });

  it('pushes a new entry to an open page, announced, not inserted', async () => {
    const dir = artifactsDir('live');
    const problems = [];
    const readerCtx = await newContext(browser, server.url);
    const reader = await readerCtx.newPage();
    watchConsole(reader, problems);
    await reader.goto('/search?q=%22River+Wend+bursts%22');
    await submit(reader.locator('.search-hit a', { hasText: 'River Wend bursts its banks' }));
    const story = reader.url();
    await reader.locator('.live-entry').first().waitFor();
    const docs = [{ label: 'live blog', url: story, html: await (await reader.request.get(story)).text() }];

    const staffCtx = await newContext(browser, server.url);
    const desk = await staffCtx.newPage();
    watchConsole(desk, problems);
    await signIn(desk, editor.email, editor.password);
    const id = await reader.locator('#live').getAttribute('data-stream').then((s) => s.split('/')[2]);
    await desk.goto(`/admin/articles/${id}/live`);
    docs.push({ label: 'live desk', url: desk.url(), html: await desk.content() });
    const shown = await reader.locator('.live-entry').count();

    await desk.getByLabel('Update (Markdown)').first().fill('The swing bridge has **reopened** to walkers.');
    const posted = Date.now();
    await submit(desk.getByRole('button', { name: 'Post entry' }));
    const button = reader.getByRole('button', { name: 'Show 1 new update' });
    // The target is a second from post to reader; the test waits longer,
    // so that a slow machine does not fail it, and says how long it took.
    await button.waitFor();
    console.log(`# the open page offered the new entry ${Date.now() - posted} ms after the post was sent`);
    assert.equal(await reader.locator('.live-status').innerText(), '1 new update');
    assert.equal(await reader.locator('.live-entry').count(), shown, 'the entry was inserted before the reader asked');
    await button.click();
    assert.match(await reader.locator('.live-entries .live-entry').first().innerText(), /swing bridge has reopened/);
    assert.ok(await button.isHidden());

    const checked = validateHTML(docs, dir);
    assert.equal(checked.flatMap((c) => c.errors).length, 0, formatHTMLErrors(checked));
    for (const [label, page] of [['live blog', reader], ['live desk', desk]]) {
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 900 });
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${label} scrolls sideways at ${width}px`);
        await page.screenshot({ path: `${dir}/${label.replace(' ', '-')}-${width}.png`, fullPage: width === 360 });
      }
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatViolations(label, page.url(), violations));
    }
    assert.deepEqual(problems, []);
  });
});
