/* tambon page.js — small page behaviours that a strict Content-Security-Policy
 * keeps out of the HTML. No dependencies.
 *
 *   <button type="button" data-print>พิมพ์</button>   opens the print dialogue
 *   <select data-autosubmit>                          submits its form on change
 *                                                     (the form keeps its button
 *                                                     for keyboards and no-JS)
 */
(function () {
  "use strict";
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (s) {
      s.addEventListener("change", function () { if (s.form) s.form.submit(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
