// Signing in to the newsroom with fetch, without a browser: a cookie jar
// and the CSRF token its forms carry.
import assert from 'node:assert/strict';

// cookieJar keeps the cookies a site sets.
export function cookieJar() {
  const jar = new Map();
  return {
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    take(res) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
    },
  };
}

// csrfOf is the CSRF token of the first form in a page.
export const csrfOf = (html) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];

// signedIn signs in at base as { email, password } and resolves to
// { get(path), post(path, form) } that carry the session, following no
// redirects.
export async function signedIn(base, { email, password }) {
  const jar = cookieJar();
  const get = async (p) => {
    const res = await fetch(base + p, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.take(res);
    return res;
  };
  const post = async (p, form) => {
    const res = await fetch(base + p, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(form),
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    jar.take(res);
    return res;
  };
  const login = await (await get('/admin/login')).text();
  const res = await post('/admin/login', { email, password, csrf: csrfOf(login), next: '/admin/' });
  assert.equal(res.status, 303, `signing in as ${email}`);
  return { get, post };
}
