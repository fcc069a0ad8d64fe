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
})();
