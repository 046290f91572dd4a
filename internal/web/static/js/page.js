/* tambon page.js — small page behaviours that a strict Content-Security-Policy
 * keeps out of the HTML. No dependencies.
 *
 *   <button type="button" data-print>พิมพ์</button>   opens the print dialogue
 *   <select data-autosubmit>                          submits its form on change
 *                                                     (the form keeps its button
 *                                                     for keyboards and no-JS)
 *   <div class="table-wrap"><table>…                  a table wider than its box
 *                                                     scrolls inside it: the box
 *                                                     then takes keyboard focus
 *                                                     (arrow keys scroll it) and
 *                                                     is named after the table
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
    scrollables();
    window.addEventListener("resize", scrollables);
  }

  // scrollables lets keyboards reach the table boxes that scroll sideways.
  function scrollables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (box) {
      if (box.scrollWidth <= box.clientWidth + 1) {
        if (box.getAttribute("data-scrolls")) {
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("data-scrolls");
          box.removeAttribute("aria-labelledby");
          box.removeAttribute("aria-label");
        }
        return;
      }
      box.setAttribute("data-scrolls", "1");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var caption = box.querySelector("caption");
      var section = box.closest("[aria-labelledby]");
      if (caption) {
        if (!caption.id) caption.id = "table-caption-" + Math.random().toString(36).slice(2, 8);
        box.setAttribute("aria-labelledby", caption.id);
      } else if (section) {
        box.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
      } else {
        box.setAttribute("aria-label", document.documentElement.lang === "en" ? "Table" : "ตาราง");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
