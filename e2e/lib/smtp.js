// Mailpit, a real SMTP server, for the browser tests: the real binary
// sends its invitations, reset links and newsletters to it over SMTP, as it
// would to any mail server, and the test reads them back, raw bytes and
// all, through Mailpit's HTTP API. The Go tests' twin is
// internal/mail/mailtest. Mailpit is found at $MAILPIT, on PATH, or in
// $(go env GOPATH)/bin (`go install github.com/axllent/mailpit@v1.33.1`;
// .ci/run installs it).
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { repoRoot } from './masthead.js';

function mailpitBinary() {
  if (process.env.MAILPIT) return process.env.MAILPIT;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'mailpit'))) return path.join(dir, 'mailpit');
  }
  const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  for (const dir of gopath.split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'bin', 'mailpit'))) return path.join(dir, 'bin', 'mailpit');
  }
  throw new Error('mailpit is not installed: go install github.com/axllent/mailpit@v1.33.1');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// startSMTP runs Mailpit on free ports with its database in a temporary
// folder and resolves once it answers. `messages` holds what arrived, in
// arrival order, as { id, from, to, raw }; a test may remove what it has
// dealt with, and a removed message never comes back.
export async function startSMTP() {
  const bin = mailpitBinary();
  const dir = mkdtempSync(path.join(tmpdir(), 'masthead-e2e-mailpit-'));
  const smtpPort = await freePort();
  const apiPort = await freePort();
  const child = spawn(bin, ['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${apiPort}`,
    '--database', path.join(dir, 'mailpit.db'), '--max', '0', '--disable-version-check', '--smtp-disable-rdns', '--quiet'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.setEncoding('utf8').on('data', (s) => { logs += s; });
  child.stderr.setEncoding('utf8').on('data', (s) => { logs += s; });
  const api = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mailpit exited (${child.exitCode}):\n${logs}`);
    try {
      if ((await fetch(`${api}/readyz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`mailpit was not ready within 60 s:\n${logs}`);
    await sleep(100);
  }

  const messages = [];
  const seen = new Set();
  // poll adds the messages that arrived since the last poll.
  async function poll() {
    const res = await fetch(`${api}/api/v1/messages?limit=1000`);
    const list = (await res.json()).messages.reverse(); // oldest first
    for (const m of list) {
      if (seen.has(m.ID)) continue;
      seen.add(m.ID);
      const raw = await (await fetch(`${api}/api/v1/message/${m.ID}/raw`)).text();
      const to = [...(m.To ?? []), ...(m.Cc ?? []), ...(m.Bcc ?? [])].map((a) => a.Address);
      const rp = /^Return-Path:\s*<([^>]*)>/im.exec(raw);
      messages.push({ id: m.ID, from: rp ? rp[1] : '', to, raw });
    }
  }
  return {
    addr: `127.0.0.1:${smtpPort}`,
    api,
    messages,
    poll,
    // waitFor resolves to the first message (in arrival order) addressed
    // to `to`, waiting up to 30 s for it to arrive.
    async waitFor(to) {
      const until = Date.now() + 30_000;
      for (;;) {
        await poll();
        const m = messages.find((msg) => msg.to.some((r) => r.includes(to)));
        if (m) return m;
        if (Date.now() > until) throw new Error(`no mail to ${to} within 30 s (got ${messages.length})`);
        await sleep(200);
      }
    },
    // count is how many messages Mailpit holds, dealt with or not.
    async count() {
      return (await (await fetch(`${api}/api/v1/messages?limit=1`)).json()).total;
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// body decodes a message's text: quoted-printable soft breaks and escapes,
// which is how mail clients see links.
export function body(raw) {
  const text = raw.split(/\r\n\r\n/).slice(1).join('\n\n');
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

// dkimKey makes a throwaway RSA signing key in dir: { keyFile, txtFile },
// the private key for `masthead serve --dkim-key` and the TXT record that
// would publish the public key.
export function dkimKey(dir) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = path.join(dir, 'dkim.pem');
  const txtFile = path.join(dir, 'dkim.txt');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(txtFile, `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}\n`);
  return { keyFile, txtFile };
}

// verifyDKIM checks raw's DKIM signature with the Go tests' independent
// verifier (internal/mail/mailtest/dkimverify, github.com/emersion/go-msgauth),
// answering its DNS query from txtFile. It returns "" for a valid
// signature, or the verifier's reason.
export function verifyDKIM(raw, { domain, selector, txtFile }) {
  const res = spawnSync('go', ['run', './internal/mail/mailtest/dkimverify', '--domain', domain, '--selector', selector, '--txt-file', txtFile],
    { cwd: repoRoot, input: Buffer.from(raw, 'utf8'), encoding: 'utf8' });
  return res.status === 0 ? '' : `${res.stdout}${res.stderr}${res.error ?? ''}`;
}
