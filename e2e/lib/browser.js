// Debian's Chromium, driven by playwright-core. Nothing is downloaded: the
// browser is the system's (/usr/bin/chromium, or $CHROMIUM), and the flags
// keep it from reaching out to the network at start.
import { chromium } from 'playwright-core';

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: chromiumArgs,
    timeout: 60_000,
  });
}

// newContext opens a browser context (its own cookies) on the site.
// Everything but 127.0.0.1 is refused, so a test never leaves the machine.
export async function newContext(browser, baseURL, options = {}) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('blockedbyclient'));
  return context;
}
