// household.js: the household form's help while typing (citizen ID check
// digit, dates and ages, money, ranges), adding and removing members, showing
// only the questions that apply, and the import page's progress. The server
// checks everything again; without this script the form still works.
(function () {
  "use strict";

  var msgs = {};
  function t(key, args) {
    var s = msgs[key] || key;
    for (var k in args || {}) s = s.split("{" + k + "}").join(args[k]);
    return s;
  }
  function digits(s) {
    // Thai digits ๐-๙ to 0-9; drop dashes and spaces.
    return String(s).replace(/[\u0E50-\u0E59]/g, function (c) {
      return String(c.charCodeAt(0) - 0x0E50);
    }).replace(/[\s\-]/g, "");
  }
  function citizenOK(id) {
    if (!/^\d{13}$/.test(id)) return false;
    var sum = 0;
    for (var i = 0; i < 12; i++) sum += Number(id[i]) * (13 - i);
    return (11 - (sum % 11)) % 10 === Number(id[12]);
  }
  // parseDate reads dd/mm/yyyy (BE when the year is 2400 or more) or ISO.
  function parseDate(s) {
    s = digits(s.trim());
    var m = /^(\d{1,2})[\/.](\d{1,2})[\/.](\d{4})$/.exec(s), y, mo, d;
    if (m) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    else return null;
    if (y >= 2400) y -= 543;
    var dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
    return dt;
  }
  function age(birth, at) {
    var n = at.getUTCFullYear() - birth.getUTCFullYear();
    if (at.getUTCMonth() < birth.getUTCMonth() ||
        (at.getUTCMonth() === birth.getUTCMonth() && at.getUTCDate() < birth.getUTCDate())) n--;
    return n;
  }

  // check returns the message for an input, "" when it is fine, and a note
  // (not an error) through the second slot.
  function check(el) {
    var v = el.value.trim(), kind = el.getAttribute("data-check");
    if (v === "") return ["", ""];
    switch (kind) {
      case "cid":
        var d = digits(v);
        if (d.length < 13) return [t("cid"), t("cidlen", { n: d.length })];
        return citizenOK(d) ? ["", ""] : [t("cid"), ""];
      case "housecode":
        return /^\d{11}$/.test(digits(v)) ? ["", ""] : [t("housecode"), ""];
      case "money":
        return /^\d+$/.test(digits(v).replace(/,/g, "")) ? ["", ""] : [t("money"), ""];
      case "coord":
        return isNaN(Number(v)) ? [t("coord"), ""] : ["", ""];
      case "number":
        var n = Number(digits(v).replace(/,/g, ""));
        if (isNaN(n)) return [t("number"), ""];
        var lo = el.getAttribute("data-min"), hi = el.getAttribute("data-max");
        if ((lo !== null && n < Number(lo)) || (hi !== null && n > Number(hi)))
          return [t("range", { min: lo === null ? "−∞" : lo, max: hi === null ? "∞" : hi }), ""];
        return ["", ""];
      case "date":
        var dt = parseDate(v);
        if (!dt) return [t("date"), ""];
        if (dt > new Date()) return [t("future"), ""];
        if (/birth_date$/.test(el.name)) {
          var a = age(dt, new Date());
          if (a > 120) return [t("old"), ""];
          return ["", t("age", { n: a })];
        }
        return ["", ""];
    }
    return ["", ""];
  }
  function show(el) {
    var r = check(el), field = el.closest(".hh-field"), out = document.getElementById(el.id + "-msg");
    if (!field || !out) return;
    field.classList.toggle("has-error", r[0] !== "");
    if (r[0]) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
    out.textContent = r[0] || r[1];
  }

  function renumber(form) {
    var n = 0;
    form.querySelectorAll("fieldset.member").forEach(function (fs) {
      var removed = fs.querySelector('input[name$=".remove"]');
      if (removed && removed.checked) return;
      var filled = fs.querySelector('input[name$=".first_name"]').value.trim() !== "";
      if (!fs.classList.contains("blank") || filled) {
        n++;
        fs.querySelector("legend").textContent = t("member", { n: n });
      }
    });
  }

  // refreshAsked asks the server which questions apply now and shows those.
  var pending = null;
  function refreshAsked(form) {
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch(form.getAttribute("data-asked"), { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (res) {
          if (!res) return;
          var asked = {}, known = {};
          res.asked.forEach(function (n) { asked[n] = true; });
          res.rows.forEach(function (r) { known[r] = true; });
          form.querySelectorAll(".hh-q").forEach(function (q) {
            var input = q.querySelector("select, input");
            var m = /^m([^.]+)\./.exec(input.name);
            if (m && !known[m[1]]) { q.hidden = input.value === ""; return; }
            q.hidden = !asked[input.name] && input.value === "";
          });
          form.querySelectorAll("fieldset.member").forEach(function (fs) {
            var note = fs.querySelector(".hh-noq");
            if (note) note.hidden = !!known[fs.getAttribute("data-row")];
          });
        })
        .catch(function () {});
    }, 400);
  }

  function initForm(form) {
    var el = document.getElementById("hh-msgs");
    if (el) msgs = JSON.parse(el.textContent);
    form.addEventListener("input", function (e) {
      if (e.target.hasAttribute("data-check")) show(e.target);
    });
    form.addEventListener("change", function (e) {
      var n = e.target.name || "";
      if (e.target.hasAttribute("data-check")) show(e.target);
      if (/\.(birth_date|relation|resident|disabled|chronic_ill|bedridden|dependent|welfare_card|education|remove)$/.test(n) ||
          /answers\./.test(n) || n === "survey_date") refreshAsked(form);
      if (/\.remove$/.test(n)) {
        e.target.closest("fieldset.member").classList.toggle("removed", e.target.checked);
      }
      if (/\.(first_name|remove)$/.test(n)) renumber(form);
    });
    var add = document.getElementById("add-member"), tpl = document.getElementById("member-template"),
      rows = document.getElementById("rows");
    if (add && tpl && rows) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var i = rows.value;
        var html = tpl.innerHTML.split("__i__").join(i);
        var box = document.createElement("div");
        box.innerHTML = html;
        var fs = box.firstElementChild;
        var res = fs.querySelector('input[name$=".resident"]');
        if (res) res.checked = true;
        add.parentNode.insertBefore(fs, add);
        rows.value = String(Number(i) + 1);
        fs.querySelector('input[name$=".first_name"]').focus();
      });
    }
    form.querySelectorAll("[data-check]").forEach(function (i) { if (i.value) show(i); });
    renumber(form);
  }

  function initImport(box) {
    var id = box.getAttribute("data-job");
    var state = document.getElementById("import-state"), bar = document.getElementById("import-progress");
    function poll() {
      fetch("/imports/" + encodeURIComponent(id), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.state === "done" || s.state === "failed" || s.error) { location.reload(); return; }
          if (bar && s.total) { bar.max = s.total; bar.value = s.done; }
          if (state && s.total && s.state === "writing") state.textContent = state.textContent.replace(/ \d.*$/, "") + " " + s.done + " / " + s.total;
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  }

  function init() {
    var form = document.getElementById("hh-form");
    if (form) initForm(form);
    var job = document.querySelector("#import-job[data-job]");
    if (job) initImport(job);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
