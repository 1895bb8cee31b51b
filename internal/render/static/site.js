// The reader site's script: click-to-load embeds, and nothing else.
//
// An embed arrives as a facade (internal/markup/embed.go) that loads
// nothing from its provider. The reader's click on its button, and nothing
// else, replaces the facade with the provider's frame, which the page's
// Content-Security-Policy allows for this article's providers only.
// Without JavaScript the button stays hidden and the caption's link to the
// original still works.
'use strict';

for (const button of document.querySelectorAll('.embed-box .embed-load')) {
  button.hidden = false;
  button.addEventListener('click', () => {
    const box = button.closest('.embed-box');
    const d = box.dataset;
    let src;
    try {
      src = new URL(d.embedSrc);
    } catch {
      return;
    }
    if (src.protocol !== 'https:') return;
    const frame = document.createElement('iframe');
    frame.title = d.embedTitle;
    // The sandbox and permissions are in place before the address is set,
    // so the frame never runs without them.
    if (d.embedSandbox !== undefined) frame.setAttribute('sandbox', d.embedSandbox);
    if (d.embedAllow) frame.setAttribute('allow', d.embedAllow);
    frame.referrerPolicy = 'strict-origin-when-cross-origin';
    frame.src = src.href;
    box.replaceChildren(frame);
    box.classList.add('embed-loaded');
    // Keyboard and screen-reader users land in what they asked for.
    frame.focus();
  });
}

// The breaking-news banner. Pages are rendered with it, and may come from
// a cache; the page's stream says when an editor sets or clears it, and
// it goes at its expiry. A live blog's page hears of it from the blog's
// stream (live.js); every other page opens the site's, while it is seen.
const breaking = document.getElementById('breaking');
if (breaking) {
  let timer = 0;
  const expire = () => {
    clearTimeout(timer);
    const shown = breaking.querySelector('[data-expires]');
    if (!shown) return;
    const left = Date.parse(shown.dataset.expires) - Date.now();
    if (!(left > 0)) {
      breaking.replaceChildren();
      return;
    }
    timer = setTimeout(expire, Math.min(left, 2 ** 31 - 1));
  };
  const show = (html) => {
    const t = document.createElement('template');
    t.innerHTML = html;
    breaking.replaceChildren(t.content); // in the polite live region: announced, focus left alone
    expire();
  };
  expire();
  document.addEventListener('masthead:breaking', (ev) => show(ev.detail.html));

  let source = null;
  let after = new URL(breaking.dataset.stream || '/', location.href).searchParams.get('after') || '0';
  const connect = () => {
    if (source || !breaking.dataset.stream || !window.EventSource) return;
    source = new EventSource(`/live/events?after=${encodeURIComponent(after)}`);
    source.addEventListener('breaking', (ev) => {
      after = ev.lastEventId || after;
      show(JSON.parse(ev.data).html);
    });
  };
  const disconnect = () => {
    source?.close();
    source = null;
  };
  if (!document.querySelector('#live[data-stream]')) connect();
  // A closed live blog's stream ends: this page's own takes over.
  document.addEventListener('masthead:live-ended', (ev) => {
    after = ev.detail.after || after;
    connect();
  });
  // A page out of sight holds no connection; back in sight, it catches up.
  document.addEventListener('visibilitychange', () => {
    if (document.querySelector('#live[data-stream]:not([data-ended])')) return;
    if (document.hidden) disconnect();
    else connect();
  });
}
