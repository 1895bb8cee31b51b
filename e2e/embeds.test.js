// An article with a figure and a YouTube embed, as a reader sees it: the
// page asks no other site for anything until the reader loads the embed;
// loading it, by keyboard, puts the provider's frame in its place, which
// the page's Content-Security-Policy allows; the page passes axe-core and
// the Nu HTML Checker.
//
// The demo newsroom's book festival story has both. The provider is never
// really reached: newContext refuses every host but 127.0.0.1, and this
// test answers for youtube-nocookie.com itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { artifactsDir } from './lib/artifacts.js';
import { launchChromium, newContext } from './lib/browser.js';
import { formatHTMLErrors, formatViolations, runAxe, validateHTML } from './lib/checks.js';
import { buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';

const player = 'https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ';

describe('click-to-load embeds', { timeout: 180_000 }, () => {
  let scratch, server, browser;

  before(async () => {
    scratch = scratchDir('embeds');
    server = await startMasthead(buildMasthead(scratch.dir), `${scratch.dir}/data`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    scratch?.cleanup();
  });

  it('loads nothing from YouTube until asked, then its frame only', async () => {
    const context = await newContext(browser, server.url);
    await context.route(`${player}*`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Player</title><p>The player</p>' }));
    const page = await context.newPage();
    const elsewhere = []; // requests to any host but the site
    page.on('request', (req) => {
      if (new URL(req.url()).hostname !== '127.0.0.1') elsewhere.push(req.url());
    });
    const errors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });

    await page.goto('/search?q=%22Big+Buck+Bunny%22');
    const story = page.locator('.search-hit a', { hasText: 'Book festival puts valley writers' });
    const res = await Promise.all([page.waitForNavigation(), story.click()]).then(([r]) => r);
    assert.match(res.headers()['content-security-policy'], /; frame-src https:\/\/www\.youtube-nocookie\.com$/);
    const checked = validateHTML([{ label: 'article with embeds', url: page.url(), html: await res.text() }], artifactsDir('embeds'));
    assert.equal(checked[0].errors.length, 0, formatHTMLErrors(checked));
    await page.waitForLoadState('networkidle');

    const figure = page.locator('.article-body figure', { has: page.locator('img') });
    assert.match(await figure.locator('figcaption').innerText(), /^Saturday story time at Fennick library.* Illustration: Courier graphics desk$/);
    assert.ok(await figure.locator('img').getAttribute('srcset'), 'the library figure has no srcset');
    assert.ok(await figure.locator('img').getAttribute('alt'), 'the library figure has no alt text');
    const embed = page.locator('figure.embed[data-embed="youtube"]');
    assert.equal(await embed.getByRole('link').getAttribute('href'), 'https://www.youtube.com/watch?v=aqz-KE-bpKQ');
    assert.deepEqual(elsewhere, [], 'the page asked another site for something before the reader did');

    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const violations = await runAxe(page);
      assert.deepEqual(violations, [], formatViolations(`article with embeds, ${scheme}`, page.url(), violations));
    }

    const load = embed.getByRole('button', { name: 'Load YouTube content' });
    await load.focus();
    await page.keyboard.press('Enter');
    const frame = embed.locator('iframe');
    assert.equal(await frame.getAttribute('src'), player);
    assert.match(await frame.getAttribute('title'), /^YouTube video: /);
    assert.ok((await frame.getAttribute('sandbox')).includes('allow-scripts'), 'the frame is not sandboxed');
    await page.frameLocator('.embed iframe').getByText('The player').waitFor();
    assert.ok(await page.evaluate(() => document.activeElement?.tagName === 'IFRAME'), 'focus did not move to the frame');
    assert.deepEqual(elsewhere.map((u) => new URL(u).origin), ['https://www.youtube-nocookie.com']);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
