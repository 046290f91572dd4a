/* tambon chart.js — indicator charts drawn as SVG from a JSON block. No
 * dependencies, no eval, no inline handlers. Values are always written as text
 * and the two bar states differ by pattern as well as colour, so charts stay
 * readable in black-and-white print and for colour-blind readers.
 *
 * Bars (pass rate of each indicator, with its target):
 *   <figure class="chart" data-chart="bars" data-unit="%" data-title="…">
 *     <script type="application/json" class="chart-data">
 *       {"max": 100, "items": [{"label": "…", "value": 72.5, "target": 80, "href": "/indicators/1"}]}
 *     </script>
 *   </figure>
 *
 * With "min" above zero the value axis is zoomed and each value is a dot
 * instead of a bar (a bar must start at zero, or its length lies).
 *
 * Lines (trend across survey rounds):
 *   <figure class="chart" data-chart="lines" data-unit="%" data-title="…">
 *     <script type="application/json" class="chart-data">
 *       {"min": 90, "max": 100, "target": 80, "rounds": ["จปฐ. ปี 2565", …], "years": [2565, 2566, 2567],
 *        "series": [{"name": "…", "values": [61.2, 70, null]}]}
 *     </script>
 *     <table class="chart-fallback">…the same numbers…</table>
 *   </figure>
 * "years" places each round on a time axis by the year its data describes.
 *
 * Screen readers: a figure's table.chart-fallback is kept (visually hidden
 * once the chart is drawn) and the drawing is hidden from them; without a
 * table the drawing is a labelled group whose links name their values.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var MEETS = "#1f5f99";      // dark blue: at or above target
  var BELOW = "#c85200";      // dark orange, hatched: below target
  // Okabe–Ito colours with distinct dashes and markers for each series.
  var SERIES = [
    { colour: "#0072b2", dash: null, marker: "circle" },
    { colour: "#d55e00", dash: "7 4", marker: "square" },
    { colour: "#009e73", dash: "2 3", marker: "triangle" },
    { colour: "#cc79a7", dash: "9 3 2 3", marker: "diamond" },
    { colour: "#000000", dash: "4 2", marker: "circle" },
    { colour: "#e69f00", dash: "1 2", marker: "square" },
  ];
  var FONT = 14;
  // A white outline behind text drawn over lines keeps it legible.
  var HALO = { stroke: "#fff", "stroke-width": 3, "paint-order": "stroke", "stroke-linejoin": "round" };

  var lang = (document.documentElement.lang || "th").slice(0, 2);
  var T = lang === "en"
    ? { target: "Target", meets: "Meets target", below: "Below target", noData: "no data", hidden: "hidden" }
    : { target: "เป้าหมาย", meets: "ผ่านเป้าหมาย", below: "ต่ำกว่าเป้าหมาย", noData: "ไม่มีข้อมูล", hidden: "ซ่อนไว้" };
  var numberFormat = new Intl.NumberFormat(lang === "en" ? "en" : "th-TH", { maximumFractionDigits: 1 });
  var tickFormat = new Intl.NumberFormat(lang === "en" ? "en" : "th-TH", { maximumFractionDigits: 2 });
  var uid = 0;

  function el(name, attrs, parent, text) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function html(name, className, text, parent) {
    var e = document.createElement(name);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function isNum(v) { return typeof v === "number" && isFinite(v); }

  function fmt(v, unit) {
    if (!isNum(v)) return T.noData;
    return numberFormat.format(v) + (unit ? (unit === "%" ? "%" : " " + unit) : "");
  }

  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  function tickText(v, unit) { return tickFormat.format(v) + (unit ? (unit === "%" ? "%" : " " + unit) : ""); }

  // ticks are the grid values from min to max: every step if the server
  // chose one, else four equal parts.
  function ticks(min, max, step) {
    var out = [];
    if (!(isNum(step) && step > 0 && (max - min) / step <= 12)) step = (max - min) / 4;
    for (var i = 0; min + i * step <= max + step / 1000; i++) out.push(+(min + i * step).toPrecision(12));
    return out;
  }

  // fitText shortens a label to width pixels, keeping the full text in a <title>.
  function fitText(node, width) {
    var full = node.textContent;
    if (!node.getComputedTextLength || node.getComputedTextLength() <= width) return;
    var lo = 0, hi = full.length;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      node.textContent = full.slice(0, mid) + "…";
      if (node.getComputedTextLength() <= width) lo = mid; else hi = mid - 1;
    }
    node.textContent = full.slice(0, lo) + "…";
    el("title", {}, node, full);
  }

  function swatch(parent, draw) {
    var s = el("svg", { class: "chart-swatch", viewBox: "0 0 28 16", width: 28, height: 16, "aria-hidden": "true" }, parent);
    draw(s);
    return s;
  }

  function hatch(defs, id, colour) {
    var p = el("pattern", { id: id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    el("rect", { width: 6, height: 6, fill: "#fff" }, p);
    el("rect", { width: 3, height: 6, fill: colour }, p);
  }

  /* ---- horizontal bars ---- */

  function bars(figure, data, width, unit, title) {
    var items = data.items || [];
    var max = isNum(data.max) ? data.max : niceMax(Math.max.apply(null, items.map(function (d) {
      return Math.max(isNum(d.value) ? d.value : 0, isNum(d.target) ? d.target : 0);
    }).concat([0])));
    var min = isNum(data.min) && data.min > 0 && data.min < max ? data.min : 0;
    var dots = min > 0;
    var id = "chart-hatch-" + (++uid);
    var left = 4, valueSpace = 76, barH = 18, rowH = FONT + 10 + barH + 12, top = 4;
    var plotW = Math.max(80, width - left - valueSpace);
    var height = top + items.length * rowH + 24;
    var x = function (v) { return left + (Math.max(min, Math.min(v, max)) - min) / (max - min) * plotW; };

    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, class: "chart-svg", role: "group", "aria-label": title });
    hatch(el("defs", {}, svg), id, BELOW);
    var grid = el("g", { class: "chart-grid", stroke: "#d0d0d0", "stroke-width": 1 }, svg);
    var axis = el("g", { class: "chart-axis", "font-size": 12, fill: "#444", "text-anchor": "middle" }, svg);
    ticks(min, max, data.step).forEach(function (gv, i, all) {
      var gx = x(gv);
      el("line", { x1: gx, x2: gx, y1: top, y2: height - 20 }, grid);
      el("text", { x: gx, y: height - 6, "text-anchor": i === 0 ? "start" : i === all.length - 1 ? "end" : "middle" }, axis, tickText(gv, unit));
    });

    items.forEach(function (d, i) {
      var y = top + i * rowH;
      var row = el("g", { class: "chart-row" }, svg);
      var meets = !isNum(d.target) || (isNum(d.value) && d.value >= d.target);
      // A withheld figure (a small count, or one that would reveal one)
      // is said to be hidden, not missing.
      var shown = d.hidden ? T.hidden : fmt(d.value, unit);
      var said = (d.label || "") + ": " + shown +
        (isNum(d.target) ? ", " + T.target + " " + fmt(d.target, unit) + (isNum(d.value) ? " (" + (meets ? T.meets : T.below) + ")" : "") : "");
      var labelParent = d.href ? el("a", { href: d.href, "aria-label": said }, row) : row;
      // Shortened by draw() once it can be measured.
      el("text", { x: left, y: y + FONT + 2, "font-size": FONT, fill: "#111", class: "chart-label" }, labelParent, d.label || "");

      var by = y + FONT + 8;
      el("rect", { x: left, y: by, width: plotW, height: barH, fill: "#f1f1f1" }, row);
      if (isNum(d.value) && dots) {
        // A dot on the zoomed axis: no bar, whose length would start nowhere.
        if (meets) el("circle", { cx: x(d.value), cy: by + barH / 2, r: 7, fill: MEETS, stroke: "#fff", "stroke-width": 1.5 }, row);
        else el("rect", { x: x(d.value) - 6.5, y: by + barH / 2 - 6.5, width: 13, height: 13, fill: "url(#" + id + ")", stroke: BELOW, "stroke-width": 1.5 }, row);
      } else if (isNum(d.value)) {
        el("rect", {
          x: left, y: by, width: Math.max(1, x(d.value) - left), height: barH,
          fill: meets ? MEETS : "url(#" + id + ")", stroke: meets ? MEETS : BELOW, "stroke-width": 1,
        }, row);
      }
      if (isNum(d.target)) {
        var tx = x(d.target);
        el("line", { x1: tx, x2: tx, y1: by - 4, y2: by + barH + 4, stroke: "#000", "stroke-width": 2.5, class: "chart-target" }, row)
          .appendChild(el("title", {}, null, T.target + " " + fmt(d.target, unit)));
      }
      el("text", { x: left + plotW + 10, y: by + barH - 4, "font-size": FONT, "font-weight": 700, fill: "#111", class: "chart-value" },
        row, shown + (isNum(d.target) && isNum(d.value) ? (meets ? " ✓" : " ✗") : ""));
    });

    var legend = html("ul", "chart-legend");
    // Without targets there is nothing to meet: no legend at all.
    if (!items.some(function (d) { return isNum(d.target); })) return [svg];
    var li = html("li", null, undefined, legend);
    swatch(li, function (s) {
      if (dots) el("circle", { cx: 14, cy: 8, r: 6, fill: MEETS }, s);
      else el("rect", { x: 1, y: 3, width: 26, height: 10, fill: MEETS }, s);
    });
    html("span", null, T.meets + " ✓", li);
    li = html("li", null, undefined, legend);
    swatch(li, function (s) {
      hatch(el("defs", {}, s), id + "-key", BELOW);
      if (dots) el("rect", { x: 8, y: 2, width: 12, height: 12, fill: "url(#" + id + "-key)", stroke: BELOW }, s);
      else el("rect", { x: 1, y: 3, width: 26, height: 10, fill: "url(#" + id + "-key)", stroke: BELOW }, s);
    });
    html("span", null, T.below + " ✗", li);
    if (items.some(function (d) { return isNum(d.target); })) {
      li = html("li", null, undefined, legend);
      swatch(li, function (s) { el("line", { x1: 14, x2: 14, y1: 0, y2: 16, stroke: "#000", "stroke-width": 2.5 }, s); });
      html("span", null, T.target, li);
    }
    return [legend, svg];
  }

  /* ---- lines across rounds ---- */

  function marker(parent, kind, x, y, colour) {
    var r = 4.5, a = { fill: colour, stroke: "#fff", "stroke-width": 1.5 };
    if (kind === "square") return el("rect", Object.assign({ x: x - r, y: y - r, width: 2 * r, height: 2 * r }, a), parent);
    if (kind === "triangle") return el("path", Object.assign({ d: "M" + x + "," + (y - r - 1) + "L" + (x + r + 1) + "," + (y + r) + "L" + (x - r - 1) + "," + (y + r) + "Z" }, a), parent);
    if (kind === "diamond") return el("path", Object.assign({ d: "M" + x + "," + (y - r - 1) + "L" + (x + r + 1) + "," + y + "L" + x + "," + (y + r + 1) + "L" + (x - r - 1) + "," + y + "Z" }, a), parent);
    return el("circle", Object.assign({ cx: x, cy: y, r: r }, a), parent);
  }

  function lines(figure, data, width, unit, title) {
    var rounds = data.rounds || [], series = data.series || [];
    var all = [];
    series.forEach(function (s) { (s.values || []).forEach(function (v) { if (isNum(v)) all.push(v); }); });
    if (isNum(data.target)) all.push(data.target);
    var max = isNum(data.max) ? data.max : niceMax(Math.max.apply(null, all.concat([0])));
    var min = isNum(data.min) && data.min < max ? data.min : 0; // the axis starts at 0 unless told
    var years = Array.isArray(data.years) && data.years.length === rounds.length ? data.years : null;
    var m = { top: 22, right: 28, bottom: 46, left: 52 };
    var height = 316, plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
    // On a time axis: each round at the year its data describes.
    var y0 = years ? Math.min.apply(null, years) : 0, y1 = years ? Math.max.apply(null, years) : rounds.length - 1;
    var x = function (i) {
      var t = years ? years[i] : i;
      return m.left + (y1 === y0 ? plotW / 2 : (t - y0) * plotW / (y1 - y0));
    };
    var y = function (v) { return m.top + plotH - (Math.max(min, Math.min(v, max)) - min) / (max - min) * plotH; };

    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, class: "chart-svg", role: "img", "aria-label": title });
    var grid = el("g", { class: "chart-grid", stroke: "#d0d0d0", "stroke-width": 1 }, svg);
    var axis = el("g", { class: "chart-axis", "font-size": 12, fill: "#444" }, svg);
    ticks(min, max, data.step).forEach(function (v) {
      el("line", { x1: m.left, x2: m.left + plotW, y1: y(v), y2: y(v) }, grid);
      el("text", { x: m.left - 6, y: y(v) + 4, "text-anchor": "end" }, axis, tickText(v, unit));
    });
    // Under each point: the year its data describes, then the round's name,
    // shortened to the room it has (the table holds the full names).
    var room = rounds.map(function (r, i) {
      var gaps = [];
      if (i > 0) gaps.push(x(i) - x(i - 1));
      if (i < rounds.length - 1) gaps.push(x(i + 1) - x(i));
      return gaps.length ? Math.min.apply(null, gaps) - 8 : plotW;
    });
    rounds.forEach(function (r, i) {
      // The end labels hang inwards so long round names are not cut off.
      var anchor = rounds.length > 1 && i === 0 ? "start" : rounds.length > 1 && i === rounds.length - 1 ? "end" : "middle";
      var lx = x(i) + (anchor === "start" ? -m.left + 4 : anchor === "end" ? m.right - 4 : 0);
      if (years) {
        el("text", { x: lx, y: height - 26, "text-anchor": anchor, "font-size": 13, "font-weight": 700 }, axis, String(years[i]));
      }
      el("text", { x: lx, y: height - 8, "text-anchor": anchor, "font-size": 12, class: "chart-round", "data-room": Math.max(40, anchor === "middle" ? room[i] : room[i] * 0.9) }, axis, r);
    });
    if (isNum(data.target)) { // named in the legend, where it cannot hide a value
      var ty = y(data.target);
      el("line", { x1: m.left, x2: m.left + plotW, y1: ty, y2: ty, stroke: "#000", "stroke-width": 1.5, "stroke-dasharray": "10 4", class: "chart-target" }, svg)
        .appendChild(el("title", {}, null, T.target + " " + fmt(data.target, unit)));
    }

    var labels = []; // per round: the value labels to place
    series.forEach(function (s, si) {
      var style = SERIES[si % SERIES.length];
      var g = el("g", { class: "chart-series" }, svg);
      var d = "", pen = false;
      (s.values || []).forEach(function (v, i) {
        if (!isNum(v)) { pen = false; return; }
        d += (pen ? "L" : "M") + x(i).toFixed(1) + "," + y(v).toFixed(1);
        pen = true;
      });
      el("path", { d: d, fill: "none", stroke: style.colour, "stroke-width": 2.5, "stroke-dasharray": style.dash, "stroke-linejoin": "round" }, g);
      (s.values || []).forEach(function (v, i) {
        if (!isNum(v)) return;
        marker(g, style.marker, x(i), y(v), style.colour);
        (labels[i] = labels[i] || []).push({ y: y(v), text: fmt(v, unit), colour: style.colour });
      });
    });

    // Value labels sit above their points; where series are close at one
    // round, the higher labels move up so none hides another.
    var texts = el("g", { class: "chart-values" }, svg);
    labels.forEach(function (col, i) {
      if (!col) return;
      col.sort(function (a, b) { return b.y - a.y; }); // lowest on the chart first
      var gap = 14, base = col.map(function (l) { return l.y - 9; });
      for (var k = 1; k < base.length; k++) base[k] = Math.min(base[k], base[k - 1] - gap);
      var under = m.top - 2 - base[base.length - 1];
      if (under > 0) for (k = 0; k < base.length; k++) base[k] += under;
      var first = i === 0 && rounds.length > 1, last = i === rounds.length - 1 && rounds.length > 1;
      col.forEach(function (l, k) {
        el("text", Object.assign({
          x: x(i) + (first ? -4 : last ? 4 : 0), y: base[k], "text-anchor": first ? "start" : last ? "end" : "middle",
          "font-size": 12, "font-weight": 700, fill: "#111", class: "chart-value",
        }, HALO), texts, l.text);
      });
    });

    var legend = html("ul", "chart-legend");
    series.forEach(function (s, si) {
      var style = SERIES[si % SERIES.length];
      var li = html("li", null, undefined, legend);
      swatch(li, function (sw) {
        el("line", { x1: 1, x2: 27, y1: 8, y2: 8, stroke: style.colour, "stroke-width": 2.5, "stroke-dasharray": style.dash }, sw);
        marker(sw, style.marker, 14, 8, style.colour);
      });
      html("span", null, s.name || "", li);
    });
    if (isNum(data.target)) {
      var li = html("li", null, undefined, legend);
      swatch(li, function (sw) {
        el("line", { x1: 1, x2: 27, y1: 8, y2: 8, stroke: "#000", "stroke-width": 1.5, "stroke-dasharray": "6 3" }, sw);
      });
      html("span", null, T.target + " " + fmt(data.target, unit), li);
    }
    return [legend, svg];
  }

  /* ---- wiring ---- */

  function draw(figure) {
    var node = figure.querySelector('script[type="application/json"].chart-data') ||
      document.getElementById((figure.getAttribute("data-source") || "").replace(/^#/, ""));
    if (!node) return;
    var data;
    try {
      data = JSON.parse(node.textContent);
    } catch (err) {
      console.error("chart: bad JSON in", node, err);
      return;
    }
    var width = Math.max(280, Math.round(figure.clientWidth || 640));
    figure.setAttribute("data-chart-width", width);
    var unit = figure.getAttribute("data-unit") || data.unit || "";
    var title = figure.getAttribute("data-title") || data.title || "";
    var kind = figure.getAttribute("data-chart") || data.kind;
    var parts = kind === "lines" ? lines(figure, data, width, unit, title) : bars(figure, data, width, unit, title);

    Array.prototype.forEach.call(figure.querySelectorAll(".chart-svg, .chart-legend, .chart-title"),
      function (n) { n.remove(); });
    // The server's table stays for screen readers, out of sight; the drawing
    // is then hidden from them (it says the same), and its links leave the
    // tab order, which the table's own links or the page's tables keep.
    var table = figure.querySelector(".chart-fallback");
    if (table) {
      table.classList.add("sr");
      parts.forEach(function (p) {
        if (p.classList.contains("chart-svg")) {
          p.setAttribute("aria-hidden", "true");
          p.removeAttribute("role");
          Array.prototype.forEach.call(p.querySelectorAll("a"), function (a) { a.setAttribute("tabindex", "-1"); });
        }
      });
    }
    // After a leading figcaption (a title), before a trailing one (a caption).
    var caption = figure.querySelector(":scope > figcaption");
    if (title && !caption) figure.insertBefore(html("p", "chart-title", title), figure.firstChild);
    var at = caption && caption === figure.firstElementChild ? caption.nextSibling : caption;
    parts.forEach(function (p) { figure.insertBefore(p, at); });
    // Labels can only be measured once in the document: shorten them now.
    Array.prototype.forEach.call(figure.querySelectorAll(".chart-label"), function (t) {
      fitText(t, width - 12);
    });
    Array.prototype.forEach.call(figure.querySelectorAll(".chart-round"), function (t) {
      fitText(t, +t.getAttribute("data-room"));
    });
  }

  function init() {
    var figures = document.querySelectorAll("figure.chart[data-chart]");
    Array.prototype.forEach.call(figures, draw);
    if (!window.ResizeObserver) return;
    var ro = new ResizeObserver(function (entries) {
      entries.forEach(function (e) {
        var f = e.target, w = Math.round(f.clientWidth);
        if (Math.abs(w - (+f.getAttribute("data-chart-width") || 0)) > 24) draw(f);
      });
    });
    Array.prototype.forEach.call(figures, function (f) { ro.observe(f); });
  }

  window.TambonChart = { init: init, draw: draw };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
