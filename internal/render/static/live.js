// A live blog's page: new entries arrive by Server-Sent Events and wait
// behind a "N new updates" button, so nothing moves under the reader;
// edits and deletions of entries on the page apply in place. The browser
// reconnects by itself, with Last-Event-ID, after a lost connection. The
// stream also carries the breaking-news banner, handed to site.js.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !live.dataset.stream || !window.EventSource) return;
  var list = live.querySelector(".live-entries");
  var pinnedList = live.querySelector(".live-pinned");
  var bar = live.querySelector(".live-new");
  var button = live.querySelector(".live-new-button");
  var status = live.querySelector(".live-status");
  var waiting = []; // {id, node, pinned}, oldest first

  function parse(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content.firstElementChild;
  }
  function label(n) {
    return n === 1 ? "1 new update" : n + " new updates";
  }
  function show() {
    var n = waiting.length;
    bar.hidden = n === 0;
    button.textContent = "Show " + label(n);
    status.textContent = n ? label(n) : "";
  }
  function forget(id) {
    waiting = waiting.filter(function (w) { return w.id !== id; });
  }

  button.addEventListener("click", function () {
    waiting.forEach(function (w) {
      if (w.pinned) {
        if (!pinnedList) {
          pinnedList = document.createElement("div");
          pinnedList.className = "live-pinned";
          list.parentNode.insertBefore(pinnedList, list);
        }
        pinnedList.insertBefore(w.node, pinnedList.firstChild);
      } else {
        list.insertBefore(w.node, list.firstChild);
      }
    });
    waiting = [];
    show();
  });

  var source = new EventSource(live.dataset.stream);
  source.addEventListener("entry", function (ev) {
    var p = JSON.parse(ev.data);
    var onPage = document.getElementById("entry-" + p.id);
    if (p.state === "deleted") {
      if (onPage) onPage.remove();
      forget(p.id);
      show();
      return;
    }
    var node = parse(p.html);
    if (onPage) {
      onPage.replaceWith(node); // an edit: in place, no announcement
      return;
    }
    var wasWaiting = waiting.some(function (w) { return w.id === p.id; });
    if (p.state === "updated" && !wasWaiting) return; // an older entry, not on this page
    forget(p.id);
    waiting.push({ id: p.id, node: node, pinned: p.pinned });
    show();
  });
  // The breaking-news banner is site.js's: this stream only carries it.
  source.addEventListener("breaking", function (ev) {
    document.dispatchEvent(new CustomEvent("masthead:breaking", { detail: JSON.parse(ev.data) }));
  });
  source.addEventListener("closed", function (ev) {
    source.close();
    live.dataset.ended = "";
    document.dispatchEvent(new CustomEvent("masthead:live-ended", { detail: { after: ev.lastEventId } }));
  });
})();
