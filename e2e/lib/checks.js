// The two checks every page goes through: the Nu HTML Checker (vnu.jar,
// run with the machine's Java) on the HTML the server sent, and axe-core
// inside Chromium on the rendered page. Both return readable reports.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import axe from 'axe-core';

const require = createRequire(import.meta.url);
const vnuJar = String(require('vnu-jar'));

// validateHTML runs vnu once over every document ({ label, url, html }),
// saving them in dir, and returns the errors of each, as
// [{ doc, errors: [{ line, column, message, extract }] }].
export function validateHTML(docs, dir) {
  mkdirSync(dir, { recursive: true });
  const files = docs.map((doc, i) => {
    const file = path.join(dir, `${String(i).padStart(2, '0')}-${doc.label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.html`);
    writeFileSync(file, doc.html);
    return file;
  });
  const res = spawnSync(process.env.JAVA || 'java',
    ['-Xss8m', '-jar', vnuJar, '--errors-only', '--format', 'json', '--stdout', '--exit-zero-always', ...files],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.error || res.status !== 0) {
    throw new Error(`the Nu HTML Checker did not run (java -jar ${vnuJar}): ${res.error ?? res.status}\n${res.stdout}${res.stderr}`);
  }
  const byFile = new Map(files.map((f, i) => [pathToFileURL(f).href, { doc: docs[i], file: f, errors: [] }]));
  for (const m of JSON.parse(res.stdout).messages) {
    const entry = byFile.get(m.url) ?? byFile.get(m.url?.replace(/^file:\//, 'file:///'));
    const error = { line: m.lastLine, column: m.firstColumn ?? m.lastColumn, message: m.message, extract: m.extract };
    if (entry) entry.errors.push(error);
    else throw new Error(`the Nu HTML Checker reported on an unknown file: ${JSON.stringify(m)}`);
  }
  return [...byFile.values()];
}

export function formatHTMLErrors(results) {
  const lines = [];
  for (const { doc, file, errors } of results) {
    if (errors.length === 0) continue;
    lines.push(`${doc.label}: ${doc.url} (saved as ${file})`);
    for (const e of errors) {
      lines.push(`  line ${e.line}, column ${e.column}: ${e.message}`);
      if (e.extract) lines.push(`      ${e.extract.replace(/\s+/g, ' ').trim()}`);
    }
  }
  return lines.join('\n');
}

// runAxe checks the page as it is now. The site's Content-Security-Policy
// forbids inline scripts, so axe's source goes in through the DevTools
// protocol (page.evaluate), which the page's CSP does not govern.
export async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axe.source);
  }
  return page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  });
}

export function formatViolations(label, url, violations) {
  const lines = [`${label}: ${url}`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`      ${n.target}\n        ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (n.summary) lines.push(`        ${n.summary.replace(/\n\s*/g, ' / ')}`);
    }
    if (v.nodes.length > 8) lines.push(`      … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

// checkFailure is an error that reads as its report alone: a stack trace
// into the test runner would only push the report off the screen.
export function checkFailure(report) {
  const err = new Error(report);
  err.stack = `${err.name}: ${report}`;
  return err;
}
