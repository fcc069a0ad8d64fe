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

  // Glossary previews on touch screens: the first tap on a term shows its
  // definition, a second tap follows the link. Escape closes the preview.
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
  }, true);
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
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term-ref.open").forEach(function (open) {
      open.classList.remove("open");
    });
    var active = document.activeElement;
    if (active && active.classList.contains("term-link")) active.blur();
  });

  // Offline search: the index is a set of scripts (search/index-N.js), so it
  // also loads from file://. It is fetched on first use.
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  var root = form.getAttribute("data-root") || "";
  var files = parseInt(form.getAttribute("data-files"), 10) || 0;
  var fileLinks = form.getAttribute("data-file-links") === "true";
  var loading = null;
  form.hidden = false;

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve) {
      var left = files;
      if (!left) resolve();
      for (var n = 0; n < files; n++) {
        var script = document.createElement("script");
        script.src = root + "search/index-" + n + ".js";
        script.onload = script.onerror = function () { if (--left === 0) resolve(); };
        document.head.appendChild(script);
      }
    });
    return loading;
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

  function href(path) {
    var hash = "", at = path.indexOf("#");
    if (at >= 0) { hash = path.slice(at); path = path.slice(0, at); }
    var folder = path === "" || path.charAt(path.length - 1) === "/";
    return root + path + (folder && fileLinks ? "index.html" : "") + hash;
  }

  function postings(chunk, token, last) {
    if (chunk.index[token]) return [chunk.index[token]];
    if (!last) return [];
    // The word being typed: every indexed word it begins.
    return Object.keys(chunk.index).filter(function (k) { return k.indexOf(token) === 0; })
      .slice(0, 50).map(function (k) { return chunk.index[k]; });
  }

  function search(query) {
    var toks = tokens(query);
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!toks.length) { status.textContent = ""; return; }
    var results = [];
    (window.DOSSIER_SEARCH || []).forEach(function (chunk) {
      var scores = null;
      toks.forEach(function (t, i) {
        var hit = {};
        postings(chunk, t, i === toks.length - 1).forEach(function (p) {
          for (var j = 0; j < p.length; j += 2) hit[p[j]] = (hit[p[j]] || 0) + p[j + 1];
        });
        if (scores === null) { scores = hit; return; }
        var both = {};
        Object.keys(scores).forEach(function (d) { if (hit[d]) both[d] = scores[d] + hit[d]; });
        scores = both;
      });
      Object.keys(scores || {}).forEach(function (d) { results.push([scores[d], chunk.docs[d]]); });
    });
    results.sort(function (a, b) { return b[0] - a[0]; });
    results.slice(0, 10).forEach(function (r) {
      var doc = r[1], li = document.createElement("li"), a = document.createElement("a");
      a.href = href(doc[2]);
      a.textContent = doc[1];
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = " " + doc[0];
      var p = document.createElement("p");
      p.textContent = doc[3];
      li.appendChild(a); li.appendChild(kind); li.appendChild(p);
      list.appendChild(li);
    });
    status.textContent = results.length ? results.length + (results.length === 1 ? " result" : " results") : "No results";
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load().then(function () { search(input.value); }); });
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
