// The newsroom's day, end to end in a real browser against the real binary:
// a contributor writes and submits a story, an editor publishes it, a reader
// comments, the editor approves the comment, and the reader sees it.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';

import { watchConsole } from './lib/artifacts.js';
import { launchChromium, newContext } from './lib/browser.js';
import { steps } from './lib/steps.js';
import { fillBody, signIn, signOut, submit, uploadImage } from './lib/newsroom.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';

const editor = { email: 'edna.e2e@example.org', name: 'Edna Okafor-Lind', role: 'editor', password: 'correct horse editor 1' };
const contributor = { email: 'colin.e2e@example.org', name: 'Colin Vasquez-Hale', role: 'contributor', password: 'correct horse writer 2' };

const story = {
  headline: 'Old tram depot on Quay Street to become forty homes',
  standfirst: 'After eleven years of false starts, councillors approve a plan for affordable flats and a public courtyard.',
  body: [
    'The planning committee voted seven to two on Tuesday evening to turn the derelict tram depot on Quay Street into housing.',
    '',
    '“We have waited eleven years for this,” said Mara Quinlan, who chairs the Quay Street residents’ association. “Tonight the city finally listened.”',
    '',
    '> The depot will become forty affordable homes around a public courtyard, with work due to start in the spring.',
    '',
    'The brick arches of the 1904 building will be kept, and the old inspection pits turned into bicycle stores.',
  ].join('\n'),
  quote: 'The depot will become forty affordable homes around a public courtyard',
  tags: 'Housing, Quay Street',
  imageAlt: 'The brick arches of the old tram depot on Quay Street, boarded up',
};
const reader = { name: 'Priya Natarajan', email: 'priya.e2e@example.org' };
const commentText = 'At last. My grandfather drove trams out of that depot; good to see the arches kept.';

