// A live blog as it runs: a reader has the demo's flood story open; an
// editor posts an entry from the live desk in another browser; the reader
// is told "1 new update" without reloading, and the entry shows when they
// ask for it. Then the reader's connection drops (the browser goes offline
// and the server restarts on the same port and data folder); entries posted
// meanwhile arrive after it comes back, resumed with Last-Event-ID, each
// exactly once. Both pages pass axe-core and the Nu HTML Checker, at 1280
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
  let scratch, server, browser, bin;

  before(async () => {
    scratch = scratchDir('live');
    bin = buildMasthead(scratch.dir);
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
    // What the reader's browser sends and is sent on its live streams, as
    // DevTools sees it.
    const cdp = await readerCtx.newCDPSession(reader);
    const streams = []; // request ids, in order
    const sentHeaders = new Map(); // request id -> headers as sent on the wire (may come first)
    const pushed = []; // event ids of entries received
    cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
      if (/\/live\/\d+\/events/.test(request.url)) streams.push(requestId);
    });
    cdp.on('Network.requestWillBeSentExtraInfo', ({ requestId, headers }) => {
      sentHeaders.set(requestId, headers);
    });
    cdp.on('Network.eventSourceMessageReceived', ({ eventName, eventId }) => {
      if (eventName === 'entry') pushed.push(Number(eventId));
    });
    await cdp.send('Network.enable');
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

    // A dropped connection: the reader goes offline, the server restarts,
    // and entries are posted before the reader is back.
    const offline = (on) => cdp.send('Network.emulateNetworkConditions', { offline: on, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const lastSeen = pushed.at(-1);
    assert.ok(lastSeen > 0, `no entry event was received: ${pushed}`);
    const requestsBefore = streams.length;
    await offline(true);
    const port = new URL(server.url).port;
    let t = Date.now();
    await server.stop();
    server = await startMasthead(bin, `${scratch.dir}/data`, ['--addr', `127.0.0.1:${port}`]);
    console.log(`# the server restarted on port ${port} in ${Date.now() - t} ms`);
    await desk.goto(`/admin/articles/${id}/live`, { timeout: 60_000 });
    const missed = ['Rail replacement buses now run from the station.', 'The flood barrier at Mill Quay is holding.', 'Schools in the valley will open tomorrow.'];
    for (const text of missed) {
      await desk.getByLabel('Update (Markdown)').first().fill(text);
      await submit(desk.getByRole('button', { name: 'Post entry' }));
      await desk.getByText(text).first().waitFor();
    }
    t = Date.now();
    await offline(false);
    const more = reader.getByRole('button', { name: `Show ${missed.length} new updates` });
    await more.waitFor({ timeout: 60_000 }); // the browser retries on its own schedule (retry: 3 s)
    console.log(`# back online, the reader was offered the ${missed.length} missed entries after ${Date.now() - t} ms`);
    const resumed = streams.slice(requestsBefore).map((r) => Object.entries(sentHeaders.get(r) ?? {}).find(([k]) => k.toLowerCase() === 'last-event-id')?.[1]);
    assert.ok(resumed.includes(String(lastSeen)), `no stream request resumed with Last-Event-ID ${lastSeen}: ${JSON.stringify(resumed)}`);
    assert.equal(new Set(pushed).size, pushed.length, `an event came twice: ${pushed}`);
    assert.equal(pushed.length, 1 + missed.length, `entry events received: ${pushed}`);
    await more.click();
    for (const text of missed) {
      assert.equal(await reader.locator('.live-entry', { hasText: text }).count(), 1, `${text} is shown once`);
    }
    assert.match(await reader.locator('.live-entries .live-entry').first().innerText(), /Schools in the valley/);

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
    // The browser's own retries while offline are the point of the exercise.
    const dropped = /net::ERR_(INTERNET_DISCONNECTED|CONNECTION_REFUSED)/;
    assert.deepEqual(problems.filter((p) => !dropped.test(p)), []);
  });

  it('shows a breaking-news banner on open pages at once, and takes it down', async () => {
    const dir = artifactsDir('live');
    const problems = [];
    const readerCtx = await newContext(browser, server.url);
    const home = await readerCtx.newPage();
    const story = await readerCtx.newPage();
    watchConsole(home, problems);
    watchConsole(story, problems);
    await home.goto('/');
    await home.reload(); // now from the page cache
    await story.goto('/search?q=%22River+Wend+bursts%22');
    await submit(story.locator('.search-hit a', { hasText: 'River Wend bursts its banks' }));
    assert.equal(await home.locator('#breaking').innerText(), '');
    await home.locator('#site-search').focus(); // a reader busy typing keeps their place

    const staffCtx = await newContext(browser, server.url);
    const desk = await staffCtx.newPage();
    watchConsole(desk, problems);
    await signIn(desk, editor.email, editor.password);
    await desk.getByRole('link', { name: 'Breaking news' }).click();
    await desk.getByLabel('Text').fill('River Wend: leave the lower town now');
    const links = desk.getByLabel('Links to');
    const liveBlog = await links.locator('option', { hasText: /^Live: River Wend bursts its banks/ }).getAttribute('value');
    await links.selectOption(liveBlog);
    await desk.getByLabel('Show it for').selectOption({ label: '30 minutes' });
    const posted = Date.now();
    await submit(desk.getByRole('button', { name: 'Show the banner' }));
    for (const page of [home, story]) {
      const banner = page.locator('#breaking .breaking-news');
      await banner.waitFor(); // the target is a second; a slow machine waits longer
      console.log(`# an open page showed the banner ${Date.now() - posted} ms after it was set`);
      assert.match(await banner.innerText(), /Breaking\s+River Wend: leave the lower town now/i);
      assert.equal(await banner.getByRole('link').getAttribute('href'), new URL(story.url()).pathname);
      assert.equal(await page.locator('#breaking').getAttribute('aria-live'), 'polite');
    }
    assert.equal(await home.evaluate(() => document.activeElement.id), 'site-search', 'the banner took the focus');

    // In the HTML too: for a page loaded afterwards, with or without script.
    const plainCtx = await newContext(browser, server.url, { javaScriptEnabled: false });
    const plain = await plainCtx.newPage();
    await plain.goto('/');
    assert.match(await plain.locator('#breaking').innerText(), /leave the lower town now/);
    await home.reload();
    const docs = [
      { label: 'home with banner', url: home.url(), html: await (await home.request.get('/')).text() },
      { label: 'breaking desk', url: desk.url(), html: await desk.content() },
    ];
    for (const width of [1280, 360]) {
      for (const [label, page] of [['home-banner', home], ['breaking-desk', desk]]) {
        await page.setViewportSize({ width, height: 900 });
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${label} scrolls sideways at ${width}px`);
        await page.screenshot({ path: `${dir}/${label}-${width}.png` });
      }
    }
    for (const [label, page] of [['home with banner', home], ['breaking desk', desk]]) {
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatViolations(label, page.url(), violations));
    }
    const checked = validateHTML(docs, dir);
    assert.equal(checked.flatMap((c) => c.errors).length, 0, formatHTMLErrors(checked));

    const cleared = Date.now();
    await submit(desk.getByRole('button', { name: 'Take the banner down' }));
    for (const page of [home, story]) {
      await page.locator('#breaking .breaking-news').waitFor({ state: 'detached' });
      console.log(`# an open page took the banner down ${Date.now() - cleared} ms after it was cleared`);
    }
    await plain.reload();
    assert.equal(await plain.locator('#breaking').innerText(), '');
    await plainCtx.close();
    assert.deepEqual(problems, []);
  });
});
