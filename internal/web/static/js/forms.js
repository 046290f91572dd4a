/* tambon forms.js — what makes the entry forms easier with a script. Every
 * form works without it: the server checks everything, answers with every
 * problem beside its field, and offers a few empty rows to fill.
 *
 *   a form with [aria-invalid="true"] fields    the focus moves to the first
 *   <div data-rows="followups">                 rows: "add" clones the last
 *     <div data-row="3"> … <button data-remove-row hidden>   row, "remove" drops one
 *     <button data-add-row hidden>
 *   <input type="date" data-be="id-of-output">  shows the date in พ.ศ. beside
 *                                               the browser's own picker
 *   <input type="search" data-filter="list-id" hidden>  filters a long list
 *                                               of checkboxes as one types
 *   <input data-area-picker="code-input-id" data-within="7005">  a combobox
 *                                               of area names from
 *                                               /api/v1/areas?q=; the code
 *                                               stays in the hidden input
 */
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  function each(sel, root, fn) { Array.prototype.forEach.call((root || document).querySelectorAll(sel), fn); }

  function init() {
    each("[data-rows]", null, rows);
    each("input[data-be]", null, beDate);
    each("input[data-filter]", null, filter);
    each("input[data-area-picker]", null, areaPicker);
    var bad = document.querySelector("form [aria-invalid=\"true\"]");
    if (bad) {
      bad.focus();
      if (bad.scrollIntoView) bad.scrollIntoView({ block: "center" });
    }
  }

  // rows lets a group of repeated inputs grow and shrink. Each row's inputs
  // are named prefix-N-field; a new row takes the next free N.
  function rows(box) {
    var prefix = box.getAttribute("data-rows");
    var add = box.querySelector("[data-add-row]");
    function wire(row) {
      var rm = row.querySelector("[data-remove-row]");
      if (!rm) return;
      rm.hidden = false;
      rm.addEventListener("click", function () {
        var next = row.nextElementSibling && row.nextElementSibling.matches("[data-row]") ? row.nextElementSibling : row.previousElementSibling;
        row.parentNode.removeChild(row);
        var f = next && next.matches("[data-row]") ? next.querySelector("input, select") : add;
        if (f) f.focus();
      });
    }
    each("[data-row]", box, wire);
    if (!add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var all = box.querySelectorAll("[data-row]");
      var last = all[all.length - 1];
      if (!last) return;
      var n = 0;
      each("[data-row]", box, function (r) { n = Math.max(n, +r.getAttribute("data-row")); });
      n++;
      var re = new RegExp("^" + prefix + "-\\d+-");
      var row = last.cloneNode(true);
      row.setAttribute("data-row", n);
      each(".field-error", row, function (e) { e.parentNode.removeChild(e); });
      each("[id], [for], [name], [aria-describedby], [data-be]", row, function (el) {
        ["id", "for", "name", "data-be"].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v) el.setAttribute(a, v.replace(re, prefix + "-" + n + "-"));
        });
        var d = el.getAttribute("aria-describedby");
        if (d) {
          d = d.split(" ").filter(function (x) { return !/-error$/.test(x); })
            .map(function (x) { return x.replace(re, prefix + "-" + n + "-"); }).join(" ");
          if (d) el.setAttribute("aria-describedby", d); else el.removeAttribute("aria-describedby");
        }
        el.removeAttribute("aria-invalid");
      });
      each("input", row, function (i) {
        if (i.type === "hidden" || i.type === "text" || i.type === "date" || i.type === "search") i.value = "";
      });
      each("select", row, function (s) { s.selectedIndex = 0; });
      each("output", row, function (o) { o.textContent = ""; });
      each(".row-number", row, function (s) { s.textContent = String(box.querySelectorAll("[data-row]").length + 1); });
      last.parentNode.insertBefore(row, last.nextSibling);
      wire(row);
      each("input[data-be]", row, beDate);
      var first = row.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    });
  }

  // beDate writes the picked date in พ.ศ. (Thai) or as "31 Jan 2027" next to
  // the browser's picker, whose own display follows the device's settings.
  var fmt = null;
  try {
    fmt = new Intl.DateTimeFormat(en ? "en-GB" : "th-TH-u-ca-buddhist", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  } catch (e) { fmt = null; }
  function beDate(input) {
    var out = document.getElementById(input.getAttribute("data-be"));
    if (!out || !fmt) return;
    function show() {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
      out.textContent = m ? fmt.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))) : "";
    }
    input.addEventListener("change", show);
    input.addEventListener("input", show);
    show();
  }

  // filter hides the checkboxes of a long list whose label does not contain
  // what was typed; the chosen ones always stay in view.
  function filter(input) {
    var list = document.getElementById(input.getAttribute("data-filter"));
    if (!list) return;
    input.hidden = false;
    var label = document.querySelector("label[for=\"" + input.id + "\"]");
    if (label) label.hidden = false;
    var none = list.querySelector("[data-none]");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      each("label", list, function (l) {
        var box = l.querySelector("input");
        var names = (l.getAttribute("data-names") || "") + " " + l.textContent;
        var ok = !q || (box && box.checked) || names.toLowerCase().indexOf(q) >= 0;
        l.hidden = !ok;
        if (ok) shown++;
      });
      if (none) none.hidden = shown > 0;
    });
  }

  // areaPicker turns a text input into a combobox of areas: typing a name
  // (ตำบล, อำเภอ, หมู่บ้าน) lists the matches inside the account's area; one
  // is picked with the mouse or the arrow keys and Enter. Editing the text
  // again forgets the code, so the server then reads the name.
  function areaPicker(input) {
    var code = document.getElementById(input.getAttribute("data-area-picker"));
    var within = input.getAttribute("data-within") || "";
    if (!code) return;
    var list = document.createElement("ul");
    list.id = input.id + "-options";
    list.className = "area-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.replace(/\s*\*$/, "") : "");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.insertBefore(status, list.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var items = [], active = -1, timer = 0, asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(i) {
      active = i;
      each("[role=option]", list, function (o, k) { o.setAttribute("aria-selected", k === i ? "true" : "false"); });
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", list.id + "-" + i);
        var o = document.getElementById(list.id + "-" + i);
        if (o && o.scrollIntoView) o.scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function pick(i) {
      var m = items[i];
      if (!m) return;
      code.value = m.code;
      input.value = m.label;
      input.setAttribute("data-picked", m.label);
      close();
    }
    function show(ms) {
      items = ms;
      list.textContent = "";
      ms.forEach(function (m, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var b = document.createElement("strong");
        b.textContent = m.title;
        li.appendChild(b);
        if (m.path) {
          var s = document.createElement("span");
          s.textContent = " " + m.path;
          li.appendChild(s);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = ms.length === 0;
      input.setAttribute("aria-expanded", ms.length ? "true" : "false");
      status.textContent = ms.length ? (en ? ms.length + " areas found" : "พบ " + ms.length + " พื้นที่") : (en ? "No area of that name" : "ไม่พบพื้นที่ชื่อนี้");
      mark(-1);
    }
    function search() {
      var q = input.value.trim();
      if (q.length < 2) { show([]); status.textContent = ""; return; }
      var n = ++asked;
      var url = "/api/v1/areas?limit=12&q=" + encodeURIComponent(q) + (within ? "&within=" + encodeURIComponent(within) : "");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { matches: [] }; })
        .then(function (body) {
          if (n !== asked) return;
          show((body.matches || []).map(function (m) {
            var title = en ? m.title_en : m.title_th;
            var path = en ? m.path_en : m.path_th;
            return { code: m.code, title: title, path: path, label: path || title };
          }));
        })
        .catch(function () { if (n === asked) show([]); });
    }
    input.addEventListener("input", function () {
      if (input.value !== input.getAttribute("data-picked")) code.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 180);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && items.length) {
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        mark(Math.min(active + 1, items.length - 1));
      } else if (e.key === "ArrowUp" && items.length) {
        e.preventDefault();
        mark(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && !list.hidden && items.length) {
        e.preventDefault(); // picks the match (the first when none is marked), never sends the form
        pick(active >= 0 ? active : 0);
      } else if (e.key === "Escape" && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    // The Enter that picked a match does not also send the form (some
    // browsers and automation send its keypress on its own).
    var picked = false;
    input.addEventListener("keydown", function (e) { if (e.key === "Enter" && e.defaultPrevented) picked = true; });
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && picked) e.preventDefault();
      picked = false;
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
