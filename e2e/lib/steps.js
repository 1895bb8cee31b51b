// A browser test told as a story: steps that run in order, each needing
// the ones before it, with numbered screenshots along the way.
import path from 'node:path';
import { it } from 'node:test';

import { artifactsDir } from './artifacts.js';

// steps returns { step, shot, shots } for a test file called name. pages
// holds the current page of each person in the story; serverLogs returns
// the server's log so far. Once a step fails the rest are skipped, and
// every open page is photographed, its URL and the log's last lines added
// to the error.
export function steps(name, pages, serverLogs) {
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
        err.message += `\n  screenshots: ${shots}\n  server log (last lines):\n${(serverLogs() ?? '').split('\n').slice(-15).join('\n')}`;
        throw err;
      }
    });
  }

  return { step, shot, shots };
}
