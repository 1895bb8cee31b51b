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
