// What staff do in the newsroom, as steps the tests share.
import assert from 'node:assert/strict';

import { pngImage } from './png.js';

// signIn fills in the newsroom's sign-in form and waits for the dashboard.
export async function signIn(page, email, password) {
  await page.goto('/admin/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await submit(page.getByRole('button', { name: 'Sign in' }));
  if (new URL(page.url()).pathname !== '/admin/') {
    throw new Error(`signing in as ${email} led to ${page.url()}, not the dashboard`);
  }
}

export async function signOut(page) {
  await submit(page.getByRole('button', { name: 'Sign out' }));
  if (new URL(page.url()).pathname !== '/admin/login') {
    throw new Error(`signing out led to ${page.url()}, not the sign-in page`);
  }
}

// submit clicks a form's button and resolves, once the page that answers
// has loaded, to that page's response (after any redirect). It waits for a
// new navigation, so it also works when the URL does not change.
export async function submit(button) {
  const page = button.page();
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return res;
}

// uploadImage puts a generated PNG into the media library at /admin/media,
// describes it there, and returns its URL; undefined when the newsroom has
// no media library.
export async function uploadImage(page, alt) {
  const probe = await page.request.get('/admin/media', { maxRedirects: 0 });
  if (probe.status() !== 200) return undefined;
  await page.goto('/admin/media');
  await page.getByLabel(/Choose .*images/).setInputFiles({ name: 'quay-street-depot.png', mimeType: 'image/png', buffer: pngImage(1200, 675) });
  await submit(page.getByRole('button', { name: 'Upload' }));
  assert.match(new URL(page.url()).pathname, /^\/admin\/media\/\d+$/, 'the upload did not lead to the new image');
  const image = page.getByRole('main').locator('figure img');
  assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), 'the uploaded image does not show');
  await page.getByLabel('Alt text').fill(alt);
  await submit(page.getByRole('button', { name: 'Save', exact: true }));
  assert.equal(await image.getAttribute('alt'), alt);
  return new URL(await image.getAttribute('src'), page.url()).pathname;
}

// visualEditor is the body's visual editor once editor.js has built it.
// Until then the Body textbox is the plain textarea, and keys typed into
// it while the script takes over would be lost.
export async function visualEditor(page) {
  const editor = page.locator('#f-body-editor');
  await editor.waitFor();
  return editor;
}

// fillBody writes an article's body as Markdown: the visual editor's
// "Markdown" switch shows the source, which is then filled in. The page
// must have run editor.js (deferred, so done by DOMContentLoaded) first:
// after a click that navigated, the switch may not be there yet, and the
// textarea then hides while it is being filled.
export async function fillBody(page, markdown) {
  await page.waitForLoadState('domcontentloaded');
  const source = page.getByRole('button', { name: 'Markdown', exact: true });
  if (await source.count() && (await source.getAttribute('aria-pressed')) !== 'true') await source.click();
  await page.locator('#f-body').fill(markdown);
}
