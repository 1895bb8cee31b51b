import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8093';
const [role, width, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const ctx = await browser.newContext({ viewport: { width: +width, height: width < 500 ? 740 : 900 }, baseURL: base });
const page = await ctx.newPage();
page.on('console', (m) => { if (m.type() === 'error') console.log('console error', m.text()); });
await page.goto('/admin/login');
await page.getByLabel('Email').fill(`${role}@example.org`);
await page.getByLabel('Password').fill(`a long enough password ${role}`);
await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
for (const p of paths) {
  await page.goto(p);
  const name = `/tmp/ux/${role}-${width}-${p.replace(/[^a-z0-9]+/gi, '_')}.png`;
  await page.screenshot({ path: name, fullPage: true });
  console.log(name, await page.title());
}
await browser.close();
