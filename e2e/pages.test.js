// Every kind of page the site and the newsroom show, in light and dark
// colour schemes: axe-core inside Chromium finds no accessibility
// violations, and the Nu HTML Checker finds no errors in the HTML served.
//
// The demo newsroom supplies the content; the test adds what it lacks (a
// new revision to compare, a pending comment, forms sent with mistakes).
// Newsroom pages of a kind not listed here, linked from those that are (or
// from the sign-in page), are found and checked too, so new ones are
// covered as soon as they are linked.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { artifactsDir } from './lib/artifacts.js';
import { launchChromium, newContext } from './lib/browser.js';
import { fillBody, signIn, submit, uploadImage } from './lib/newsroom.js';
import { checkFailure, formatHTMLErrors, formatViolations, runAxe, validateHTML } from './lib/checks.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';

const admin = { email: 'ada.e2e@example.org', name: 'Ada Lindqvist-Moreau', role: 'admin', password: 'correct horse admin 3' };
const schemes = ['light', 'dark'];
const correction = 'An earlier version of this article gave the wrong date for the meeting.';

describe('every page type passes axe-core and the Nu HTML Checker', { timeout: 600_000 }, () => {
  let scratch, server, browser, out;
  let pages = []; // { label, as: 'reader' | 'visitor' | 'staff', status, open(page) → response }
  const served = []; // the HTML of each page as served, for the Nu HTML Checker

  before(async () => {
    scratch = scratchDir('pages');
    out = artifactsDir('pages');
    const bin = buildMasthead(scratch.dir);
    const dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, admin);
    server = await startMasthead(bin, dataDir);
    browser = await launchChromium();
    pages = await listPages(browser, server.url, () => server.logs());
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    scratch?.cleanup();
    console.log(`# saved pages and failure screenshots: ${out}`);
  });

  it('the checkers report a page with known faults', async () => {
    const broken = '<!doctype html><html><title>Broken</title><body><img src="data:,"><ul><div>x</div></ul></body></html>';
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.setContent(broken);
    const ids = (await runAxe(page)).map((v) => v.id);
    await context.close();
    assert.ok(ids.includes('image-alt') && ids.includes('html-has-lang'), `axe-core missed known violations, found only ${ids}`);
    const [res] = validateHTML([{ label: 'known faults', url: 'about:blank', html: broken }], path.join(out, 'sanity'));
    assert.ok(res.errors.length >= 2, `the Nu HTML Checker missed known errors, found only ${JSON.stringify(res.errors)}`);
  });

  // Each page is opened once, checked in the light scheme, then switched
  // to the dark one and checked again: the schemes differ only in the
  // stylesheets' prefers-color-scheme rules, which apply at once.
  it(`axe-core: no violations, ${schemes.join(' and ')} colour schemes`, async (t) => {
    const staff = await newContext(browser, server.url, { colorScheme: schemes[0] });
    const first = await staff.newPage();
    await signIn(first, admin.email, admin.password);
    await first.close();
    for (const spec of pages) {
      await t.test(spec.label, async () => {
        const context = spec.as === 'staff' ? staff : await newContext(browser, server.url, { colorScheme: schemes[0] });
        const page = await context.newPage();
        const problems = [];
        page.on('console', (msg) => {
          // The page's own status is checked below; anything else failing
          // to load, a refused script or style, or a script error is not.
          if (msg.type() === 'error' && msg.location().url !== page.url()) problems.push(`console: ${msg.text()} (${msg.location().url})`);
        });
        page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
        try {
          const res = await spec.open(page);
          assert.ok(res, `${spec.label}: no response`);
          if (spec.status) assert.equal(res.status(), spec.status, `${spec.label}: ${res.url()} answered ${res.status()}, want ${spec.status}`);
          served.push({ label: spec.label, url: res.url(), html: await res.text() });
          for (const scheme of schemes) {
            await page.emulateMedia({ colorScheme: scheme });
            assert.ok(await page.evaluate((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme), `the browser does not prefer the ${scheme} scheme`);
            const violations = await runAxe(page);
            if (violations.length > 0) {
              const shot = path.join(out, `${scheme}-${spec.label.replace(/[^a-z0-9]+/gi, '-')}.png`);
              await page.screenshot({ path: shot, fullPage: true });
              throw checkFailure(`axe-core, ${scheme} colour scheme: ${violations.length} violation(s)\n${formatViolations(spec.label, page.url(), violations)}\n  screenshot: ${shot}`);
            }
          }
          assert.deepEqual(problems, [], `${spec.label}: ${page.url()} reported errors in the browser`);
        } finally {
          await page.close();
          if (context !== staff) await context.close();
        }
      });
    }
    await staff.close();
  });

  it('every newsroom page fits a 360 px screen', async (t) => {
    const narrow = { viewport: { width: 360, height: 800 } };
    const staff = await newContext(browser, server.url, narrow);
    const first = await staff.newPage();
    await signIn(first, admin.email, admin.password);
    await first.close();
    const tooWide = [];
    for (const spec of pages.filter((p) => p.label.startsWith('newsroom'))) {
      const context = spec.as === 'staff' ? staff : await newContext(browser, server.url, narrow);
      const page = await context.newPage();
      try {
        await spec.open(page);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
        if (scrollWidth > innerWidth) {
          const shot = path.join(out, `narrow-${spec.label.replace(/[^a-z0-9]+/gi, '-')}.png`);
          await page.screenshot({ path: shot, fullPage: true });
          tooWide.push(`${spec.label}: ${page.url()} is ${scrollWidth} px wide at ${innerWidth} px (${shot})`);
        }
      } finally {
        await page.close();
        if (context !== staff) await context.close();
      }
    }
    t.diagnostic(`checked ${pages.filter((p) => p.label.startsWith('newsroom')).length} newsroom pages at 360 px`);
    await staff.close();
    assert.deepEqual(tooWide, [], 'newsroom pages wider than a phone');
  });

  it('the editor keeps its width with a large image and a long address in the body', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    try {
      await signIn(page, admin.email, admin.password);
      await page.goto('/admin/articles/new');
      await page.getByLabel('Headline', { exact: true }).fill('A wide picture');
      // The demo's lead images are 960 px wide, wider than the editor.
      const drawing = /<img src="(\/media\/[^"]+)"/.exec(await (await fetch(server.url + '/')).text())[1];
      await fillBody(page, `Before.\n\n![A drawing](${drawing})\n\n` +
        'https://example.org/an/address/that/has/no/place/to/break/for/a/very/long/way/indeed/and/on/and/on');
      await submit(page.getByRole('button', { name: 'Create draft' }));
      const { scrollWidth, innerWidth, body } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth, innerWidth,
        body: document.querySelector('#f-body').closest('.field').getBoundingClientRect().width,
      }));
      assert.ok(scrollWidth <= innerWidth, `the editor is ${scrollWidth} px wide at ${innerWidth} px`);
      assert.ok(body >= 500, `the body box is ${body} px wide`);
    } finally {
      await context.close();
    }
  });

  it('the Nu HTML Checker: no errors', (t) => {
    const results = validateHTML(served, path.join(out, 'html'));
    t.diagnostic(`checked ${results.length} pages; saved in ${path.join(out, 'html')}`);
    const errors = results.reduce((n, r) => n + r.errors.length, 0);
    if (errors > 0) throw checkFailure(`the Nu HTML Checker found ${errors} error(s):\n${formatHTMLErrors(results)}`);
    const missing = pages.filter((p) => !served.some((s) => s.label === p.label)).map((p) => p.label);
    assert.deepEqual(missing, [], 'these pages could not be fetched, so were not checked');
  });
});

