// A small fediverse server built on Fedify, an independent ActivityPub
// implementation, for federation.test.mjs: one account, @reader, that
// follows Masthead's reporters, receives what they publish (Fedify
// verifies each delivery's HTTP signature before a listener sees it) and
// replies. It runs under Node 22 (Fedify needs it), on 127.0.0.1, with
// Fedify's refusal of private addresses turned off for the test.
//
// The test drives it over HTTP:
//   POST /_test/follow  {"handle": "@name@host"}  look up by WebFinger, follow
//   POST /_test/reply   {"to": actorId, "inReplyTo": url, "content": html}
//   GET  /_test/received                          what the inbox accepted
// It prints "fedify peer at http://127.0.0.1:PORT" once it listens.
import { createServer } from 'node:http';

import { createFederation, generateCryptoKeyPair, MemoryKvStore, verifyRequest } from '@fedify/fedify';
import { Accept, Create, Delete, Endpoints, Follow, Note, Person, PUBLIC_COLLECTION, Undo, Update } from '@fedify/fedify/vocab';

const name = 'reader';
const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5')];
const received = [];
const signers = new Map(); // activity id → the owner of the key that signed its delivery

const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });

federation
  .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
    if (identifier !== name) return null;
    const [pair] = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: 'Rita Reader',
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pair.cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === name ? keys : []));

// record keeps what the inbox accepted, with who signed it: the listener
// runs only once Fedify has verified the request's signature (and that the
// key is the actor's); signedBy is what Fedify's verifyRequest said.
async function record(ctx, activity) {
  try {
    await keep(ctx, activity);
  } catch (err) {
    console.error('recording', activity.id?.href, err);
    throw err;
  }
}

async function keep(ctx, activity) {
  const object = await activity.getObject({ suppressError: true }).catch(() => null);
  received.push({
    type: activity.constructor.typeId.href.replace('https://www.w3.org/ns/activitystreams#', ''),
    id: activity.id?.href,
    actor: activity.actorId?.href,
    signedBy: signers.get(activity.id?.href) ?? null,
    object: object ? await object.toJsonLd({ format: 'compact' }) : { id: activity.objectId?.href },
  });
}

federation
  .setInboxListeners('/users/{identifier}/inbox', '/inbox')
  .on(Accept, record)
  .on(Create, record)
  .on(Update, record)
  .on(Delete, record)
  .on(Undo, record);

let follows = 0;
let notes = 0;

async function control(req, url, origin) {
  const ctx = federation.createContext(new URL(origin), undefined);
  if (req.method === 'GET' && url.pathname === '/_test/received') return received;
  const body = JSON.parse(await readBody(req) || '{}');
  if (req.method === 'POST' && url.pathname === '/_test/follow') {
    const actor = await ctx.lookupObject(body.handle);
    if (actor?.id == null || actor.inboxId == null) throw new Error(`${body.handle} did not resolve to an actor`);
    await ctx.sendActivity({ identifier: name }, actor, new Follow({
      id: new URL(`/follows/${++follows}`, origin),
      actor: ctx.getActorUri(name),
      object: actor.id,
    }));
    return { id: actor.id.href, name: actor.name?.toString(), inbox: actor.inboxId.href };
  }
  if (req.method === 'POST' && url.pathname === '/_test/reply') {
    const actor = await ctx.lookupObject(body.to);
    if (actor?.id == null) throw new Error(`${body.to} did not resolve to an actor`);
    const note = new Note({
      id: new URL(`/notes/${++notes}`, origin),
      attribution: ctx.getActorUri(name),
      content: body.content,
      replyTarget: new URL(body.inReplyTo),
      to: PUBLIC_COLLECTION,
      cc: actor.id,
    });
    await ctx.sendActivity({ identifier: name }, actor, new Create({
      id: new URL(`/notes/${notes}/activity`, origin),
      actor: ctx.getActorUri(name),
      object: note,
      to: PUBLIC_COLLECTION,
      cc: actor.id,
    }));
    return { id: note.id.href };
  }
  return undefined;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = createServer(async (req, res) => {
  const origin = `http://${req.headers.host}`;
  const url = new URL(req.url, origin);
  try {
    if (url.pathname.startsWith('/_test/')) {
      const out = await control(req, url, origin);
      res.writeHead(out === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out ?? { error: 'no such control' }));
      return;
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    const request = new Request(url, { method: req.method, headers: req.headers, body });
    if (req.method === 'POST' && url.pathname.endsWith('/inbox')) {
      const ctx = federation.createContext(new URL(origin), undefined);
      const key = await verifyRequest(request.clone(), { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
      const id = (() => { try { return JSON.parse(body).id; } catch { return undefined; } })();
      if (key && id) signers.set(id, key.ownerId?.href ?? null);
    }
    const response = await federation.fetch(request, { contextData: undefined });
    console.log(`${req.method} ${url.pathname} ${response.status}`);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (err) {
    console.error(err);
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(err?.stack ?? err) }));
  }
});

server.listen(0, '127.0.0.1', () => {
  console.log(`fedify peer at http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