describe('newsroom workflow in Chromium', { timeout: 300_000 }, () => {
  let scratch, server, browser, dataDir;
  const consoleErrors = [];
  const pages = {}; // the current page of each role, for screenshots on failure
  let articleURL, adminArticle, leadImageURL;

  const { step, shot, shots } = steps('workflow', { pages, server: () => server, browser: () => browser, consoleErrors });

  before(async () => {
    scratch = scratchDir('workflow');
    const bin = buildMasthead(scratch.dir);
    dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, editor);
    addUser(bin, dataDir, contributor);
    server = await startMasthead(bin, dataDir);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    scratch?.cleanup();
    console.log(`# screenshots: ${shots}`);
  });

  step('a contributor signs in and writes an article', async () => {
    const context = await newContext(browser, server.url);
    const page = pages.contributor = await context.newPage();
    watchConsole(page, consoleErrors);
    await signIn(page, contributor.email, contributor.password);
    await assert.doesNotReject(page.getByRole('heading', { name: `Good to see you, ${contributor.name}` }).waitFor());

    const uploaded = await uploadImage(page, story.imageAlt);
    leadImageURL = uploaded ?? demoImage(dataDir);
    if (uploaded) await shot(page, 'image-uploaded');
    await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'New article' }).click();
    await page.getByLabel('Headline', { exact: true }).fill(story.headline);
    await page.getByLabel('Standfirst', { exact: true }).fill(story.standfirst);
    await fillBody(page, story.body);
    await page.getByLabel('Section').selectOption({ index: 1 });
    await page.getByLabel('Tags').fill(story.tags);
    await page.getByLabel('Image URL').fill(leadImageURL);
    await page.getByLabel('Alt text').fill(story.imageAlt);
    // The live preview renders the body, quote included, as the writer types.
    await page.locator('#preview blockquote', { hasText: story.quote }).waitFor();
    // …and counts its words as readers will see them.
    await page.locator('#word-count', { hasText: /^\d{2,3} words · 1 min read$/ }).waitFor();
    await shot(page, 'contributor-writes');
    // Before saving, the whole page as readers will see it, in a new tab.
    const [preview] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'See it as readers will' }).click()]);
    watchConsole(preview, consoleErrors);
    await preview.waitForLoadState('load');
    await preview.getByRole('heading', { level: 1, name: story.headline }).waitFor();
    await preview.getByRole('note', { name: 'Preview' }).getByText('not yet saved').waitFor();
    assert.ok(await preview.locator('.lead-image img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the preview does not show the lead image');
    await preview.getByRole('region', { name: `About ${contributor.name}` }).waitFor();
    await shot(preview, 'contributor-previews');
    await preview.close();
    await submit(page.getByRole('button', { name: 'Create draft' }));
    assert.match(page.url(), /\/admin\/articles\/\d+\?done=created$/, 'creating the draft failed');
    adminArticle = new URL(page.url()).pathname;
    await page.getByRole('status').filter({ hasText: /created/i }).waitFor();
    assert.equal(await page.getByLabel('Headline', { exact: true }).inputValue(), story.headline);
  });

  step('the contributor submits it for review and signs out', async () => {
    const page = pages.contributor;
    assert.equal(await page.getByRole('button', { name: 'Publish now' }).count(), 0, 'a contributor must not be offered "Publish now"');
    await submit(page.getByRole('button', { name: 'Submit for review' }));
    assert.match(page.url(), /\?done=submitted$/, 'submitting for review failed');
    await page.locator('.meta .status', { hasText: 'review' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Submitted for review' }).waitFor();
    // With no step left to take, the workflow box says what happens next.
    await page.getByRole('region', { name: 'Workflow' }).getByText(/an editor publishes it or sends it back/).waitFor();
    await shot(page, 'submitted-for-review');
    await signOut(page);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.context().close();
    delete pages.contributor;
  });

  step('an editor signs in, opens it from the review queue and publishes it', async () => {
    const context = await newContext(browser, server.url);
    const page = pages.editor = await context.newPage();
    watchConsole(page, consoleErrors);
    await signIn(page, editor.email, editor.password);
    const queue = page.getByRole('region', { name: 'Awaiting review' });
    await queue.getByRole('link', { name: story.headline, exact: true }).click();
    await page.waitForURL((u) => u.pathname === adminArticle);
    await shot(page, 'editor-opens');
    await submit(page.getByRole('button', { name: 'Publish now' }));
    assert.match(page.url(), /\?done=published$/, 'publishing failed');
    await page.locator('.meta .status', { hasText: 'published' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Published: it is on the site now.' }).waitFor();
    articleURL = new URL(await page.getByRole('link', { name: 'view on the site' }).getAttribute('href'), server.url).pathname;
    assert.match(articleURL, /^\/\d{4}\/\d{2}\/\d{2}\/old-tram-depot-on-quay-street-to-become-forty-homes$/);
    await shot(page, 'published');
  });

  step('the front page shows it', async () => {
    const page = pages.editor;
    await page.goto('/');
    const link = page.getByRole('main').getByRole('link', { name: story.headline }).first();
    await link.waitFor();
    assert.equal(new URL(await link.getAttribute('href'), server.url).pathname, articleURL);
    await shot(page, 'front-page');
  });

  step('a reader opens the article and leaves a comment, which awaits moderation', async () => {
    const context = await newContext(browser, server.url);
    const page = pages.reader = await context.newPage();
    watchConsole(page, consoleErrors);
    await page.goto('/');
    await page.getByRole('main').getByRole('link', { name: story.headline }).first().click();
    await page.waitForURL((u) => u.pathname === articleURL);
    await page.getByRole('heading', { level: 1, name: story.headline }).waitFor();
    await page.getByText(story.standfirst).waitFor();
    await page.locator('.article-body blockquote', { hasText: story.quote }).waitFor();
    const image = page.getByRole('img', { name: story.imageAlt });
    assert.equal(new URL(await image.getAttribute('src'), server.url).pathname, leadImageURL);
    assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), `the lead image ${leadImageURL} did not load`);
    await page.getByRole('link', { name: contributor.name }).first().waitFor(); // the byline
    await shot(page, 'reader-article');

    await page.getByRole('heading', { name: 'Leave a Reply' }).scrollIntoViewIfNeeded();
    await page.getByRole('textbox', { name: 'Comment', exact: true }).fill(commentText);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(reader.name);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(reader.email);
    const res = await submit(page.getByRole('button', { name: 'Post Comment' }));
    assert.equal(res.status(), 200, `posting the comment led to ${res.url()} (${res.status()})`);
    const mine = page.getByRole('listitem').filter({ hasText: commentText });
    await mine.getByText('Your comment is awaiting moderation.').waitFor();
    await shot(page, 'comment-awaiting-moderation');

    // Nobody else sees it yet.
    const stranger = await (await newContext(browser, server.url)).newPage();
    await stranger.goto(articleURL);
    assert.equal(await stranger.getByText(commentText).count(), 0, 'a pending comment is visible to other readers');
    await stranger.context().close();
  });

  step('the editor approves the comment in the moderation queue', async () => {
    const page = pages.editor;
    await page.goto('/admin/');
    await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'Comments' }).click();
    const item = page.getByRole('listitem').filter({ hasText: commentText });
    await item.getByText(reader.name).waitFor();
    await item.getByRole('checkbox').check();
    await page.getByLabel('With selected:').selectOption({ label: 'Approve' });
    await shot(page, 'moderation-queue');
    await submit(page.getByRole('button', { name: 'Apply' }));
    assert.match(page.url(), /done=moderated/, 'moderating failed');
    assert.equal(await page.getByText(commentText).count(), 0, 'the approved comment is still in the pending folder');
  });

  step('the reader reloads and sees the comment published', async () => {
    const page = pages.reader;
    await page.reload();
    const mine = page.getByRole('listitem').filter({ hasText: commentText });
    await mine.waitFor();
    assert.equal(await mine.getByText('awaiting moderation').count(), 0, 'the approved comment is still marked as awaiting moderation');
    await mine.scrollIntoViewIfNeeded();
    await shot(page, 'comment-published');

    const stranger = await (await newContext(browser, server.url)).newPage();
    await stranger.goto(articleURL);
    await stranger.getByRole('listitem').filter({ hasText: commentText }).waitFor();
    await stranger.context().close();
  });

  step('no page logged an error in the browser console', async () => {
    assert.deepEqual(consoleErrors, []);
  });
});

// demoImage is the first of the demo newsroom's images in the media
// library: a variant, lib/ab/<sha256>-960x540.jpg.
function demoImage(dataDir) {
  const files = readdirSync(path.join(dataDir, 'media', 'lib'), { recursive: true })
    .filter((f) => /-\d+x\d+\.jpg$/.test(f)).sort();
  assert.ok(files.length > 0, 'the demo newsroom has no images');
  return `/media/lib/${files[0].split(path.sep).join('/')}`;
}
