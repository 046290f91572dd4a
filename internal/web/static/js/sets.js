// The indicator sets page: while a threshold change is recomputed, poll its
// status and show the households done; reload when it ends, so the page
// shows the outcome. Without JavaScript the page refreshes itself (noscript).
(function () {
  "use strict";
  function fmt(n) { return Number(n).toLocaleString(document.documentElement.lang === "th" ? "th-TH" : "en-GB"); }
  function init() {
    var box = document.querySelector("#threshold-job[data-job]");
    if (!box) return;
    var id = box.getAttribute("data-job");
    var state = document.getElementById("threshold-job-state"), bar = document.getElementById("threshold-job-progress");
    function poll() {
      fetch("/admin/sets/jobs/" + encodeURIComponent(id), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.state !== "running" || s.error) { location.reload(); return; }
          if (bar && s.total) { bar.max = s.total; bar.value = s.done; }
          if (state && s.round) {
            state.textContent = state.getAttribute("data-format").replace("{round}", s.round).replace("{done}", fmt(s.done))
              .replace("{total}", fmt(s.total)).replace("{rate}", fmt(s.rate));
          }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
