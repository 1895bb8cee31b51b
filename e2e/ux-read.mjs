import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const [width, ...paths] = process.argv.slice(2);
const ctx = await browser.newContext({ viewport: { width: +width, height: 800 }, baseURL: 'http://127.0.0.1:8093' });
const p = await ctx.newPage();
p.on('console', (m) => { if (m.type() === 'error') console.log('console error', m.text()); });
for (const path of paths) {
  await p.goto(path);
  const f = `/tmp/ux/r${width}-${path.replace(/[^a-z0-9]+/gi, '_').slice(0, 40)}.png`;
  await p.screenshot({ path: f, fullPage: true });
  console.log(f);
}
await browser.close();
