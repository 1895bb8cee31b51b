// Newsroom enhancements; every page works without them.
// - Live Markdown preview: the server renders (and sanitises) the body.
// - Autosave: unsaved editor state is kept on the server every few seconds,
//   so a closed tab loses nothing; the editor offers to restore it.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var body = document.getElementById("f-body");
  var preview = document.getElementById("preview");
  var status = form.querySelector(".autosave-status");
  var csrf = form.querySelector("input[name=csrf]").value;
  var dirty = false, timer = null;

  function post(url, data) {
    data.set("csrf", csrf);
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" });
  }

  function refreshPreview() {
    var data = new FormData();
    data.set("body", body.value);
    post(form.dataset.preview, data).then(function (r) {
      if (r.ok) return r.text();
    }).then(function (html) {
      if (html !== undefined) preview.innerHTML = html;
    }).catch(function () {});
  }

  function autosave() {
    if (!dirty) return;
    dirty = false;
    post(form.dataset.autosave, new FormData(form)).then(function (r) {
      if (status) status.textContent = r.ok ? "Draft kept at " + new Date().toLocaleTimeString() : "Could not keep a copy; save soon.";
    }).catch(function () { if (status) status.textContent = "Offline: save when you can."; });
  }

  form.addEventListener("input", function (e) {
    dirty = true;
    if (e.target === body) {
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, 400);
    }
  });
  form.addEventListener("submit", function () { dirty = false; });
  setInterval(autosave, 8000);
  window.addEventListener("beforeunload", autosave);
})();