// listPages looks around the demo site to find one page of each kind and
// prepares what some of them need. Each page is opened in a fresh browser
// context (as a reader or a signed-out visitor) or in the signed-in staff one.
async function listPages(browser, baseURL, serverLogs) {
  const context = await newContext(browser, baseURL);
  const page = await context.newPage();
  const path = (href) => new URL(href, page.url()).pathname + new URL(href, page.url()).search;

  await page.goto('/');
  const article = new URL(await page.locator('main a[href$="#comments"]').first().getAttribute('href'), baseURL).pathname;
  const sections = await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const section = sections[1];
  let secondPage; // a listing long enough to have a second page
  for (const href of [...sections.slice(1), '/search?q=Northgate']) {
    await page.goto(href);
    const next = page.locator('main .pagination a[rel=next]');
    if (await next.count()) {
      secondPage = path(await next.getAttribute('href'));
      break;
    }
  }
  if (!secondPage) console.log('# not checked: a listing\'s second page (no listing is that long)');
  await page.goto('/');
  const tag = await page.locator('main a[href^="/tag/"]').first().getAttribute('href');
  await page.goto(article);
  const author = await page.locator('.byline a[href^="/author/"]').first().getAttribute('href');
  const reply = path(await page.locator('.comment .reply-link').first().getAttribute('href'));
  const headline = await page.getByRole('heading', { level: 1 }).textContent();
  const term = headline.split(/[^A-Za-z]+/).filter((w) => w.length >= 5)[0];
  assert.ok(term, `no search term in "${headline}"`);

  // The demo's live blog, its newsroom desk and an entry's history.
  await page.goto('/search?q=%22River+Wend+bursts%22');
  const liveBlog = path(await page.locator('.search-hit .card-headline a').first().getAttribute('href'));
  await page.goto(liveBlog);
  const liveDesk = `/admin/articles/${(await page.locator('#live').getAttribute('data-stream')).split('/')[2]}/live`;

  // As staff: an article with two revisions to compare …
  await signIn(page, admin.email, admin.password);
  await page.goto('/admin/articles?status=published');
  const edit = await page.locator('main table a[href^="/admin/articles/"]').first().getAttribute('href');
  await page.goto(edit);
  const standfirst = page.getByLabel('Standfirst', { exact: true });
  await standfirst.fill(`${await standfirst.inputValue()} Updated by the browser tests.`);
  await submit(page.getByRole('button', { name: 'Save', exact: true }));
  assert.match(page.url(), /done=saved/, 'saving the article failed');
  // … and a correction, for the article and the corrections log.
  await page.getByLabel('Note shown to readers').fill(correction);
  await submit(page.getByRole('button', { name: 'Append' }));
  assert.match(page.url(), /done=corrected/, 'appending a correction failed');
  const corrected = path(await page.getByRole('link', { name: 'view on the site' }).getAttribute('href'));
  await page.goto(`${edit}/revisions`);
  const revision = await page.getByRole('link', { name: 'view / restore' }).first().getAttribute('href');

  // Newsroom pages the list below does not name (newer features): any
  // page of a new shape linked from the listed ones, as staff, or from the
  // sign-in page, signed out. A media library gets an image first.
  if (await uploadImage(page, 'A test pattern of coloured stripes')) await page.goto('/admin/');
  const visitor = await newContext(browser, baseURL);
  const discovered = [
    ...await crawl(context.request, 'staff', [edit, `${edit}/revisions`, revision, `${edit}/diff`, ...staffPages, '/admin/comments?status=approved']),
    ...await crawl(visitor.request, 'visitor', ['/admin/login']),
  ];

  // A password reset link: without a mail server, the message (link and
  // all) goes to the server's log.
  const signedOut = await visitor.newPage();
  await signedOut.goto('/admin/forgot');
  await signedOut.getByLabel('Email').fill(admin.email);
  await submit(signedOut.getByRole('button', { name: 'Send the link' }));
  let reset;
  for (let i = 0; i < 50 && !reset; i++) {
    reset = [...serverLogs().matchAll(/\/admin\/reset\/[A-Za-z0-9_-]{16,}/g)].pop()?.[0];
    if (!reset) await signedOut.waitForTimeout(200);
  }
  assert.ok(reset, 'no password reset link in the server log after asking for one');
  await visitor.close();
  await context.close();

  const goto = (url) => (page) => page.goto(url);
  const listed = [
    { label: 'reader: home', as: 'reader', status: 200, open: goto('/') },
    {
      label: 'reader: article with comments', as: 'reader', status: 200,
      async open(page) {
        const res = await page.goto(article);
        await page.locator('.comment-list .comment').first().waitFor();
        return res;
      },
    },
    {
      label: 'reader: article with a correction', as: 'reader', status: 200,
      async open(page) {
        const res = await page.goto(corrected);
        await page.getByRole('heading', { name: 'Corrections and updates' }).waitFor();
        return res;
      },
    },
    { label: 'reader: article, replying to a comment', as: 'reader', status: 200, open: goto(reply) },
    {
      label: 'reader: article with the reader’s comment awaiting moderation', as: 'reader', status: 200,
      async open(page) {
        await page.goto(article);
        await page.getByRole('textbox', { name: 'Comment', exact: true }).fill('Thank you for following this story so closely.');
        await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Ines Ferreira');
        await page.getByRole('textbox', { name: 'Email', exact: true }).fill(`ines.${Date.now()}@example.org`);
        const res = await submit(page.getByRole('button', { name: 'Post Comment' }));
        await page.getByText('Your comment is awaiting moderation.').waitFor();
        return res;
      },
    },
    {
      label: 'reader: article, comment form sent with mistakes', as: 'reader', status: 422,
      async open(page) {
        await page.goto(article);
        await page.locator('form.comment-form').evaluate((f) => { f.noValidate = true; });
        await page.getByRole('textbox', { name: 'Email', exact: true }).fill('not an address');
        const res = await submit(page.getByRole('button', { name: 'Post Comment' }));
        await page.getByText('Your comment was not posted.').waitFor();
        return res;
      },
    },
    {
      label: 'reader: live blog', as: 'reader', status: 200,
      async open(page) {
        const res = await page.goto(liveBlog);
        await page.locator('.live-entry').first().waitFor();
        return res;
      },
    },
    { label: 'reader: section', as: 'reader', status: 200, open: goto(section) },
    ...(secondPage ? [{ label: 'reader: listing, second page', as: 'reader', status: 200, open: goto(secondPage) }] : []),
    { label: 'reader: tag', as: 'reader', status: 200, open: goto(tag) },
    { label: 'reader: author', as: 'reader', status: 200, open: goto(author) },
    { label: 'reader: authors index', as: 'reader', status: 200, open: goto('/authors') },
    { label: 'reader: people index', as: 'reader', status: 200, open: goto('/people') },
    {
      label: 'reader: a person and their quotes', as: 'reader', status: 200,
      open: async (page) => {
        await page.goto('/people');
        const first = page.locator('main a[href^="/people/"]').first();
        return page.goto(await first.getAttribute('href'));
      },
    },
    {
      label: 'reader: search with results', as: 'reader', status: 200,
      async open(page) {
        const res = await page.goto(`/search?q=${encodeURIComponent(term)}`);
        await page.locator('.search-hit').first().waitFor();
        return res;
      },
    },
    { label: 'reader: search without results', as: 'reader', status: 200, open: goto('/search?q=zqxjvbwk') },
    {
      label: 'reader: corrections log', as: 'reader', status: 200,
      async open(page) {
        const res = await page.goto('/corrections');
        await page.getByRole('main').getByText(correction).waitFor();
        return res;
      },
    },
    { label: 'reader: page not found', as: 'reader', status: 404, open: goto('/no/such/page') },

    { label: 'newsroom: sign in', as: 'visitor', status: 200, open: goto('/admin/login') },
    {
      label: 'newsroom: sign in with a wrong password', as: 'visitor',
      async open(page) {
        await page.goto('/admin/login');
        await page.getByLabel('Email').fill(admin.email);
        await page.getByLabel('Password').fill('not the password at all');
        const res = await submit(page.getByRole('button', { name: 'Sign in' }));
        await page.getByRole('alert').waitFor();
        return res;
      },
    },
    { label: 'newsroom: forgotten password', as: 'visitor', status: 200, open: goto('/admin/forgot') },
    {
      label: 'newsroom: forgotten password, link sent', as: 'visitor', status: 200,
      async open(page) {
        await page.goto('/admin/forgot');
        await page.getByLabel('Email').fill(`someone.${Date.now()}@example.org`);
        const res = await submit(page.getByRole('button', { name: 'Send the link' }));
        await page.getByRole('status').waitFor();
        return res;
      },
    },
    { label: 'newsroom: choose a new password (reset link)', as: 'visitor', status: 200, open: goto(reset) },
    { label: 'newsroom: reset link unknown or used', as: 'visitor', status: 410, open: goto('/admin/reset/not-a-real-token') },
    { label: 'newsroom: dashboard', as: 'staff', status: 200, open: goto('/admin/') },
    { label: 'newsroom: live desk', as: 'staff', status: 200, open: goto(liveDesk) },
    {
      label: 'newsroom: a live entry\'s history', as: 'staff', status: 200,
      async open(page) {
        await page.goto(liveDesk);
        return page.goto(await page.getByRole('link', { name: 'History of this entry' }).first().getAttribute('href'));
      },
    },
    { label: 'newsroom: breaking news', as: 'staff', status: 200, open: goto('/admin/breaking') },
    { label: 'newsroom: articles', as: 'staff', status: 200, open: goto('/admin/articles') },
    { label: 'newsroom: articles in review', as: 'staff', status: 200, open: goto('/admin/articles?status=review') },
    { label: 'newsroom: articles searched', as: 'staff', status: 200, open: goto('/admin/articles?q=council') },
    { label: 'newsroom: articles search finding nothing', as: 'staff', status: 200, open: goto('/admin/articles?status=draft&q=zzxqv') },
    { label: 'newsroom: new article', as: 'staff', status: 200, open: goto('/admin/articles/new') },
    {
      label: 'newsroom: new article sent with mistakes', as: 'staff', status: 422,
      async open(page) {
        await page.goto('/admin/articles/new');
        await page.locator('#editor').evaluate((f) => { f.noValidate = true; });
        await fillBody(page, 'A body without a headline.');
        const res = await submit(page.getByRole('button', { name: 'Create draft' }));
        await page.getByText('Not saved. Please check:').waitFor();
        return res;
      },
    },
    { label: 'newsroom: edit article', as: 'staff', status: 200, open: goto(edit) },
    {
      label: 'newsroom: a draft returned with a note', as: 'staff', status: 200,
      async open(page) {
        await page.goto('/admin/articles/new');
        await page.getByLabel('Headline', { exact: true }).fill(`Returned for another source ${Date.now()}`);
        await fillBody(page, 'One source so far.');
        await submit(page.getByRole('button', { name: 'Create draft' }));
        await submit(page.getByRole('button', { name: 'Submit for review' }));
        await page.getByLabel(/^Note to the writer/).fill('Find a second source, then submit it again.');
        await submit(page.getByRole('button', { name: 'Return to writer' }));
        assert.match(page.url(), /done=returned/, 'returning the story failed');
        const res = await page.reload();
        await page.getByText('Find a second source, then submit it again.').first().waitFor();
        return res;
      },
    },
    {
      label: 'newsroom: an article in the trash (read-only)', as: 'staff', status: 200,
      async open(page) {
        await page.goto('/admin/articles/new');
        await page.getByLabel('Headline', { exact: true }).fill(`Thrown away ${Date.now()}`);
        await fillBody(page, 'Not needed after all.');
        await submit(page.getByRole('button', { name: 'Create draft' }));
        const editor = new URL(page.url()).pathname;
        await submit(page.getByRole('button', { name: 'Move to trash' }));
        const res = await page.goto(editor);
        assert.ok(await page.getByLabel('Headline', { exact: true }).isDisabled(), 'a trashed article\'s editor is not read-only');
        return res;
      },
    },
    {
      label: 'newsroom: a draft as readers will see it', as: 'staff', status: 200,
      async open(page) {
        await page.goto('/admin/articles/new');
        await page.getByLabel('Headline', { exact: true }).fill(`Seen before it goes out ${Date.now()}`);
        await page.getByLabel('Standfirst', { exact: true }).fill('A draft in the site\'s design.');
        await fillBody(page, 'Shown as readers will see it, **before** anyone can.');
        await submit(page.getByRole('button', { name: 'Create draft' }));
        const res = await page.goto(`${new URL(page.url()).pathname}/preview`);
        await page.getByRole('note', { name: 'Preview' }).waitFor();
        return res;
      },
    },
    { label: 'newsroom: revisions', as: 'staff', status: 200, open: goto(`${edit}/revisions`) },
    { label: 'newsroom: one revision', as: 'staff', status: 200, open: goto(revision) },
    { label: 'newsroom: changes between revisions', as: 'staff', status: 200, open: goto(`${edit}/diff`) },
    { label: 'newsroom: comments awaiting moderation', as: 'staff', status: 200, open: goto('/admin/comments') },
    { label: 'newsroom: approved comments', as: 'staff', status: 200, open: goto('/admin/comments?status=approved') },
    { label: 'newsroom: staff', as: 'staff', status: 200, open: goto('/admin/staff') },
    { label: 'newsroom: page not found', as: 'staff', status: 404, open: goto('/admin/no/such/page') },
  ];
  return [...listed, ...discovered.map((d) => ({ label: `newsroom: ${d.title} (${d.href})`, as: d.as, status: 200, open: goto(d.href) }))];
}

