// dossier: small enhancements. Every page is complete without this file.
(function () {
  "use strict";
  // Copy-link: a click on a "#" anchor also copies the full URL.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var anchor = target.closest("a.anchor");
    if (!anchor || !navigator.clipboard || !window.isSecureContext) return;
    var url = new URL(anchor.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      anchor.classList.add("copied");
      window.setTimeout(function () { anchor.classList.remove("copied"); }, 1500);
    }, function () { /* copying is optional; the link still works */ });
  });

  // Glossary previews (shown by the stylesheet on hover and focus). On
  // touch screens the first tap on a term shows its definition, a second
  // tap follows the link. A preview is moved left when it would run past
  // the window's edge, and Escape hides it until the pointer or focus
  // leaves the term (WCAG 1.4.13).
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
  }, true);
  function termRef(node) {
    return node instanceof Element ? node.closest(".term-ref") : null;
  }
  // Places an open preview right under the line of the link the pointer
  // is on (a link can wrap onto two lines; the stylesheet alone would put
  // the preview under the last one, with other text between), then moves
  // it left or right to stay inside the window.
  function place(ref, y) {
    var tip = ref.querySelector(".term-tip"), link = ref.querySelector("a");
    if (!tip || !link) return;
    tip.style.left = "";
    tip.style.top = "";
    // Measured shown: the stylesheet's :hover may not have applied yet.
    tip.style.display = "block";
    var box = tip.getBoundingClientRect();
    var lines = link.getClientRects();
    if (box.width && lines.length) move(tip, box, lines, y);
    tip.style.display = "";
  }
  function move(tip, box, lines, y) {
    var line = lines[lines.length - 1];
    for (var i = 0; y !== undefined && i < lines.length; i++) {
      if (y >= lines[i].top && y <= lines[i].bottom) line = lines[i];
    }
    var style = getComputedStyle(tip), gap = parseFloat(style.marginTop) || 0;
    var down = line.bottom + gap - box.top;
    // (`top: auto`, the place after the link, has no number to add to.)
    var top = parseFloat(style.top);
    if (isNaN(top)) top = tip.offsetTop - gap;
    if (Math.abs(down) > 0.5) tip.style.top = (top + down) + "px";
    // A narrow screen's panel spans the column; a wide screen's starts
    // under the line's start.
    var edge = document.documentElement.clientWidth - 8;
    var wide = box.width < edge - 16;
    var shift = wide ? box.left - line.left : 0;
    if (box.right - shift > edge) shift = box.right - edge;
    if (box.left - shift < 8) shift = box.left - 8;
    if (Math.abs(shift) > 0.5) tip.style.left = (parseFloat(style.left) - shift) + "px";
  }
  function showTip(event) {
    var ref = termRef(event.target);
    if (!ref || ref.contains(event.relatedTarget)) return;
    ref.classList.remove("dismissed");
    place(ref, event.type === "mouseover" ? event.clientY : undefined);
  }
  document.addEventListener("mouseover", showTip);
  document.addEventListener("focusin", showTip);
  function leaveTip(event) {
    var ref = termRef(event.target);
    if (ref && !ref.contains(event.relatedTarget)) ref.classList.remove("dismissed");
  }
  document.addEventListener("mouseout", leaveTip);
  document.addEventListener("focusout", leaveTip);
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("a.term-link");
    document.querySelectorAll(".term-ref.open").forEach(function (open) {
      if (!link || open !== link.parentElement) open.classList.remove("open");
    });
    if (!link || lastPointer !== "touch") return;
    var ref = link.parentElement;
    if (!ref.classList.contains("open")) {
      event.preventDefault();
      ref.classList.add("open");
      place(ref, event.clientY);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term-ref").forEach(function (ref) {
      if (ref.classList.contains("open") || ref.matches(":hover, :focus-within")) {
        ref.classList.remove("open");
        ref.classList.add("dismissed");
      }
    });
  });

  // Printing shows the sources folded away on screen (browsers without
  // ::details-content), and folds them again afterwards.
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    unfolded = Array.prototype.filter.call(document.querySelectorAll("details.event-sources"), function (d) {
      return !d.open;
    });
    unfolded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (d) { d.open = false; });
  });

  // Offline search. The index is a set of scripts (so it also loads from
  // file://): search/t-KEY.js holds the words that begin with KEY (their
  // first three characters, one for Chinese, Japanese and Korean), and
  // search/d-N.js the documents N*16 to N*16+15; search/keys.js lists the
  // word files there are. A query loads only the files of its words and of
  // the results it shows.
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  var root = form.getAttribute("data-root") || "";
  var fileLinks = form.getAttribute("data-file-links") === "true";
  // The messages, in the page's language: base.html fills them in from
  // the site's words (a template without them gets the bare count).
  function said(name) { return form.getAttribute("data-" + name) || ""; }
  var PER_FILE = 16;
  var scripts = {};
  window.DOSSIER_TOKENS = window.DOSSIER_TOKENS || {};
  window.DOSSIER_DOCS = window.DOSSIER_DOCS || {};

  // Loads a script once; resolves when it has run or failed (a missing
  // shard simply has no words).
  function script(path) {
    if (scripts[path]) return scripts[path];
    scripts[path] = new Promise(function (resolve) {
      var s = document.createElement("script");
      s.src = root + path;
      s.onload = s.onerror = function () { resolve(); };
      document.head.appendChild(s);
    });
    return scripts[path];
  }

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xac00 && n <= 0xd7af) || (n >= 0xf900 && n <= 0xfaff);
  }

  // The same tokens as src/search.rs: lowercase words of two or more
  // characters, and character pairs of CJK text.
  function tokens(text) {
    var out = [], word = "", cjk = [];
    function flushWord() { if (Array.from(word).length >= 2) out.push(word); word = ""; }
    function flushCjk() {
      if (cjk.length === 1) out.push(cjk[0]);
      for (var i = 0; i + 1 < cjk.length; i++) out.push(cjk[i] + cjk[i + 1]);
      cjk = [];
    }
    Array.from(text).forEach(function (c) {
      if (isCjk(c)) { flushWord(); cjk.push(c); }
      else if (/[\p{L}\p{N}]/u.test(c)) { flushCjk(); word += c.toLowerCase(); }
      else { flushWord(); flushCjk(); }
    });
    flushWord(); flushCjk();
    return out;
  }

  function key(token) {
    var chars = Array.from(token);
    return chars.slice(0, isCjk(chars[0]) ? 1 : 3).join("");
  }

  function shardPath(k) {
    var hex = "";
    new TextEncoder().encode(k).forEach(function (b) { hex += (b < 16 ? "0" : "") + b.toString(16); });
    return "search/t-" + hex + ".js";
  }

  function href(path) {
    var hash = "", at = path.indexOf("#");
    if (at >= 0) { hash = path.slice(at); path = path.slice(0, at); }
    var folder = path === "" || path.charAt(path.length - 1) === "/";
    return root + path + (folder && fileLinks ? "index.html" : "") + hash;
  }

  // The documents of one token (of a word being typed: of every word it
  // begins), as {doc: weight}.
  function hits(token, typing) {
    var shard = window.DOSSIER_TOKENS[key(token)] || {};
    var words = shard[token] ? [token] : [];
    // A word of three characters or more being typed: every word it begins
    // (they are all in its file).
    if (typing && Array.from(token).length >= 3) {
      words = Object.keys(shard).filter(function (w) { return w.indexOf(token) === 0; }).slice(0, 50);
    }
    var out = {};
    words.forEach(function (w) {
      var p = shard[w], doc = 0;
      for (var j = 0; j < p.length; j += 2) { doc += p[j]; out[doc] = (out[doc] || 0) + p[j + 1]; }
    });
    return out;
  }

  // The passage of `text` around the first word of the query, with the
  // word marked.
  function snippet(text, words) {
    var lower = text.toLowerCase(), at = -1, len = 0;
    words.forEach(function (w) {
      var i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) { at = i; len = w.length; }
    });
    var p = document.createElement("p");
    if (at < 0) { p.textContent = text; return p; }
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + len + 100);
    p.appendChild(document.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + len);
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + len, end) + (end < text.length ? "…" : "")));
    return p;
  }

  var latest = 0;
  function search(query) {
    var run = ++latest;
    var toks = tokens(query);
    // Results of an earlier query never stay up while this one loads.
    while (list.firstChild) list.removeChild(list.firstChild);
    status.textContent = "";
    if (!toks.length) return;
    script("search/keys.js").then(function () {
      var known = {};
      (window.DOSSIER_KEYS || []).forEach(function (k) { known[k] = true; });
      return Promise.all(toks.filter(function (t) { return known[key(t)]; })
        .map(function (t) { return script(shardPath(key(t))); }));
    }).then(function () {
      var scores = null;
      toks.forEach(function (t, i) {
        var h = hits(t, i === toks.length - 1);
        if (scores === null) { scores = h; return; }
        var both = {};
        Object.keys(scores).forEach(function (d) { if (h[d]) both[d] = scores[d] + h[d]; });
        scores = both;
      });
      var ranked = Object.keys(scores).map(function (d) { return [scores[d], +d]; });
      ranked.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      var top = ranked.slice(0, 10);
      var files = {};
      top.forEach(function (r) { files[Math.floor(r[1] / PER_FILE)] = true; });
      return Promise.all(Object.keys(files).map(function (n) { return script("search/d-" + n + ".js"); }))
        .then(function () { if (run === latest) show(top, ranked.length, toks); });
    }).then(null, function () {
      if (run === latest) status.textContent = said("unavailable");
    });
  }

  function show(top, count, toks) {
    while (list.firstChild) list.removeChild(list.firstChild);
    top.forEach(function (r) {
      var file = window.DOSSIER_DOCS[Math.floor(r[1] / PER_FILE)] || [];
      var doc = file[r[1] % PER_FILE];
      if (!doc) return;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = href(doc[2]);
      a.textContent = doc[1];
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = " " + doc[0];
      li.appendChild(a); li.appendChild(kind); li.appendChild(snippet(doc[3], toks));
      list.appendChild(li);
    });
    status.textContent = !count ? said("no-results")
      : count === 1 ? said("one-result") || "1"
      : (said("results") || "{n}").replace("{n}", count);
  }

  input.addEventListener("input", function () { search(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    var typing = active && /^(input|textarea|select)$/i.test(active.tagName);
    if (event.key === "/" && !typing) { event.preventDefault(); input.focus(); }
    if (event.key === "Escape" && active === input) { input.value = ""; search(""); }
  });
})();
