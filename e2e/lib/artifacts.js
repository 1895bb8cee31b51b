// Screenshots and saved pages go to a temporary folder that each run
// empties first ($E2E_ARTIFACTS, or masthead-e2e/ in the system's temp
// folder), so they are there to look at after a run and never committed.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function artifactsDir(name) {
  const dir = path.join(process.env.E2E_ARTIFACTS || path.join(tmpdir(), 'masthead-e2e'), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

// watchConsole records what a page reports as an error in the console
// (failed loads, Content-Security-Policy refusals, script errors).
export function watchConsole(page, into) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') into.push(`${page.url()}: console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => into.push(`${page.url()}: uncaught: ${err.message}`));
}
