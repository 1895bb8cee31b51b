// The WordPress REST API (/wp-json/wp/v2/) driven by the real WordPress
// client library, wpapi: discovery from the site's address, posts with
// _embed, a category filter, and — with an application password made on
// the newsroom's profile page — a post created and an image uploaded.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WPAPI from 'wpapi';

import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';
import { pngImage } from './lib/png.js';
import { csrfOf, signedIn } from './lib/session.js';

const editor = { email: 'wendy.api@example.org', name: 'Wendy Api-Writer', role: 'editor', password: 'correct horse api 42' };

// appPassword signs in as the member of staff and makes an application
// password on their profile page, as a person would.
async function appPassword(base, { email, password }) {
  const { get, post } = await signedIn(base, { email, password });
  const profile = await (await get('/admin/profile')).text();
  assert.match(profile, /Application passwords/);
  // Making one asks for the account's password again.
  const made = await post('/admin/profile/app-passwords', { name: 'wpapi e2e', password, csrf: csrfOf(profile) });
  assert.equal(made.status, 200, 'making an application password');
  const pw = /<code class="app-password">([^<]+)<\/code>/.exec(await made.text())?.[1];
  assert.ok(pw && /^(\w{4} ){5}\w{4}$/.test(pw), `an application password in six groups of four, got ${pw}`);
  return pw;
}

describe('the WordPress REST API through the wpapi client', { timeout: 180_000 }, () => {
  let scratch, server, site;

  before(async () => {
    scratch = scratchDir('wpapi');
    const bin = buildMasthead(scratch.dir);
    const dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, editor);
    server = await startMasthead(bin, dataDir);
    site = await WPAPI.discover(server.url); // Link: rel="https://api.w.org/" → GET /wp-json/ → routes
  });

  after(async () => {
    await server?.stop();
    scratch?.cleanup();
  });

  it('discovers the API from the site address', () => {
    assert.equal(site._options.endpoint, `${server.url}/wp-json/`);
  });

  it('lists posts with _embed, and pages through them', async () => {
    const posts = await site.posts().embed().perPage(5).get();
    assert.equal(posts.length, 5);
    assert.ok(posts._paging.total > 5 && posts._paging.totalPages > 1, `paging: ${JSON.stringify(posts._paging)}`);
    for (const p of posts) {
      assert.equal(p.status, 'publish');
      assert.ok(p.title.rendered && p.content.rendered.includes('<p>'), 'title and content');
      assert.ok(p.link.startsWith(server.url + '/'), p.link);
      assert.ok(p._embedded.author[0].name, 'an embedded author');
      assert.equal(p._embedded['wp:term'][0][0].id, p.categories[0], 'the embedded category');
    }
    const next = await posts._paging.next.get();
    assert.equal(next.length, 5);
    assert.notEqual(next[0].id, posts[0].id);
  });

  it('filters posts by category', async () => {
    const cats = await site.categories().get();
    const cat = cats.find((c) => c.count > 0);
    assert.ok(cat, 'a category with posts');
    const posts = await site.posts().categories(cat.id).perPage(100).get();
    assert.equal(posts.length, cat.count);
    for (const p of posts) assert.deepEqual(p.categories, [cat.id]);
  });

  it('refuses to write without an application password, in WordPress\'s error shape', async () => {
    await assert.rejects(site.posts().create({ title: 'Nope', content: '<p>No.</p>' }), (err) => {
      assert.equal(err.code, 'rest_not_logged_in');
      assert.equal(err.data.status, 401);
      return true;
    });
  });

  it('creates a post and uploads media with an application password', async () => {
    const pw = await appPassword(server.url, editor);
    const authed = await WPAPI.discover(server.url);
    authed.auth({ username: editor.email, password: pw });

    const upload = await authed.media().file(pngImage(64, 48), 'wpapi-e2e.png').create({ alt_text: 'A test card', caption: 'Made by the e2e test' });
    assert.ok(upload.id > 0, 'a media id');
    assert.equal(upload.alt_text, 'A test card');
    assert.equal(upload.media_type, 'image');
    const img = await fetch(upload.source_url);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');

    const [cat] = await authed.categories().perPage(1).get();
    const created = await authed.posts().create({
      title: 'Filed through the REST API',
      content: '<p>Written with <em>wpapi</em>, the WordPress client.</p>',
      excerpt: 'A post from a WordPress tool.',
      status: 'publish',
      categories: [cat.id],
      featured_media: upload.id,
    });
    assert.equal(created.status, 'publish');
    assert.equal(created.featured_media, upload.id);
    assert.deepEqual(created.categories, [cat.id]);
    const page = await fetch(created.link);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Filed through the REST API/);
    assert.match(html, /Written with <em>wpapi<\/em>/);
    assert.match(html, /alt="A test card"/);

    const fetched = await site.posts().id(created.id).embed().get();
    assert.equal(fetched._embedded['wp:featuredmedia'][0].id, upload.id);
    const updated = await authed.posts().id(created.id).update({ title: 'Filed through the REST API, revised' });
    assert.equal(updated.title.rendered, 'Filed through the REST API, revised');
  });
});
