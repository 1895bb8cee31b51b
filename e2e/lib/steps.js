// A browser test told as a story: steps that run in order, each needing
// the ones before it, with numbered screenshots along the way.
import path from 'node:path';
import { it } from 'node:test';

import { artifactsDir, watchConsole } from './artifacts.js';
import { newContext } from './browser.js';

// steps returns { step, shot, shots, open } for a test file called name.
// pages holds the current page of each person in the story; server and
// browser return the running server and browser; consoleErrors collects
// what pages report as errors. Once a step fails the rest are skipped, and
// every open page is photographed, its URL and the server log's last lines
// added to the error.
export function steps(name, { pages, server, browser, consoleErrors }) {
  const shots = artifactsDir(name);
  let count = 0;
  let broken = false;

  async function shot(page, label) {
    count++;
    await page.screenshot({ path: path.join(shots, `${String(count).padStart(2, '0')}-${label}.png`), fullPage: true });
  }

  function step(title, fn) {
    it(title, async (t) => {
      if (broken) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        broken = true;
        for (const [who, page] of Object.entries(pages)) {
          if (page.isClosed()) continue;
          err.message += `\n  ${who} was at ${page.url()}`;
          await shot(page, `failed-${who}`).catch(() => {});
        }
        err.message += `\n  screenshots: ${shots}\n  server log (last lines):\n${(server()?.logs() ?? '').split('\n').slice(-15).join('\n')}`;
        throw err;
      }
    });
  }

  // open gives who a page of their own (their own cookies) on the site.
  async function open(who) {
    const context = await newContext(browser(), server().url);
    const page = pages[who] = await context.newPage();
    watchConsole(page, consoleErrors);
    return page;
  }

  return { step, shot, shots, open };
}
