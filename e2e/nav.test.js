// The sections bar with more sections than fit (a WordPress site brought
// in with dozens of categories): at every width the first section is in
// view and the bar scrolls to the last; with few sections it stays
// centred on a wide screen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchChromium, newContext } from './lib/browser.js';
import { addUser, buildMasthead, scratchDir, startMasthead } from './lib/masthead.js';
import { csrfOf, signedIn } from './lib/session.js';

const admin = { email: 'admin@nav.example', name: 'Ada Admin', role: 'admin', password: 'a long enough password 7' };

// barOf measures the sections bar of the page open in page.
const barOf = (page) => page.getByRole('navigation', { name: 'Sections' }).getByRole('list').evaluate((ul) => {
  const box = ul.getBoundingClientRect();
  const items = [...ul.querySelectorAll('li')];
  const first = items[0].getBoundingClientRect();
  ul.scrollLeft = ul.scrollWidth;
  const last = items.at(-1).getBoundingClientRect();
  return { overflows: ul.scrollWidth > ul.clientWidth, left: box.left, right: box.right, first: first.left, last: last.right };
});

describe('the sections bar', { timeout: 180_000 }, () => {
  let scratch, server, browser;

  before(async () => {
    scratch = scratchDir('nav');
    const bin = buildMasthead(scratch.dir);
    addUser(bin, `${scratch.dir}/data`, admin);
    server = await startMasthead(bin, `${scratch.dir}/data`, ['--demo=false']);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    scratch?.cleanup();
  });

  const look = async (width) => {
    const context = await newContext(browser, server.url, { viewport: { width, height: 700 } });
    const page = await context.newPage();
    await page.goto('/');
    const bar = await barOf(page);
    await context.close();
    return bar;
  };

  it('is centred while it fits on a wide screen', async () => {
    const bar = await look(1280);
    assert.equal(bar.overflows, false);
    assert.ok(Math.abs((bar.first - bar.left) - (bar.right - bar.last)) < 40, `not centred: ${JSON.stringify(bar)}`);
  });

  it('starts at its first section and scrolls to its last when it does not fit', async () => {
    const session = await signedIn(server.url, admin);
    for (let i = 1; i <= 40; i++) {
      const csrf = csrfOf(await (await session.get('/admin/sections')).text());
      const res = await session.post('/admin/sections', { csrf, name: `Section number ${i}`, slug: '', description: '' });
      assert.equal(res.status, 303, `adding section ${i}`);
    }
    for (const width of [1280, 768, 360]) {
      const bar = await look(width);
      assert.ok(bar.overflows, `${width} px: the bar fits`);
      assert.ok(bar.first >= bar.left, `${width} px: the first section is cut off: ${JSON.stringify(bar)}`);
      assert.ok(bar.last <= bar.right + 1, `${width} px: the last section is out of reach: ${JSON.stringify(bar)}`);
    }
  });
});
