// Newsroom enhancements; every page works without them.
// - Live Markdown preview: the server renders (and sanitises) the body.
// - Autosave: unsaved editor state is kept on the server every few seconds,
//   so a closed tab loses nothing; the editor offers to restore it.
// The menu folds behind a button on narrow screens (without the script it
// is simply shown in full).
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("newsroom-nav");
  if (!toggle || !nav) return;
  document.documentElement.classList.add("js");
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fold(folded) {
    toggle.setAttribute("aria-expanded", String(!folded));
    if (folded) nav.setAttribute("data-folded", "");
    else nav.removeAttribute("data-folded");
  }
  function fit() {
    toggle.hidden = !narrow.matches;
    fold(narrow.matches);
  }
  toggle.addEventListener("click", function () {
    fold(toggle.getAttribute("aria-expanded") === "true");
  });
  narrow.addEventListener("change", fit);
  fit();
})();

(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var body = document.getElementById("f-body");
  var preview = document.getElementById("preview");
  var status = form.querySelector(".autosave-status");
  var others = document.getElementById("others-editing");
  var count = document.getElementById("word-count");
  var csrf = form.querySelector("input[name=csrf]").value;
  var dirty = false, timer = null;

  function post(url, data) {
    data.set("csrf", csrf);
    // URL-encoded, as the newsroom's forms are (FormData alone would be
    // sent as multipart, which the server does not read for these).
    return fetch(url, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin" });
  }

  function refreshPreview() {
    var data = new FormData();
    data.set("body", body.value);
    post(form.dataset.preview, data).then(function (r) {
      if (!r.ok) return;
      var words = Number(r.headers.get("X-Word-Count"));
      if (count) count.textContent = words ? words + (words === 1 ? " word" : " words") + " · " + r.headers.get("X-Reading-Minutes") + " min read" : "";
      return r.text();
    }).then(function (html) {
      if (html !== undefined) preview.innerHTML = html;
    }).catch(function () {});
  }

  function names(el) {
    return Array.prototype.map.call(el.querySelectorAll("strong"), function (n) { return n.textContent; }).join("\n");
  }

  function autosave() {
    if (!dirty) return;
    dirty = false;
    post(form.dataset.autosave, new FormData(form)).then(function (r) {
      if (status) status.textContent = r.ok ? "Draft kept at " + new Date().toLocaleTimeString() : "Could not keep a copy; save soon.";
      if (r.ok) return r.text();
    }).then(function (html) {
      // Who else is changing the article, as the server now knows; the
      // region is live, so it changes only when who does.
      if (html === undefined || !others) return;
      var next = document.createElement("div");
      next.innerHTML = html;
      if (names(next) !== names(others)) others.innerHTML = html;
    }).catch(function () { if (status) status.textContent = "Offline: save when you can."; });
  }

  form.addEventListener("input", function (e) {
    dirty = true;
    if (e.target === body) {
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, 400);
    }
  });
  // A preview opens in a new tab and saves nothing: what it sent is still unsaved.
  form.addEventListener("submit", function (e) { if (!e.submitter || e.submitter.formTarget !== "_blank") dirty = false; });
  // How much of an SEO title or description search results show.
  Array.prototype.forEach.call(form.querySelectorAll("input[data-shown]"), function (input) {
    var hint = document.getElementById(input.getAttribute("aria-describedby"));
    var shown = Number(input.dataset.shown);
    function update() {
      var n = Array.from(input.value).length;
      hint.textContent = n === 0 ? "Search results show about " + shown + " characters."
        : n + " characters" + (n > shown ? ": search results cut it after about " + shown + "." : " of about " + shown + " search results show.");
    }
    input.addEventListener("input", update);
    update();
  });
  setInterval(autosave, 8000);
  window.addEventListener("beforeunload", autosave);
})();

// Media uploads: drop images on the upload form (or choose them) and each
// is sent on its own with a progress bar; the plain file form works
// without this. The CSRF token goes before the file, where the server
// checks it before reading the image.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("upload-progress");
  var csrf = form.querySelector("input[name=csrf]").value;
  var article = form.querySelector("input[name=article]");
  var maxBytes = (parseInt(form.dataset.maxMb, 10) || 20) * 1048576;
  var busy = false;

  function row(file) {
    var li = document.createElement("li");
    var name = document.createElement("span");
    var bar = document.createElement("progress");
    var msg = document.createElement("span");
    name.textContent = file.name;
    bar.max = 100;
    bar.value = 0;
    msg.className = "upload-msg";
    li.append(name, " ", bar, " ", msg);
    list.appendChild(li);
    return { li: li, bar: bar, msg: msg };
  }

  function failed(r, text) {
    r.li.className = "failed";
    r.msg.textContent = text;
    return null;
  }

  // send uploads one file and resolves to the server's item, or null.
  function send(file) {
    var r = row(file);
    if (file.size > maxBytes) {
      return Promise.resolve(failed(r, "Larger than " + (maxBytes / 1048576) + " MB: export a smaller image."));
    }
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrf", csrf);
      if (article) data.append("article", article.value);
      data.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) r.bar.value = Math.round(e.loaded / e.total * 100);
      });
      xhr.addEventListener("load", function () {
        var res = {};
        try { res = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a proxy's error page */ }
        if (xhr.status === 200 && res.items && res.items.length) {
          r.bar.value = 100;
          r.msg.textContent = res.items[0].existing ? "Already in the library." : "Uploaded.";
          resolve(res.items[0]);
        } else {
          resolve(failed(r, res.error || "The upload failed (" + xhr.status + ")."));
        }
      });
      xhr.addEventListener("error", function () { resolve(failed(r, "The connection failed before the upload finished.")); });
      xhr.send(data);
    });
  }

  function upload(files) {
    if (busy || !files.length) return;
    busy = true;
    list.textContent = "";
    var queue = Array.prototype.slice.call(files), done = [], bad = 0;
    (function next() {
      if (!queue.length) {
        busy = false;
        if (!bad && done.length === 1) { location.href = done[0].url; return; }
        if (!bad && done.length) { location.reload(); return; }
        if (done.length) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = location.href;
          a.textContent = "Show the images that were uploaded";
          li.appendChild(a);
          list.appendChild(li);
        }
        return;
      }
      send(queue.shift()).then(function (item) {
        if (item) done.push(item); else bad++;
        next();
      });
    })();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    upload(input.files);
  });
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    upload(e.dataTransfer.files);
  });
  zone.classList.add("droppable");
})();
