/* tambon present.js — the village forum's presentation: one screen at a
 * time, moved with ←/→, PageUp/PageDown, Space, Home/End or a click (the
 * left third of a screen goes back), the screen's number in the address
 * (#3) so a reload keeps the place. Without the script the screens are one
 * under the other. No requests: everything is in the page. No dependencies.
 */
(function () {
  "use strict";
  function init() {
    var screens = Array.prototype.slice.call(document.querySelectorAll(".screen"));
    if (!screens.length) return;
    var count = document.getElementById("present-count");
    var prev = document.getElementById("present-prev");
    var next = document.getElementById("present-next");
    var print = document.getElementById("present-print");
    var at = 0;
    screens.forEach(function (s, i) { s.id = "s" + (i + 1); s.setAttribute("tabindex", "-1"); });
    document.body.classList.add("js-present");
    [prev, next, print].forEach(function (b) { if (b) b.hidden = false; });
    function show(i, focus) {
      at = Math.max(0, Math.min(screens.length - 1, i));
      screens.forEach(function (s, j) {
        s.classList.toggle("current", j === at);
        s.setAttribute("aria-hidden", j === at ? "false" : "true");
      });
      if (count) count.textContent = (at + 1) + " / " + screens.length;
      if (prev) prev.disabled = at === 0;
      if (next) next.disabled = at === screens.length - 1;
      if (history.replaceState) history.replaceState(null, "", "#" + (at + 1));
      if (focus) screens[at].focus({ preventScroll: true });
    }
    var start = parseInt((location.hash || "").replace(/^#s?/, ""), 10);
    show(isNaN(start) ? 0 : start - 1, false);
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var t = e.target && e.target.tagName;
      if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") return;
      switch (e.key) {
        case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Enter":
          if (t === "BUTTON" || t === "A") { if (e.key === " " || e.key === "Enter") return; }
          show(at + 1, true); break;
        case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
          show(at - 1, true); break;
        case "Home": show(0, true); break;
        case "End": show(screens.length - 1, true); break;
        default: return;
      }
      e.preventDefault();
    });
    document.getElementById("screens").addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest("a, button")) return;
      show(e.clientX < window.innerWidth / 3 ? at - 1 : at + 1, false);
    });
    if (prev) prev.addEventListener("click", function () { show(at - 1, false); });
    if (next) next.addEventListener("click", function () { show(at + 1, false); });
    if (print) print.addEventListener("click", function () { window.print(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
