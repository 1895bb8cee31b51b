// The visual editor for an article's body.
//
// The body is stored as Markdown, and the <textarea name="body"> stays the
// form's field: this editor shows the Markdown as formatted text, writes
// every change back into the textarea (so saving, autosave, the preview,
// edit conflicts and the workflow buttons work as before), and the
// Markdown itself is one click away ("Markdown"). Without JavaScript the
// textarea is all there is.
//
// The server splits the body into top-level blocks (internal/markup,
// editor.go); each comes with its exact Markdown (data-md) and the text up
// to the next block (data-sep). A block the writer does not touch is
// written back byte for byte; only changed blocks are written from the page
// (toMarkdown below). Blocks the editor cannot edit in place — images,
// embeds, tables, code, HTML — are "cards" that keep their Markdown and
// offer an edit action.
//
// Block changes (headings, quotes, lists, inserting cards, pasting) are
// made here on the DOM rather than with document.execCommand, whose block
// commands differ between browsers; so undo and redo are ours too: a
// snapshot after every change, typing coalesced into one step per burst.
(function () {
  "use strict";
  var textarea = document.getElementById("f-body");
  var initial = document.getElementById("f-body-visual");
  if (!textarea || !initial || !window.fetch || !window.HTMLDialogElement) return;
  var form = textarea.form;
  var csrf = form.querySelector("input[name=csrf]").value;
  var label = document.getElementById("f-body-label");
  var hint = label && label.querySelector(".hint");
  var mac = /Mac|iPhone|iPad/.test(navigator.platform);
  var mod = mac ? "⌘" : "Ctrl+";

  // ---- Small helpers ----------------------------------------------------

  function h(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (attrs[k] !== false && attrs[k] != null) e.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }

  function post(url, fields) {
    var data = new URLSearchParams();
    data.set("csrf", csrf);
    Object.keys(fields).forEach(function (k) { data.set(k, fields[k]); });
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.text();
    });
  }

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  var BLOCK = /^(P|DIV|H[1-6]|BLOCKQUOTE|UL|OL|PRE|HR|FIGURE|TABLE)$/;
  var HEADING = /^H[1-6]$/;

  // ---- The editor's parts ---------------------------------------------------

  var area = h("div", {
    id: "f-body-editor", class: "ve-area", contenteditable: "true", role: "textbox", "aria-multiline": "true",
    "aria-labelledby": "f-body-label", "aria-describedby": "f-body-help", spellcheck: "true"
  });
  var toolbar = h("div", { class: "ve-toolbar", role: "toolbar", "aria-label": "Formatting", "aria-controls": "f-body-editor" });
  // Each tool's accessible name holds its visible text (a glyph aside):
  // what is seen is what voice control users say.
  var tools = [
    { cmd: "h2", text: "H2", more: "subheading", keys: mod + (mac ? "⌥2" : "Alt+2") },
    { cmd: "h3", text: "H3", more: "minor subheading", keys: mod + (mac ? "⌥3" : "Alt+3") },
    { cmd: "bold", text: "B", name: "Bold", keys: mod + "B" },
    { cmd: "italic", text: "I", name: "Italic", keys: mod + "I" },
    { cmd: "link", text: "Link", keys: mod + "K", dialog: true },
    { cmd: "quote", text: "Quote" },
    { cmd: "pullquote", text: "Pull quote" },
    { cmd: "ul", text: "• List", more: "(bulleted)" },
    { cmd: "ol", text: "1. List", more: "(numbered)" },
    { cmd: "image", text: "Image", action: true, dialog: true },
    { cmd: "embed", text: "Embed", action: true, dialog: true }
  ];
  tools.forEach(function (t) {
    var full = t.name || t.text + (t.more ? " " + t.more : "");
    t.button = h("button", {
      type: "button", class: "ve-tool ve-tool-" + t.cmd, "data-cmd": t.cmd, tabindex: "-1", "aria-label": t.name || null,
      title: full + (t.keys ? " (" + t.keys + ")" : ""), "aria-pressed": t.action ? null : "false",
      "aria-haspopup": t.dialog ? "dialog" : null
    }, [h("span", { "aria-hidden": t.name ? "true" : null, text: t.text })].concat(t.more ? [h("span", { class: "visually-hidden", text: " " + t.more })] : []));
    toolbar.append(t.button);
  });
  // The switch to the Markdown source sits beside the field's label,
  // apart from the formatting.
  var modeButton = h("button", { type: "button", class: "secondary ve-mode", "aria-pressed": "false",
    title: "Edit the Markdown source" }, ["Markdown"]);
  var head = h("div", { class: "ve-head" });
  label.parentNode.insertBefore(head, label);
  head.append(label, modeButton);
  tools[0].button.tabIndex = 0;
  var help = h("p", { id: "f-body-help", class: "hint ve-help" }, [
    "Type ## for a subheading, > for a quote, - or 1. for a list; " + mod + "B bold, " + mod + "I italic, " +
    mod + "K link. Paste from Word or Google Docs keeps the formatting; paste a link on its own line to embed it." +
    (mac ? "" : " Alt+F10 reaches the toolbar.")
  ]);
  var status = h("p", { class: "ve-status", role: "status", "aria-live": "polite" });
  var wrap = h("div", { class: "ve" }, [toolbar, area, status, help]);
  textarea.parentNode.insertBefore(wrap, textarea);

  // ---- Blocks and their Markdown --------------------------------------------

  var entries = [];  // {md, sep, html, tag, orig}: a block as the server gave it
  var loadedCount = 0;
  var baseline = ""; // the textarea's value when the blocks were loaded

  // adopt takes over the blocks of server HTML (in root): their Markdown
  // moves from the attributes into entries, and cards get their buttons.
  // orig numbers the blocks of the body as loaded; inserted blocks have -1.
  function adopt(root, orig) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-md]"), function (el) {
      var e = { md: el.getAttribute("data-md"), sep: el.getAttribute("data-sep"), tag: el.tagName, orig: orig ? entries.length - orig.base : -1 };
      el.removeAttribute("data-md");
      el.removeAttribute("data-sep");
      el.setAttribute("data-b", entries.length);
      if (el.classList.contains("ve-card")) cardButtons(el);
      entries.push(e);
    });
  }

  // remember records each block's HTML once it is in the page: a block
  // whose HTML is unchanged is written back as its Markdown.
  function remember(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-b]"), function (el) {
      var e = entries[+el.getAttribute("data-b")];
      if (e && e.html === undefined) e.html = el.innerHTML;
    });
  }

  function cardButtons(card) {
    var kind = card.getAttribute("data-kind");
    var edit = { figure: "Edit image details", embed: "Change address", raw: "Edit as Markdown" }[kind] || "Edit as Markdown";
    card.append(h("div", { class: "ve-card-actions" }, [
      h("button", { type: "button", class: "secondary", "data-act": "edit" }, [edit]),
      h("button", { type: "button", class: "secondary", "data-act": "remove" }, ["Remove"])
    ]));
  }

  function load(html) {
    area.innerHTML = html;
    var base = entries.length;
    adopt(area, { base: base });
    loadedCount = entries.length - base;
    if (!area.firstElementChild) area.append(h("p", {}, [h("br")]));
    remember(area);
    baseline = textarea.value;
    history = [];
    hIndex = -1;
    snapshot(false);
  }

  // sourceOf is what a block list from the server adds up to.
  function sourceOf(root) {
    var s = "";
    Array.prototype.forEach.call(root.children, function (el) {
      s += (el.getAttribute("data-md") || "") + (el.getAttribute("data-sep") || "");
    });
    return s;
  }

  // ---- From the page to Markdown ---------------------------------------------

  // toMarkdown writes the body: each untouched block as it was, each
  // changed one from the page.
  function toMarkdown() {
    var parts = [], seen = {};
    var run = [];
    function flushRun() {
      if (!run.length) return;
      var p = h("p");
      run.forEach(function (n) { p.append(n.cloneNode(true)); });
      add(blockMarkdown(p), null);
      run = [];
    }
    function add(md, e) {
      if (md === null || md === undefined) return;
      parts.push({ md: md, e: e, list: listMarker(md) });
    }
    Array.prototype.forEach.call(area.childNodes, function (n) {
      if (n.nodeType === 3 || (n.nodeType === 1 && !BLOCK.test(n.tagName))) {
        if (n.nodeType !== 1 || n.tagName !== "BR") run.push(n);
        return;
      }
      flushRun();
      if (n.nodeType !== 1) return;
      // A block the browser split in two has two copies of data-b: the
      // one still as it was keeps the Markdown.
      var b = n.getAttribute("data-b"), e = b !== null && !seen[b] ? entries[+b] : null;
      if (n.classList.contains("ve-card")) {
        if (e) add(e.md, e);
        seen[b] = true;
        return;
      }
      if (e && e.tag === n.tagName && e.html === n.innerHTML) {
        seen[b] = true;
        add(e.md, e);
        return;
      }
      add(blockMarkdown(n), null);
    });
    flushRun();
    parts = parts.filter(function (p) { return p.e || p.md.trim() !== ""; });
    // Two lists of the same kind one after the other would run together:
    // a changed one takes the other marker.
    parts.forEach(function (p, i) {
      if (p.e || !p.list) return;
      var prev = parts[i - 1], next = parts[i + 1];
      if ((prev && prev.list === p.list) || (next && next.list === p.list)) {
        p.md = otherMarker(p.md, p.list);
        p.list = listMarker(p.md);
      }
    });
    var out = "";
    parts.forEach(function (p, i) {
      out += p.md;
      var sep = p.e ? p.e.sep : "";
      var next = parts[i + 1];
      if (!next) {
        out += p.e && p.e.orig === loadedCount - 1 ? sep : "\n";
      } else if (p.e && next.e && p.e.orig >= 0 && next.e.orig === p.e.orig + 1) {
        out += sep; // neighbours as they were
      } else {
        out += /\n[ \t]*\n/.test(sep) ? sep : "\n\n";
      }
    });
    return out;
  }

  function listMarker(md) {
    var m = /^ {0,3}([-+*]|\d{1,9}[.)])(?:[ \t]|$)/.exec(md);
    if (!m) return null;
    return /\d/.test(m[1]) ? m[1].slice(-1) : m[1];
  }

  // otherMarker redraws a list written by listMarkdown with the other
  // marker ("*" for "-", ")" for "."); only its own markers start a line
  // without indentation.
  function otherMarker(md, marker) {
    return md.split("\n").map(function (l) {
      if (marker === "-" || marker === "*" || marker === "+") {
        return /^[-+*](?= |$)/.test(l) ? (marker === "-" ? "*" : "-") + l.slice(1) : l;
      }
      return l.replace(/^(\d{1,9})[.)](?= |$)/, function (m, d) { return d + (marker === "." ? ")" : "."); });
    }).join("\n");
  }

  function blockMarkdown(el) {
    var tag = el.tagName;
    if (HEADING.test(tag)) {
      var text = inlineMarkdown(el, true).replace(/#+$/, function (m) { return "\\" + m; });
      return text ? "#".repeat(+tag[1]) + " " + text : "";
    }
    if (tag === "BLOCKQUOTE") {
      var body = childBlocks(el).map(blockMarkdown).filter(function (s) { return s.trim() !== ""; }).join("\n\n");
      return body ? body.split("\n").map(function (l) { return l ? "> " + l : ">"; }).join("\n") : "";
    }
    if (tag === "UL" || tag === "OL") return listMarkdown(el);
    if (tag === "PRE") {
      var code = el.textContent.replace(/\n$/, "");
      var fence = "```";
      while (code.indexOf(fence) >= 0) fence += "`";
      return fence + "\n" + code + "\n" + fence;
    }
    if (tag === "HR") return "---";
    return inlineMarkdown(el, false);
  }

  // childBlocks is a container's content as blocks: its block children, and
  // runs of text and inline elements between them as paragraphs.
  function childBlocks(el) {
    var out = [], p = null;
    Array.prototype.forEach.call(el.childNodes, function (n) {
      if (n.nodeType === 1 && BLOCK.test(n.tagName)) {
        p = null;
        out.push(n);
        return;
      }
      if (!p) { p = h("p"); out.push(p); }
      p.append(n.cloneNode(true));
    });
    return out;
  }

  function listMarkdown(list) {
    var ordered = list.tagName === "OL";
    var marker = list.getAttribute("data-marker") || (ordered ? "." : "-");
    if (ordered && marker !== ")") marker = ".";
    if (!ordered && "-*+".indexOf(marker) < 0) marker = "-";
    var n = ordered ? parseInt(list.getAttribute("start") || "1", 10) : 0;
    if (isNaN(n) || n < 0) n = 1;
    var loose = list.hasAttribute("data-loose");
    var items = [];
    Array.prototype.forEach.call(list.childNodes, function (li) {
      if (li.nodeType === 3 && !li.data.trim()) return;
      var mark = ordered ? (n++) + marker : marker;
      var pad = " ".repeat(mark.length + 1);
      var text = h("div"), nested = [];
      if (li.nodeType === 1 && li.tagName === "LI") {
        Array.prototype.forEach.call(li.childNodes, function (c) {
          if (c.nodeType === 1 && (c.tagName === "UL" || c.tagName === "OL")) nested.push(c);
          else text.append(c.cloneNode(true));
        });
      } else {
        text.append(li.cloneNode(true));
      }
      var blocks = childBlocks(text).map(blockMarkdown).filter(function (s) { return s !== ""; });
      var body = blocks.join("\n\n");
      nested.forEach(function (l) {
        var s = listMarkdown(l);
        // Only a list from 1 may follow a line of text directly.
        if (s) body += (!body ? "" : l.tagName === "OL" && !/^1[.)]/.test(s) ? "\n\n" : "\n") + s;
      });
      var lines = body.split("\n");
      var first = lines.shift();
      items.push(mark + (first ? " " + first : "") + lines.map(function (l) { return l ? "\n" + pad + l : "\n"; }).join(""));
    });
    return items.join(loose ? "\n\n" : "\n");
  }

  // inlineMarkdown writes a block's text with its emphasis, links, code
  // and line breaks. oneLine (headings) turns breaks into spaces.
  function inlineMarkdown(el, oneLine) {
    var runs = [];
    flatten(el, { strong: false, em: false, s: false, code: false, link: null }, runs);
    while (runs.length && runs[runs.length - 1].br) runs.pop(); // a browser's placeholder <br>
    while (runs.length && runs[0].br) runs.shift();
    if (oneLine) {
      runs = runs.map(function (r) { return r.br ? { text: " ", marks: {} } : { text: r.text.replace(/\n/g, " "), marks: r.marks }; });
    }
    return writeRuns(hoistSpaces(runs)).replace(/[ \t]+$/, "").replace(/^\s+/, "");
  }

  function flatten(node, marks, runs) {
    Array.prototype.forEach.call(node.childNodes, function (n) {
      if (n.nodeType === 3) {
        var t = n.data.replace(/\u200b/g, "");
        if (t) runs.push({ text: t, marks: marks });
        return;
      }
      if (n.nodeType !== 1 || n.classList.contains("ve-card-actions")) return;
      var m = Object.assign({}, marks);
      switch (n.tagName) {
        case "BR": runs.push({ br: true }); return;
        case "B": case "STRONG": m.strong = true; break;
        case "I": case "EM": m.em = true; break;
        case "S": case "DEL": case "STRIKE": m.s = true; break;
        case "CODE": m.code = true; break;
        case "A": if (n.getAttribute("href")) m.link = n; break;
        case "IMG": return; // an image belongs in a figure of its own
        default:
          if (BLOCK.test(n.tagName)) { // a block inside text: on a line of its own
            runs.push({ br: true });
            flatten(n, m, runs);
            runs.push({ br: true });
            return;
          }
      }
      flatten(n, m, runs);
    });
  }

  // hoistSpaces moves whitespace at the edge of formatted text outside
  // it: "**bold **" would not be bold in Markdown.
  function hoistSpaces(runs) {
    var out = [];
    runs.forEach(function (r, i) {
      if (r.br || r.marks.code) { out.push(r); return; }
      var m = /^(\s*)([\s\S]*?)(\s*)$/.exec(r.text);
      var prev = runs[i - 1], next = runs[i + 1];
      if (m[1]) out.push({ text: m[1], marks: common(r.marks, prev && !prev.br ? prev.marks : {}) });
      if (m[2]) out.push({ text: m[2], marks: r.marks });
      if (m[3]) out.push({ text: m[3], marks: common(r.marks, next && !next.br ? next.marks : {}) });
    });
    return out;
  }

  function common(a, b) {
    return { strong: a.strong && b.strong, em: a.em && b.em, s: a.s && b.s, code: false, link: a.link === b.link ? a.link : null };
  }

  var ORDER = ["link", "strong", "em", "s"];

  function writeRuns(runs) {
    var out = "", open = []; // open marks, outermost first: {kind, link, html}
    var i;
    function lastChar() { return out ? out[out.length - 1] : "\n"; }
    function want(marks, kind) { return kind === "link" ? marks.link : marks[kind]; }
    function close(k) {
      while (open.length > k) {
        var o = open.pop();
        if (o.kind === "link") {
          out += "](" + destination(o.link.getAttribute("href")) + title(o.link.getAttribute("title")) + ")";
        } else if (o.html) {
          out += "</" + o.html + ">";
        } else {
          out += o.delim;
        }
      }
    }
    for (i = 0; i < runs.length; i++) {
      var r = runs[i];
      if (r.br) {
        close(0);
        out = out.replace(/[ \t]+$/, "") + "\\\n";
        continue;
      }
      var marks = r.marks;
      // Close from the first open mark this run does not have.
      var k = 0;
      while (k < open.length && (open[k].kind === "link" ? open[k].link === marks.link : marks[open[k].kind])) k++;
      close(k);
      if (marks.link && autolinkText(marks.link, runs, i)) {
        out += "<" + marks.link.getAttribute("href") + ">";
        while (i + 1 < runs.length && !runs[i + 1].br && runs[i + 1].marks.link === marks.link) i++;
        continue;
      }
      ORDER.forEach(function (kind) {
        if (!want(marks, kind) || open.some(function (o) { return o.kind === kind; })) return;
        if (kind === "link") {
          if (/!$/.test(out) && !/\\!$/.test(out)) out = out.slice(0, -1) + "\\!"; // not an image
          out += "[";
          open.push({ kind: kind, link: marks.link });
          return;
        }
        var delim = { strong: "**", em: "*", s: "~~" }[kind];
        // Markdown's * opens only where the text allows; elsewhere the
        // HTML tag says the same.
        var end = runEnd(runs, i, kind);
        var ok = canOpen(lastChar(), firstChar(runs[i])) && canClose(lastCharOf(runs, end), nextCharAfter(runs, end));
        open.push({ kind: kind, delim: delim, html: ok ? null : { strong: "strong", em: "em", s: "del" }[kind] });
        out += ok ? delim : "<" + open[open.length - 1].html + ">";
      });
      var t = r.marks.code ? codeSpan(r.text) : escapeText(r.text, out);
      if (t[0] === "\n") out = out.replace(/[ \t]+$/, ""); // trailing spaces would make a line break
      out += t;
    }
    close(0);
    return out;
  }

  // autolinkText: a link whose text is its address is written <address>.
  function autolinkText(link, runs, i) {
    var text = "";
    for (var j = i; j < runs.length && !runs[j].br && runs[j].marks.link === link; j++) text += runs[j].text;
    var href = link.getAttribute("href");
    return text === href && /^(https?:|mailto:)[^\s<>]+$/i.test(href);
  }

  function runEnd(runs, i, kind) {
    var j = i;
    while (j + 1 < runs.length && !runs[j + 1].br && runs[j + 1].marks[kind] && runs[j + 1].marks.link === runs[i].marks.link) j++;
    return j;
  }
  function firstChar(r) { return r.text ? r.text[0] : " "; }
  function lastCharOf(runs, j) { var t = runs[j].text; return t ? t[t.length - 1] : " "; }
  function nextCharAfter(runs, j) { var r = runs[j + 1]; return !r || r.br || !r.text ? " " : r.text[0]; }
  function isSpace(c) { return /\s/.test(c); }
  function isPunct(c) { return /[!-\/:-@\[-`{-~\u2000-\u206f\u2e00-\u2e7f\u3000-\u303f]/.test(c); }
  function canOpen(prev, first) { return !isSpace(first) && (!isPunct(first) || isSpace(prev) || isPunct(prev)); }
  function canClose(last, next) { return !isSpace(last) && (!isPunct(last) || isSpace(next) || isPunct(next)); }

  // escapeText escapes what Markdown would read as syntax in text. At the
  // start of a line, markers of blocks (#, >, -, +, 1.) are escaped too;
  // leading and trailing spaces of a line, which Markdown would read as
  // code or a line break, are dropped.
  function escapeText(t, before) {
    var s = "";
    var lineStart = before === "" || /\n$/.test(before);
    for (var i = 0; i < t.length; i++) {
      var c = t[i];
      if (c === "\n") {
        s = s.replace(/[ \t]+$/, "") + "\n";
        lineStart = true;
        continue;
      }
      if (lineStart) {
        if (c === " " || c === "\t") continue;
        var rest = t.slice(i).split("\n")[0];
        var m;
        // (> and * are escaped wherever they are, below.)
        if (/^(#|[-+](\s|$)|=+\s*$|-+\s*$)/.test(rest)) s += "\\";
        else if ((m = /^(\d{1,9})([.)])(\s|$)/.exec(rest))) { s += m[1] + "\\" + m[2]; i += m[0].length - m[3].length - 1; lineStart = false; continue; }
        lineStart = false;
      }
      var next = t[i + 1] || "", prev = i > 0 ? t[i - 1] : (before ? before[before.length - 1] : "");
      if ("\\*`[]<>~|".indexOf(c) >= 0) s += "\\";
      else if (c === "_" && !(/[\p{L}\p{N}]/u.test(prev) && /[\p{L}\p{N}]/u.test(next))) s += "\\";
      else if (c === "&" && /^&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/.test(t.slice(i))) s += "\\";
      s += c;
    }
    return s;
  }

  function codeSpan(t) {
    t = t.replace(/\n/g, " ");
    var fence = "`";
    while (t.indexOf(fence) >= 0) fence += "`";
    if (/^`|`$/.test(t) || (/^ .*[^ ].* $/.test(t))) t = " " + t + " ";
    return fence + t + fence;
  }

  function destination(u) {
    return u.trim().replace(/[ <>()\\]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); });
  }

  function title(t) {
    return t ? ' "' + t.replace(/["\\]/g, "\\$&") + '"' : "";
  }

  // ---- Keeping the textarea in step -------------------------------------------

  function sync() {
    var md = hIndex === 0 ? baseline : toMarkdown();
    if (md !== textarea.value) {
      textarea.value = md;
      // admin.js autosaves and refreshes the preview on this event.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // ---- Undo and redo ----------------------------------------------------------

  var history = [], hIndex = -1, lastTyping = 0;

  function path(node) {
    var p = [];
    while (node && node !== area) {
      p.unshift(Array.prototype.indexOf.call(node.parentNode.childNodes, node));
      node = node.parentNode;
    }
    return node === area ? p : null;
  }
  function nodeAt(p) {
    var n = area;
    for (var i = 0; i < p.length && n; i++) n = n.childNodes[p[i]];
    return n;
  }
  function saveSelection() {
    var s = getSelection();
    if (!s.rangeCount || !area.contains(s.anchorNode)) return null;
    var r = s.getRangeAt(0);
    return { start: path(r.startContainer), so: r.startOffset, end: path(r.endContainer), eo: r.endOffset };
  }
  function restoreSelection(sel) {
    if (!sel) return;
    var a = nodeAt(sel.start), b = nodeAt(sel.end);
    if (!a || !b) return;
    try {
      var r = document.createRange();
      r.setStart(a, Math.min(sel.so, a.nodeType === 3 ? a.length : a.childNodes.length));
      r.setEnd(b, Math.min(sel.eo, b.nodeType === 3 ? b.length : b.childNodes.length));
      var s = getSelection();
      s.removeAllRanges();
      s.addRange(r);
    } catch (e) { /* the saved place no longer exists */ }
  }

  // snapshot records the editor after a change (typing coalesces into the
  // last step while it goes on) and writes the Markdown to the textarea.
  function snapshot(typing) {
    tidy();
    var now = Date.now();
    var state = { html: area.innerHTML, sel: saveSelection() };
    if (hIndex >= 0 && state.html === history[hIndex].html) {
      history[hIndex].sel = state.sel;
      return;
    }
    history.length = hIndex + 1;
    if (typing && hIndex > 0 && history[hIndex].typing && now - lastTyping < 1500) {
      history[hIndex] = state;
    } else {
      history.push(state);
      if (history.length > 300) history.splice(1, 1);
      hIndex = history.length - 1;
    }
    state.typing = typing;
    lastTyping = typing ? now : 0;
    sync();
  }

  function travel(step) {
    var to = hIndex + step;
    if (to < 0 || to >= history.length) return;
    hIndex = to;
    area.innerHTML = history[to].html;
    restoreSelection(history[to].sel);
    lastTyping = 0;
    sync();
    updateTools();
  }

  // tidy keeps the editor's top level made of blocks: the browser's
  // editing can leave text, a <div> or style attributes there.
  function tidy() {
    var sel = getSelection(), anchor = sel.anchorNode, off = sel.anchorOffset;
    var moved = false, p = null;
    Array.prototype.slice.call(area.childNodes).forEach(function (n) {
      if (n.nodeType === 1 && n.tagName === "DIV" && !n.classList.contains("ve-card")) {
        var q = h("p");
        while (n.firstChild) q.append(n.firstChild);
        n.replaceWith(q);
        moved = true;
        p = null;
        return;
      }
      if (n.nodeType === 3 && !n.data.trim() && !p) { n.remove(); return; }
      if (n.nodeType === 3 || (n.nodeType === 1 && !BLOCK.test(n.tagName))) {
        if (!p) { p = h("p"); area.insertBefore(p, n); }
        p.append(n);
        moved = true;
        return;
      }
      p = null;
    });
    Array.prototype.forEach.call(area.querySelectorAll("[style]"), function (e) { e.removeAttribute("style"); });
    if (!area.firstChild) { area.append(h("p", {}, [h("br")])); moved = true; }
    var last = area.lastElementChild;
    if (last && last.classList.contains("ve-card")) area.append(h("p", {}, [h("br")])); // room to type after a card
    if (moved && anchor && area.contains(anchor)) {
      try { sel.collapse(anchor, off); } catch (e) { /* gone */ }
    }
  }

  // ---- Where the caret is ---------------------------------------------------------

  function range() {
    var s = getSelection();
    return s.rangeCount && area.contains(s.getRangeAt(0).commonAncestorContainer) ? s.getRangeAt(0) : null;
  }
  // topBlock is the editor's child holding node.
  function topBlock(node) {
    while (node && node.parentNode !== area) node = node.parentNode;
    return node && node.nodeType === 1 ? node : null;
  }
  // selectedBlocks are the top-level blocks the selection touches.
  function selectedBlocks() {
    var r = range();
    if (!r) return [];
    var a = topBlock(r.startContainer === area ? area.childNodes[r.startOffset] || area.lastChild : r.startContainer);
    var b = topBlock(r.endContainer === area ? area.childNodes[Math.max(r.endOffset - 1, 0)] : r.endContainer);
    if (!a) return [];
    var out = [a];
    while (b && a !== b && a.nextElementSibling) { a = a.nextElementSibling; out.push(a); }
    return out;
  }
  function closest(tag) {
    var r = range();
    if (!r) return null;
    var n = r.startContainer;
    while (n && n !== area) {
      if (n.nodeType === 1 && tag.test(n.tagName)) return n;
      n = n.parentNode;
    }
    return null;
  }
  function caretInto(node, atEnd) {
    var r = document.createRange();
    r.selectNodeContents(node);
    r.collapse(!atEnd);
    var s = getSelection();
    s.removeAllRanges();
    s.addRange(r);
  }

  // ---- Block formats ------------------------------------------------------------------

  // paragraphsOf turns blocks into plain paragraphs (a quote's paragraphs,
  // a list's items), keeping their text and inline formatting.
  function paragraphsOf(block) {
    if (/^(P|H[1-6])$/.test(block.tagName)) return [retag(block, "P")];
    if (block.tagName === "BLOCKQUOTE") {
      return childBlocks(block).reduce(function (acc, b) { return acc.concat(paragraphsOf(b)); }, []);
    }
    if (block.tagName === "UL" || block.tagName === "OL") {
      var out = [];
      Array.prototype.forEach.call(block.children, function (li) {
        var p = h("p");
        Array.prototype.forEach.call(li.childNodes, function (c) {
          if (c.nodeType === 1 && (c.tagName === "UL" || c.tagName === "OL")) {
            out.push(p);
            out.push.apply(out, paragraphsOf(c));
            p = h("p");
          } else {
            p.append(c.cloneNode(true));
          }
        });
        out.push(p);
      });
      return out.filter(function (p, i, all) { return p.childNodes.length || all.length === 1; });
    }
    return [block];
  }

  function retag(el, tag) {
    var n = h(tag);
    Array.prototype.forEach.call(el.childNodes, function (c) { n.append(c.cloneNode(true)); });
    if (!n.firstChild) n.append(h("br"));
    return n;
  }

  // replaceBlocks puts blocks in the place of old ones. The caret goes
  // into caretIn; else, when one block takes the place of one, the
  // selection stays on the same text; else to the end.
  function replaceBlocks(old, blocks, caretIn) {
    var r = range(), from = -1, to = -1;
    if (r && !caretIn && old.length === 1 && blocks.length === 1 && old[0].contains(r.startContainer) && old[0].contains(r.endContainer)) {
      from = textOffset(old[0], r.startContainer, r.startOffset);
      to = textOffset(old[0], r.endContainer, r.endOffset);
    }
    blocks.forEach(function (b) { area.insertBefore(b, old[0]); });
    old.forEach(function (b) { b.remove(); });
    var a = from >= 0 && pointAt(blocks[0], from), b = to >= 0 && pointAt(blocks[0], to);
    if (a && b) {
      var sel = document.createRange();
      sel.setStart(a[0], a[1]);
      sel.setEnd(b[0], b[1]);
      getSelection().removeAllRanges();
      getSelection().addRange(sel);
      return;
    }
    caretInto(innermost(caretIn || blocks[blocks.length - 1]), true);
  }

  // innermost is where text goes at the end of a block: a list's last
  // item (its own nested list's, if it ends in one), a quote's last
  // paragraph.
  function innermost(el) {
    while (el.lastElementChild && (/^(UL|OL|BLOCKQUOTE)$/.test(el.tagName) ||
      (el.tagName === "LI" && /^(UL|OL)$/.test(el.lastElementChild.tagName)))) el = el.lastElementChild;
    return el;
  }

  // textOffset is how many characters of el's text come before a point.
  function textOffset(el, node, offset) {
    var r = document.createRange();
    r.setStart(el, 0);
    r.setEnd(node, offset);
    return r.toString().length;
  }

  // pointAt is the point after the first n characters of el's text.
  function pointAt(el, n) {
    var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), t;
    while ((t = walk.nextNode())) {
      if (n <= t.length) return [t, n];
      n -= t.length;
    }
    return null;
  }

  function editable(blocks) {
    return blocks.filter(function (b) { return !b.classList.contains("ve-card"); });
  }

  function setHeading(tag) {
    var blocks = editable(selectedBlocks());
    if (!blocks.length) return;
    var off = blocks.every(function (b) { return b.tagName === tag; });
    var out = [];
    blocks.forEach(function (b) { paragraphsOf(b).forEach(function (p) { out.push(off ? p : retag(p, tag)); }); });
    replaceBlocks(blocks, out);
  }

  function toggleQuote(pull) {
    var q = closest(/^BLOCKQUOTE$/);
    if (q && q.parentNode === area) {
      var wasPull = q.classList.contains("pullquote");
      var paras = paragraphsOf(q);
      if (pull && !wasPull) { // a quote becomes a pull quote
        q.classList.add("pullquote");
        var attr = h("p", { class: "attribution" }, ["— "]);
        q.append(attr);
        caretInto(attr, true);
        return;
      }
      replaceBlocks([q], paras);
      return;
    }
    var blocks = editable(selectedBlocks());
    if (!blocks.length) return;
    var quote = h("blockquote", pull ? { class: "pullquote" } : {});
    blocks.forEach(function (b) { paragraphsOf(b).forEach(function (p) { quote.append(p); }); });
    var caret = null;
    if (pull) {
      caret = h("p", { class: "attribution" }, ["— "]);
      quote.append(caret);
    }
    replaceBlocks(blocks, [quote], caret);
  }

  function toggleList(tag) {
    var list = closest(/^(UL|OL)$/);
    if (list) {
      var top = topBlock(list);
      if (list.tagName === tag) { // unlist
        replaceBlocks([top], paragraphsOf(top));
      } else {
        var r = range(), a = [r.startContainer, r.startOffset], b = [r.endContainer, r.endOffset];
        var n = h(tag);
        while (list.firstChild) n.append(list.firstChild);
        list.replaceWith(n);
        var again = document.createRange(); // moving the items lost the selection in them
        again.setStart(a[0], a[1]);
        again.setEnd(b[0], b[1]);
        getSelection().removeAllRanges();
        getSelection().addRange(again);
      }
      return;
    }
    var blocks = editable(selectedBlocks());
    if (!blocks.length) return;
    var l = h(tag);
    blocks.forEach(function (b) {
      paragraphsOf(b).forEach(function (p) {
        var li = h("li");
        while (p.firstChild) li.append(p.firstChild);
        l.append(li);
      });
    });
    replaceBlocks(blocks, [l]);
  }

  // ---- Inline formats --------------------------------------------------------------------

  function inline(cmd) {
    document.execCommand("styleWithCSS", false, false);
    document.execCommand(cmd, false, null);
  }

  // ---- Commands ----------------------------------------------------------------------------

  function run(cmd) {
    if (mode === "markdown") return;
    if (!range()) caretInto(innermost(area.lastElementChild || area), true);
    switch (cmd) {
      case "h2": case "h3": setHeading(cmd.toUpperCase()); break;
      case "bold": case "italic": inline(cmd); break;
      case "quote": toggleQuote(false); break;
      case "pullquote": toggleQuote(true); break;
      case "ul": toggleList("UL"); break;
      case "ol": toggleList("OL"); break;
      case "link": linkDialog(); return;
      case "image": imageDialog(); return;
      case "embed": embedDialog(); return;
    }
    area.focus();
    snapshot(false);
    updateTools();
  }

  toolbar.addEventListener("mousedown", function (e) {
    if (e.target.closest("button")) e.preventDefault(); // keep the selection in the text
  });
  toolbar.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (b) run(b.getAttribute("data-cmd"));
  });
  modeButton.addEventListener("click", function () { setMode(mode === "visual" ? "markdown" : "visual"); });

  // A toolbar is one tab stop; arrow keys move along it.
  toolbar.addEventListener("keydown", function (e) {
    var all = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var i = all.indexOf(document.activeElement), to = -1;
    if (e.key === "ArrowRight") to = (i + 1) % all.length;
    else if (e.key === "ArrowLeft") to = (i - 1 + all.length) % all.length;
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = all.length - 1;
    else if (e.key === "Escape") { area.focus(); return; }
    if (to < 0) return;
    e.preventDefault();
    all.forEach(function (b) { b.tabIndex = -1; });
    all[to].tabIndex = 0;
    all[to].focus();
  });

  function updateTools() {
    var r = range();
    var state = {};
    if (r) {
      state.h2 = !!closest(/^H2$/);
      state.h3 = !!closest(/^H3$/);
      state.bold = document.queryCommandState("bold");
      state.italic = document.queryCommandState("italic");
      state.link = !!closest(/^A$/);
      var q = closest(/^BLOCKQUOTE$/);
      state.quote = !!q && !q.classList.contains("pullquote");
      state.pullquote = !!q && q.classList.contains("pullquote");
      state.ul = !!closest(/^UL$/);
      state.ol = !!closest(/^OL$/);
    }
    tools.forEach(function (t) {
      if (!t.action) t.button.setAttribute("aria-pressed", state[t.cmd] ? "true" : "false");
    });
  }
  document.addEventListener("selectionchange", function () {
    if (mode === "visual" && document.activeElement === area) updateTools();
  });

  // ---- Typing ---------------------------------------------------------------------------------

  area.addEventListener("keydown", function (e) {
    var k = e.key.toLowerCase();
    var accel = mac ? e.metaKey : e.ctrlKey;
    if (accel && !e.altKey && k === "b") { e.preventDefault(); run("bold"); return; }
    if (accel && !e.altKey && k === "i") { e.preventDefault(); run("italic"); return; }
    if (accel && !e.altKey && k === "k") { e.preventDefault(); run("link"); return; }
    if (accel && e.altKey && (e.code === "Digit2" || e.code === "Digit3")) { e.preventDefault(); run("h" + e.code.slice(-1)); return; }
    if (accel && !e.altKey && k === "z") { e.preventDefault(); travel(e.shiftKey ? 1 : -1); return; }
    if (accel && !e.altKey && k === "y") { e.preventDefault(); travel(1); return; }
    if (e.altKey && e.key === "F10") { e.preventDefault(); (toolbar.querySelector("[tabindex='0']") || tools[0].button).focus(); return; }
    if (e.key === "Enter" && !e.shiftKey && enter()) { e.preventDefault(); snapshot(false); }
  });

  area.addEventListener("beforeinput", function (e) {
    if (e.inputType === "historyUndo" || e.inputType === "historyRedo") {
      e.preventDefault();
      travel(e.inputType === "historyUndo" ? -1 : 1);
    }
  });

  // enter handles Enter where the browser's own would be wrong: an empty
  // list item or last quote paragraph leaves the list or quote, and a
  // heading is followed by a paragraph.
  function enter() {
    var r = range();
    if (!r || !r.collapsed) return false;
    var li = closest(/^LI$/), top = topBlock(r.startContainer);
    var empty = function (el) { return !el.textContent.replace(/\u200b/g, "").trim() && !el.querySelector("img"); };
    if (li && empty(li) && top && !li.querySelector("ul,ol")) {
      var list = li.parentNode;
      var after = h("ul"); // the items after this one
      while (li.nextSibling) after.append(li.nextSibling);
      li.remove();
      var p = h("p", {}, [h("br")]);
      if (list !== top) { // a nested item: up one level
        var parentLi = list.parentNode;
        var newLi = h("li", {}, [h("br")]);
        parentLi.parentNode.insertBefore(newLi, parentLi.nextSibling);
        if (after.firstChild) { var rest = h(list.tagName); while (after.firstChild) rest.append(after.firstChild); newLi.append(rest); }
        if (!list.children.length) list.remove();
        caretInto(newLi, false);
        return true;
      }
      area.insertBefore(p, top.nextSibling);
      if (after.firstChild) {
        var tail = h(top.tagName);
        Array.prototype.forEach.call(top.attributes, function (a) { if (a.name !== "data-b") tail.setAttribute(a.name, a.value); });
        while (after.firstChild) tail.append(after.firstChild);
        area.insertBefore(tail, p.nextSibling);
      }
      if (!top.children.length) top.remove();
      caretInto(p, false);
      return true;
    }
    var para = closest(/^P$/);
    if (top && top.tagName === "BLOCKQUOTE" && para && para.parentNode === top && empty(para) && para === top.lastElementChild) {
      para.remove();
      var out = h("p", {}, [h("br")]);
      area.insertBefore(out, top.nextSibling);
      if (!top.textContent.trim()) top.remove();
      caretInto(out, false);
      return true;
    }
    var heading = closest(/^H[1-6]$/);
    if (heading && heading.parentNode === area) {
      var tailRange = document.createRange();
      tailRange.setStart(r.startContainer, r.startOffset);
      tailRange.setEndAfter(heading.lastChild || heading);
      var rest2 = tailRange.extractContents();
      var next = h("p");
      next.append(rest2);
      if (!next.textContent) next.innerHTML = "<br>";
      if (!heading.textContent) heading.innerHTML = "<br>";
      area.insertBefore(next, heading.nextSibling);
      caretInto(next, false);
      return true;
    }
    return false;
  }

  area.addEventListener("input", function (e) {
    if (e.isComposing) return; // an input method is at work: leave its text alone until it ends
    if (e.inputType === "insertText" && (e.data === " " || e.data === "*")) shortcut(e.data);
    snapshot(/^(insertText|deleteContent|insertCompositionText)/.test(e.inputType || ""));
    updateTools();
  });

  area.addEventListener("compositionend", function () { snapshot(true); });

  // shortcut turns Markdown typed at the start of a paragraph into its
  // format (## subheading, > quote, - list, 1. numbered list), and
  // **bold** or *italic* into bold or italic once closed.
  function shortcut(ch) {
    var r = range();
    if (!r || !r.collapsed || r.startContainer.nodeType !== 3) return;
    var text = r.startContainer, upto = text.data.slice(0, r.startOffset);
    if (closest(/^(CODE|PRE)$/)) return;
    if (ch === " ") {
      var block = topBlock(text);
      if (!block || block.tagName !== "P" || block.firstChild !== text) return;
      var m = /^(#{1,3}|>|[-*]|\d{1,9}[.)])\s$/.exec(upto.replace(/\u00a0/g, " "));
      if (!m) return;
      text.deleteData(0, upto.length);
      if (!block.textContent) block.innerHTML = "<br>";
      caretInto(block, false);
      var mark = m[1];
      if (mark[0] === "#") setHeading(mark === "###" ? "H3" : "H2");
      else if (mark === ">") toggleQuote(false);
      else if (/\d/.test(mark)) {
        toggleList("OL");
        var ol = closest(/^OL$/), start = parseInt(mark, 10);
        if (ol && start !== 1) ol.setAttribute("start", start);
        if (ol && mark.slice(-1) === ")") ol.setAttribute("data-marker", ")");
      } else toggleList("UL");
      return;
    }
    var b = /\*\*([^*\s](?:[^*]*[^*\s])?)\*\*$/.exec(upto);
    var it = !b && /(^|[^*\\])\*([^*\s](?:[^*]*[^*\s])?)\*$/.exec(upto);
    if (!b && !it) return;
    var inner = b ? b[1] : it[2];
    var start2 = b ? b.index : it.index + it[1].length;
    var sel = document.createRange();
    sel.setStart(text, start2);
    sel.setEnd(text, r.startOffset);
    var s = getSelection();
    s.removeAllRanges();
    s.addRange(sel);
    document.execCommand("insertText", false, inner);
    sel = getSelection().getRangeAt(0);
    var done = document.createRange();
    done.setStart(sel.endContainer, sel.endOffset - inner.length);
    done.setEnd(sel.endContainer, sel.endOffset);
    s.removeAllRanges();
    s.addRange(done);
    inline(b ? "bold" : "italic");
    s.collapseToEnd();
    inline(b ? "bold" : "italic"); // what is typed next is plain again
  }

  // ---- Paste and drop --------------------------------------------------------------------------

  // Copying or cutting in the editor also puts the selection's Markdown on
  // the clipboard, so that moving an image or a table by cut and paste
  // keeps it whole.
  var ownType = "application/x-masthead-markdown";
  function copy(e, cut) {
    var r = range();
    if (!r || r.collapsed || !e.clipboardData) return;
    var box = h("div");
    box.append(r.cloneContents());
    var md = childBlocks(box).map(function (n) {
      var en = entries[+n.getAttribute("data-b")];
      return n.classList.contains("ve-card") ? (en ? en.md : "") : blockMarkdown(n);
    }).filter(function (m) { return m.trim(); }).join("\n\n");
    Array.prototype.forEach.call(box.querySelectorAll(".ve-card-actions"), function (a) { a.remove(); });
    e.preventDefault();
    e.clipboardData.setData("text/plain", r.toString());
    e.clipboardData.setData("text/html", box.innerHTML);
    e.clipboardData.setData(ownType, md);
    if (cut) {
      document.execCommand("delete", false, null);
      snapshot(false);
    }
  }
  area.addEventListener("copy", function (e) { copy(e, false); });
  area.addEventListener("cut", function (e) { copy(e, true); });

  area.addEventListener("paste", function (e) {
    var dt = e.clipboardData;
    if (!dt || mode !== "visual") return;
    var own = dt.getData(ownType);
    if (own) {
      e.preventDefault();
      insertMarkdown(own, "Pasting…");
      return;
    }
    var files = Array.prototype.filter.call(dt.files || [], function (f) { return /^image\//.test(f.type); });
    var html = dt.getData("text/html"), text = dt.getData("text/plain");
    if (files.length && !html) {
      e.preventDefault();
      uploadFiles(files);
      return;
    }
    var url = text.trim();
    if (/^https?:\/\/\S+$/.test(url) && (!html || html.indexOf(url) >= 0 || html.length < url.length * 3 + 200)) {
      e.preventDefault();
      // A link on its own line is an embed; inside a sentence, a link.
      var block = topBlock(range() && range().startContainer);
      if (block && block.tagName === "P" && !block.textContent.trim()) insertMarkdown(url, "Adding the embed…");
      else document.execCommand("insertText", false, url);
      return;
    }
    if (html) {
      e.preventDefault();
      var at = saveSelection();
      say("Pasting…");
      post("/admin/editor/paste", { html: html }).then(function (blocks) {
        restoreSelection(at);
        insertBlocks(blocks);
        say("Pasted.");
      }).catch(function () {
        restoreSelection(at);
        insertPlain(text);
        say("The formatting could not be kept; pasted as plain text.");
      });
      return;
    }
    if (text) {
      e.preventDefault();
      insertPlain(text);
    }
  });

  // insertPlain pastes text: one paragraph per blank-line-separated part.
  function insertPlain(text) {
    var paras = text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n+/).filter(function (p) { return p.trim(); });
    if (paras.length <= 1) {
      document.execCommand("insertText", false, (paras[0] || "").replace(/\n/g, " "));
      return;
    }
    var frag = document.createDocumentFragment();
    paras.forEach(function (p) { frag.append(h("p", { text: p.replace(/\n/g, " ") })); });
    insertNodes(frag);
  }

  function insertBlocks(html) {
    var frag = fragment(html);
    adopt(frag, null);
    insertNodes(frag);
  }

  function insertMarkdown(md, msg) {
    var at = saveSelection();
    say(msg);
    return post("/admin/editor/blocks", { body: md }).then(function (html) {
      restoreSelection(at);
      insertBlocks(html);
      say("");
    }).catch(function () { say("That could not be added. Check your connection and try again."); });
  }

  // insertNodes puts blocks at the caret: a single paragraph's text into
  // the current paragraph; anything else as blocks of their own, splitting
  // the paragraph the caret is in.
  function insertNodes(frag) {
    area.focus();
    var r = range();
    if (!r) { caretInto(innermost(area.lastElementChild || area), true); r = range(); }
    var kids = Array.prototype.slice.call(frag.childNodes).filter(function (n) { return n.nodeType === 1 || n.data.trim(); });
    var top = topBlock(r.startContainer === area ? area.childNodes[r.startOffset] || area.lastChild : r.startContainer);
    if (kids.length === 1 && kids[0].tagName === "P" && top && !top.classList.contains("ve-card")) {
      r.deleteContents();
      var inner = document.createDocumentFragment();
      while (kids[0].firstChild) inner.append(kids[0].firstChild);
      var last = inner.lastChild;
      r.insertNode(inner);
      if (last) { r.setStartAfter(last); r.collapse(true); getSelection().removeAllRanges(); getSelection().addRange(r); }
      snapshot(false);
      return;
    }
    r.deleteContents();
    var after = null;
    if (top && /^(P|H[1-6])$/.test(top.tagName)) {
      var tail = document.createRange();
      tail.setStart(r.startContainer, r.startOffset);
      tail.setEndAfter(top.lastChild || top);
      var rest = tail.extractContents();
      var restBlock = h(top.tagName);
      restBlock.append(rest);
      if (restBlock.textContent.trim() || restBlock.querySelector("img")) after = restBlock;
      if (!top.textContent.trim()) { var gone = top; top = top.previousSibling; gone.remove(); }
    }
    var ref = top ? top.nextSibling : area.firstChild;
    kids.forEach(function (k) { area.insertBefore(k, ref); });
    if (after) area.insertBefore(after, ref);
    remember(area);
    var lastKid = kids[kids.length - 1];
    if (after) caretInto(after, false);
    else if (lastKid && !lastKid.classList.contains("ve-card")) caretInto(innermost(lastKid), true);
    else {
      var next = lastKid && lastKid.nextElementSibling;
      if (!next || next.classList.contains("ve-card")) { next = h("p", {}, [h("br")]); area.insertBefore(next, lastKid ? lastKid.nextSibling : null); }
      caretInto(next, false);
    }
    snapshot(false);
  }

  area.addEventListener("dragover", function (e) {
    if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) e.preventDefault();
  });
  area.addEventListener("drop", function (e) {
    var files = Array.prototype.filter.call(e.dataTransfer.files || [], function (f) { return /^image\//.test(f.type); });
    if (!files.length) return;
    e.preventDefault();
    var r = document.caretRangeFromPoint ? document.caretRangeFromPoint(e.clientX, e.clientY) : null;
    if (r && area.contains(r.startContainer)) { getSelection().removeAllRanges(); getSelection().addRange(r); }
    uploadFiles(files);
  });

  // uploadFiles puts images into the library, then asks for each one's
  // alt text and caption before it goes into the text.
  function uploadFiles(files) {
    var at = saveSelection();
    var queue = files.slice();
    (function next() {
      var f = queue.shift();
      if (!f) return;
      say("Uploading " + f.name + "…");
      upload(f).then(function (item) {
        say("");
        restoreSelection(at);
        imageDialog(item, next);
      }).catch(function (err) { say(err.message); next(); });
    })();
  }

  function upload(file) {
    var data = new FormData();
    data.append("csrf", csrf); // first: the server checks it before reading the file
    data.append("file", file, file.name);
    return fetch("/admin/media", { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (res) {
          if (r.ok && res.items && res.items.length) return res.items[0];
          throw new Error(res.error || "The upload failed (" + r.status + ").");
        });
      });
  }

  // ---- Cards ----------------------------------------------------------------------------------------

  area.addEventListener("click", function (e) {
    var b = e.target.closest(".ve-card-actions button");
    if (!b) return;
    e.preventDefault();
    var card = b.closest(".ve-card"), e2 = entries[+card.getAttribute("data-b")];
    if (b.getAttribute("data-act") === "remove") {
      var next = card.nextElementSibling || card.previousElementSibling;
      card.remove();
      if (next && !next.classList.contains("ve-card")) caretInto(next, false);
      area.focus();
      snapshot(false);
      say("Removed. Undo with " + mod + "Z.");
      return;
    }
    var kind = card.getAttribute("data-kind");
    if (kind === "figure") {
      imageDialog({ src: card.getAttribute("data-image"), alt: card.getAttribute("data-alt"), caption: card.getAttribute("data-caption"),
        credit: card.hasAttribute("data-credit") ? card.getAttribute("data-credit") : undefined, keepCard: card });
    } else if (kind === "embed") {
      embedDialog(card);
    } else {
      markdownDialog(card, e2 ? e2.md : "");
    }
  });

  // replaceCard swaps a card for the blocks of new Markdown.
  function replaceCard(card, md) {
    return post("/admin/editor/blocks", { body: md }).then(function (html) {
      var frag = fragment(html);
      adopt(frag, null);
      var kids = Array.prototype.slice.call(frag.children);
      kids.forEach(function (k) { area.insertBefore(k, card); });
      card.remove();
      remember(area);
      if (!md.trim()) { area.focus(); snapshot(false); return; }
      var last = kids[kids.length - 1];
      area.focus();
      if (last && !last.classList.contains("ve-card")) caretInto(innermost(last), true);
      snapshot(false);
    }).catch(function () { say("That could not be changed. Check your connection and try again."); });
  }

  // ---- Dialogs ----------------------------------------------------------------------------------------

  // dialog builds a modal dialog (outside the form: a form cannot hold
  // another). showModal keeps focus inside it; closing returns focus, and
  // the selection, to where they were.
  function dialog(titleText, body, buttons) {
    var id = "ve-d-" + Math.random().toString(36).slice(2);
    var d = h("dialog", { class: "ve-dialog", "aria-labelledby": id });
    var f = h("form", { method: "dialog" });
    var error = h("p", { class: "error", role: "alert" });
    f.append(h("h2", { id: id, text: titleText }));
    body.forEach(function (n) { f.append(n); });
    f.append(error);
    var row = h("p", { class: "ve-dialog-buttons" });
    buttons.forEach(function (b) { row.append(b, " "); });
    f.append(row);
    d.append(f);
    document.body.append(d);
    var back = { focus: document.activeElement, sel: saveSelection() };
    d.addEventListener("close", function () {
      d.remove();
      // Back to the text, where the writer was (also when the dialog was
      // opened from the toolbar by keyboard), else to what opened it.
      if (back.sel && (back.focus === area || toolbar.contains(back.focus))) {
        area.focus();
        restoreSelection(back.sel);
      } else if (back.focus && back.focus.focus) {
        back.focus.focus();
      }
    });
    d.addEventListener("cancel", function () { d.returnValue = ""; });
    d.showModal();
    return { d: d, form: f, error: error, back: back };
  }

  function field(labelText, input, hintText) {
    var id = "ve-f-" + Math.random().toString(36).slice(2);
    input.id = id;
    var parts = [h("label", { for: id }, [labelText].concat(hintText ? [" ", h("span", { class: "hint", text: hintText })] : [])), input];
    return h("div", { class: "field" }, parts);
  }

  function button(text, cls, value) {
    return h("button", { type: value === undefined ? "button" : "submit", class: cls || null, value: value || null }, [text]);
  }

  // cleanURL reads a web address as typed: "example.org/x" is https.
  function cleanURL(u) {
    u = u.trim();
    if (!u) return "";
    if (/^(https?:|mailto:|tel:)/i.test(u) || /^[\/#]/.test(u)) return u;
    if (/^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(u)) return "https://" + u;
    if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(u)) return "mailto:" + u;
    return null;
  }

  function linkDialog() {
    var a = closest(/^A$/);
    var input = h("input", { type: "text", inputmode: "url", autocomplete: "off", value: a ? a.getAttribute("href") : "" });
    var ok = button(a ? "Update link" : "Add link", null, "ok");
    var buttons = [ok];
    var remove = a ? button("Remove link", "secondary", "remove") : null;
    if (remove) buttons.push(remove);
    buttons.push(button("Cancel", "secondary", ""));
    var dlg = dialog(a ? "Edit link" : "Add a link", [field("Web address", input, "(or a path on this site, such as /2026/03/02/story)")], buttons);
    input.focus();
    input.select();
    dlg.form.addEventListener("submit", function (e) {
      var which = e.submitter && e.submitter.value;
      if (which === "ok") {
        var u = cleanURL(input.value);
        if (!u) {
          e.preventDefault();
          dlg.error.textContent = "Give a web address such as https://example.org/page.";
          input.focus();
          return;
        }
        dlg.d.addEventListener("close", function () { applyLink(a, u); }, { once: true });
      } else if (which === "remove") {
        dlg.d.addEventListener("close", function () { unlink(a); }, { once: true });
      }
    });
  }

  function applyLink(a, u) {
    if (a) {
      a.setAttribute("href", u);
    } else {
      var r = range();
      if (!r) return;
      if (r.collapsed) {
        var link = h("a", { href: u, text: u });
        r.insertNode(link);
        r.setStartAfter(link);
        r.collapse(true);
        getSelection().removeAllRanges();
        getSelection().addRange(r);
      } else {
        document.execCommand("createLink", false, u);
      }
    }
    snapshot(false);
    updateTools();
  }

  function unlink(a) {
    var r = document.createRange();
    r.selectNodeContents(a);
    getSelection().removeAllRanges();
    getSelection().addRange(r);
    document.execCommand("unlink", false, null);
    snapshot(false);
    updateTools();
  }

  function embedDialog(card) {
    var input = h("input", { type: "url", autocomplete: "off", value: card ? card.getAttribute("data-url") : "", placeholder: "https://" });
    var dlg = dialog(card ? "Change the embed" : "Embed a post, video or map", [
      field("Address", input),
      h("p", { class: "hint", text: "YouTube, Vimeo, X, Bluesky, Mastodon, Instagram, TikTok, Spotify, SoundCloud, Google Maps, DocumentCloud or a PDF. " +
        "Readers see a preview that loads from the other site only when they ask." })
    ], [button(card ? "Change" : "Embed", null, "ok"), button("Cancel", "secondary", "")]);
    input.focus();
    dlg.form.addEventListener("submit", function (e) {
      if (!e.submitter || e.submitter.value !== "ok") return;
      e.preventDefault();
      var u = input.value.trim();
      if (!/^https?:\/\/\S+$/i.test(u)) {
        dlg.error.textContent = "Give the full address, starting with https://.";
        input.focus();
        return;
      }
      // The server knows what can be embedded (the reader site's list).
      post("/admin/editor/blocks", { body: u }).then(function (html) {
        if (html.indexOf('data-kind="embed"') < 0) {
          dlg.error.textContent = "That address is not one the site can embed. Check it, or make it a link in the text.";
          input.focus();
          return;
        }
        dlg.d.addEventListener("close", function () {
          if (card) replaceCard(card, u);
          else insertBlocks(html);
        }, { once: true });
        dlg.d.close("ok");
      }).catch(function () { dlg.error.textContent = "The embed could not be checked. Check your connection and try again."; });
    });
  }

  function markdownDialog(card, md) {
    var input = h("textarea", { rows: "12", class: "ve-md" });
    input.value = md;
    var dlg = dialog("Edit as Markdown", [field("Markdown", input)], [button("Apply", null, "ok"), button("Cancel", "secondary", "")]);
    input.focus();
    dlg.form.addEventListener("submit", function (e) {
      if (!e.submitter || e.submitter.value !== "ok") return;
      var v = input.value;
      dlg.d.addEventListener("close", function () { replaceCard(card, v); }, { once: true });
    });
  }

  // imageDialog chooses an image from the library (or uploads one), then
  // asks for its alt text and caption, and for a credit when the library
  // has none and the writer may give one (as for an image just uploaded).
  // With item, it asks about that image; with item.keepCard it changes
  // that figure.
  function imageDialog(item, then) {
    var content = h("div", { class: "ve-image" });
    var dlg = dialog(item && item.keepCard ? "Image details" : "Insert an image", [content], [button("Cancel", "secondary", "")]);
    dlg.d.classList.add("ve-dialog-wide");
    dlg.d.addEventListener("close", function () { if (then) then(); });
    if (item) details(item); else library("", 1);

    function library(q, page) {
      content.textContent = "";
      var search = h("input", { type: "search", value: q, autocomplete: "off" });
      var file = h("input", { type: "file", accept: "image/*" });
      var grid = h("ul", { class: "ve-grid", "aria-label": "Images in the library" });
      var more = h("p", { class: "ve-more" });
      var find = button("Search", "secondary");
      content.append(
        h("div", { class: "ve-upload" }, [field("Upload a new image", file)]),
        h("div", { class: "ve-search" }, [field("Or find one in the library", search), find]),
        grid, more);
      search.focus();
      find.addEventListener("click", function () { library(search.value, 1); });
      search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); library(search.value, 1); } });
      file.addEventListener("change", function () {
        if (!file.files.length) return;
        dlg.error.textContent = "";
        more.textContent = "Uploading…";
        upload(file.files[0]).then(details).catch(function (err) { more.textContent = ""; dlg.error.textContent = err.message; });
      });
      more.textContent = "Loading…";
      fetch("/admin/media?q=" + encodeURIComponent(q) + "&page=" + page, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
        .then(function (res) {
          more.textContent = res.total ? "" : (q ? "No image matches." : "The library is empty: upload an image.");
          res.items.forEach(function (it) {
            var pick = h("button", { type: "button", class: "ve-pick" }, [
              h("img", { src: it.thumb, alt: "" }),
              h("span", { text: it.alt || it.filename || "Image" })
            ]);
            pick.addEventListener("click", function () { details(it); });
            grid.append(h("li", {}, [pick]));
          });
          if (res.page < res.pages) {
            var next = button("More images", "secondary");
            next.addEventListener("click", function () { library(q, page + 1); });
            more.append(next);
          }
        })
        .catch(function () { more.textContent = "The library could not be loaded. You can still upload an image."; });
    }

    function details(it) {
      content.textContent = "";
      dlg.error.textContent = "";
      var alt = h("textarea", { rows: "2", required: true, maxlength: "500" });
      alt.value = it.alt || "";
      var caption = h("input", { type: "text", value: it.caption || "", maxlength: "500" });
      var insert = button(it.keepCard ? "Save" : "Insert image", null);
      var img = it.src && it.src[0] === "/" ? h("img", { src: it.thumb || it.src, alt: "", class: "ve-chosen" }) : h("p", { class: "hint", text: it.src });
      content.append(img,
        field("Alt text", alt, "(required: what the image shows, for readers who cannot see it)"),
        field("Caption", caption, "(shown under the image)"));
      var credit = null;
      if (it.may_edit && !it.credit) {
        credit = h("input", { type: "text", maxlength: "200", autocomplete: "off" });
        content.append(field("Credit", credit, "(who took or owns the image, such as “Photo: Jane Doe / Agency”; kept in the library)"));
      } else if (it.credit !== undefined) {
        content.append(h("p", { class: "hint", text: it.credit ? "Credit (from the library): " + it.credit : "No credit in the library: add one on the image's page in Media." }));
      }
      var row = dlg.form.querySelector(".ve-dialog-buttons");
      row.insertBefore(insert, row.firstChild);
      if (!it.keepCard && !item) {
        var back = button("Back to the library", "secondary");
        back.addEventListener("click", function () { insert.remove(); back.remove(); library("", 1); });
        row.insertBefore(back, insert.nextSibling);
      }
      alt.focus();
      insert.addEventListener("click", function () {
        if (!alt.value.trim()) {
          dlg.error.textContent = "Describe the image in the alt text first.";
          alt.focus();
          return;
        }
        var md = figureMarkdown(it.src, alt.value, caption.value);
        var card = it.keepCard;
        insert.disabled = true;
        dlg.error.textContent = "";
        // The words fill what the library lacks, and are saved before the
        // figure goes in: the reader site takes the credit from the library
        // when the article is saved.
        fillLibraryWords(it, { alt: alt.value, caption: caption.value, credit: credit ? credit.value : "" }).then(function () {
          dlg.d.addEventListener("close", function () {
            if (card) replaceCard(card, md);
            else insertMarkdown(md, "Adding the image…");
          }, { once: true });
          dlg.d.close("ok");
        }).catch(function (err) {
          insert.disabled = false;
          dlg.error.textContent = err instanceof TypeError ? "The image's details could not be saved. Check your connection and try again." : err.message;
        });
      });
    }
  }

  // fillLibraryWords gives a library image the words it lacks (alt text,
  // caption, credit) from those typed in the dialog, where the writer may
  // change them; it resolves when the library has them.
  function fillLibraryWords(it, typed) {
    if (!it.id || !it.may_edit) return Promise.resolve();
    var words = {}, changed = false;
    ["alt", "caption", "credit"].forEach(function (k) {
      var had = (it[k] || "").trim();
      words[k] = had || typed[k].replace(/\s+/g, " ").trim();
      if (words[k] !== had) changed = true;
    });
    if (!changed) return Promise.resolve();
    var data = new URLSearchParams();
    data.set("csrf", csrf);
    Object.keys(words).forEach(function (k) { data.set(k, words[k]); });
    return fetch("/admin/media/" + it.id, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (res) {
          if (!r.ok) throw new Error(res.error || "The image's details could not be saved (" + r.status + ").");
          it.alt = res.alt; it.caption = res.caption; it.credit = res.credit;
        });
      });
  }

  // figureMarkdown is the agreed figure: a paragraph holding only
  // ![alt](src "caption").
  function figureMarkdown(src, alt, caption) {
    var a = escapeText(alt.replace(/\s+/g, " ").trim(), "!");
    var c = caption.replace(/\s+/g, " ").trim();
    return "![" + a + "](" + destination(src) + title(c) + ")";
  }

  // ---- Visual or Markdown ---------------------------------------------------------------------------

  var mode = "visual";
  var storedMode = "masthead-editor-mode";

  function setMode(to) {
    if (to === mode) return;
    if (to === "markdown") {
      shown("markdown");
      textarea.focus();
      return;
    }
    if (textarea.value === lastShown) {
      shown("visual");
      area.focus();
      return;
    }
    say("Loading…");
    post("/admin/editor/blocks", { body: textarea.value }).then(function (html) {
      load(html);
      lastShown = textarea.value;
      say("");
      shown("visual");
      area.focus();
    }).catch(function () { say("The visual editor could not load the text. Keep editing the Markdown, or try again."); });
  }

  // shown shows one way of editing the body and, unless keep is false,
  // remembers it as the writer's preference.
  function shown(m, keep) {
    mode = m;
    var md = m === "markdown";
    wrap.classList.toggle("ve-markdown", md);
    textarea.hidden = !md;
    area.hidden = md;
    toolbar.hidden = md;
    help.hidden = md;
    if (hint) hint.textContent = md ? "(Markdown)" : "";
    modeButton.setAttribute("aria-pressed", md ? "true" : "false");
    if (keep === false) return;
    try { localStorage.setItem(storedMode, m); } catch (e) { /* private browsing */ }
  }
  var lastShown = textarea.value;
  textarea.addEventListener("input", function () { if (mode === "markdown") lastShown = null; });

  function say(msg) { status.textContent = msg; }

  label.addEventListener("click", function (e) {
    if (mode === "visual") { e.preventDefault(); area.focus(); }
  });
  // The last edit is in the textarea before the form is sent.
  form.addEventListener("submit", function () { if (mode === "visual" && hIndex > 0) sync(); }, true);

  // ---- Start ----------------------------------------------------------------------------------------------

  document.execCommand("defaultParagraphSeparator", false, "p");
  // A writer already typing in the Markdown box (the page was slow to
  // load its scripts) stays there: switching under their fingers would
  // lose keys. The Visual button is one press away.
  if (document.activeElement === textarea) {
    lastShown = null; // the visual editor loads the text when asked
    shown("markdown", false);
    return;
  }
  var start = initial.content;
  if (sourceOf(start) === textarea.value) {
    load(initial.innerHTML);
  } else {
    // The browser kept other text in the textarea (going back to the
    // page): show that, not the page's.
    load("");
    post("/admin/editor/blocks", { body: textarea.value }).then(function (html) { load(html); lastShown = textarea.value; }).catch(function () { shown("markdown"); });
  }
  var preferred = null;
  try { preferred = localStorage.getItem(storedMode); } catch (e) { /* private browsing */ }
  shown(preferred === "markdown" ? "markdown" : "visual");
})();