// The newsroom pages listed by name above, by shape (numbers as {id}).
const staffPages = ['/admin/', '/admin/articles', '/admin/articles/new', '/admin/comments', '/admin/staff'];
const listedShapes = new Set([...staffPages, '/admin/login', '/admin/forgot', '/admin/articles/{id}', '/admin/articles/{id}/revisions',
  '/admin/articles/{id}/revisions/{id}', '/admin/articles/{id}/diff', '/admin/articles/{id}/preview', '/admin/articles/{id}/live', '/admin/live/{id}/history', '/admin/breaking']);
const shape = (href) => new URL(href, 'http://x').pathname.replace(/\/\d+(?=\/|$)/g, '/{id}');

// crawl follows newsroom links from the start pages, breadth first, and
// returns one page of each shape not listed that answers 200 with HTML.
async function crawl(request, as, start) {
  const found = [];
  const seen = new Set(start.map(shape));
  const queue = [...start];
  for (let fetched = 0; queue.length > 0 && fetched < 80; fetched++) {
    const href = queue.shift();
    const res = await request.get(href, { maxRedirects: 0 });
    if (res.status() !== 200 || !res.headers()['content-type']?.startsWith('text/html')) {
      if (!listedShapes.has(shape(href))) console.log(`# not checked: ${href} (linked in the newsroom) answers ${res.status()} when ${as === 'staff' ? 'signed in' : 'signed out'}`);
      continue;
    }
    const html = await res.text();
    if (!listedShapes.has(shape(href))) {
      found.push({ href, as, title: (/<title>([^<]*)/.exec(html)?.[1] ?? href).split(' · ')[0].trim() });
    }
    for (const [, link] of html.matchAll(/href="(\/admin\/[^"#]*)[^"]*"/g)) {
      const next = link.replaceAll('&amp;', '&');
      if (!seen.has(shape(next))) {
        seen.add(shape(next));
        queue.push(next);
      }
    }
  }
  return found;
}
