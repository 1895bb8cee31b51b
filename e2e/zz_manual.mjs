// One-off manual check (not committed): screenshots of the newsroom as each role.
import { buildMasthead, scratchDir, addUser, startMasthead } from './lib/masthead.js';
import { launchChromium, newContext } from './lib/browser.js';
import { signIn, submit } from './lib/newsroom.js';
import path from 'node:path';
const out = '/tmp/shots';
const s = scratchDir('manual');
const bin = buildMasthead(s.dir);
const data = path.join(s.dir, 'data');
const users = {
  contributor: { email: 'cora@example.test', name: 'Cora Contributor', role: 'contributor', password: 'a long password 1' },
  author: { email: 'ari@example.test', name: 'Ari Author', role: 'author', password: 'a long password 2' },
  editor: { email: 'eda@example.test', name: 'Eda Editor', role: 'editor', password: 'a long password 3' },
  admin: { email: 'ada@example.test', name: 'Ada Admin', role: 'admin', password: 'a long password 4' },
};
// first start loads the demo
let site = await startMasthead(bin, data); await site.stop();
for (const u of Object.values(users)) addUser(bin, data, u);
site = await startMasthead(bin, data);
const browser = await launchChromium();
async function as(role, width) {
  const ctx = await newContext(browser, site.url, { viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  await signIn(page, users[role].email, users[role].password);
  return page;
}
const shot = (page, name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
try {
  // An author writes, tries a colleague's byline, then publishes.
  let p = await as('author', 1280);
  await p.goto('/admin/articles/new');
  await p.getByLabel('Headline', { exact: true }).fill('Harbour ferry returns on Monday');
  await p.fill('textarea[name=body]', '"We are ready," said the harbour master.');
  const opts = await p.$$eval('select[name=author] option', (os) => os.map((o) => [o.value, o.textContent]));
  const other = opts.find(([v, t]) => v !== '0' && !t.includes('Ari Author'));
  await p.selectOption('select[name=author] >> nth=0', other[0]);
  await submit(p.getByRole('button', { name: 'Create draft' }));
  await shot(p, 'author-byline-refused-1280');
  await p.selectOption('select[name=author] >> nth=0', opts.find(([, t]) => t.includes('Ari Author'))[0]);
  await submit(p.getByRole('button', { name: 'Create draft' }));
  await shot(p, 'author-editor-1280');
  const editURL = p.url().split('?')[0];
  await submit(p.getByRole('button', { name: 'Publish now' }));
  // The editor takes it down.
  const e = await as('editor', 1280);
  await e.goto(editURL);
  await submit(e.getByRole('button', { name: 'Unpublish' }));
  await shot(e, 'editor-after-unpublish-1280');
  await p.goto(editURL);
  await shot(p, 'author-after-takedown-1280');
  await e.goto('/admin/');
  await shot(e, 'editor-dashboard-1280');
  const c = await as('contributor', 360);
  await c.goto('/admin/');
  await shot(c, 'contributor-dashboard-360');
  await c.goto('/admin/people');
  await shot(c, 'contributor-people-360');
  const a = await as('admin', 360);
  await a.goto('/admin/staff');
  await shot(a, 'admin-staff-360');
  await a.goto('/admin/comments');
  await shot(a, 'admin-comments-360');
} catch (err) { for (const pg of browser.contexts().flatMap((c) => c.pages())) { await pg.screenshot({ path: `${out}/fail-${Math.random()}.png` }); console.log('at', pg.url()); } throw err; } finally {
  await browser.close();
  await site.stop();
  console.log(site.logs().split('\n').filter((l) => /ERROR|level=ERROR/.test(l)).join('\n'));
  s.cleanup();
}
