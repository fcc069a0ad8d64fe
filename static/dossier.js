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
})();
