/* tambon map.js — choropleth maps of provinces, amphoe and tambons drawn as SVG
 * from the embedded TopoJSON layers. No dependencies, no eval, no inline handlers
 * (works under a strict Content-Security-Policy).
 *
 * Markup (the page also shows the same numbers as a table, so nothing is lost
 * without JavaScript):
 *
 *   <figure class="map"
 *           data-topo="/static/geo/subdistrict/70.topo.json"  TopoJSON URL (required)
 *           data-href="/areas/{code}"       link for each area; {code} is replaced (optional)
 *           data-title="ผ่านเกณฑ์ จปฐ."       legend title (optional)
 *           data-unit="%"                    unit shown after values (optional)
 *           data-breaks="20,40,60,80"        4 class limits (optional; default: equal steps)
 *           data-within="7005"               only areas whose code starts with this (optional)
 *           data-values="id" data-points="id" JSON blocks elsewhere in the page (optional;
 *                                            default: the child scripts below)
 *           data-context="1"                 areas are background (one tambon); the points
 *                                            carry the values, classes and legend (optional)
 *           data-current="70051304"          the point of the page's own village, drawn larger
 *           data-credit="Boundaries: …">     attribution printed under the map (geo.Credit())
 *     <script type="application/json" class="map-values">{"700101": 72.5, "700102": null}</script>
 *     <script type="application/json" class="map-points">[{"code":"70010101","name":"…","lat":13.5,"lon":99.8}]</script>
 *     <figcaption>…</figcaption>
 *   </figure>
 *
 * A point with no lat/lon, or whose lat/lon falls outside the area named by its
 * "within" code, is placed inside that area, spread out from its neighbours
 * (villages without GPS still appear in their tambon). A point's "label" is
 * written beside it.
 *
 * Every feature of a layer carries "code", "name_th" and "name_en" properties.
 * Areas are links (<a> in the SVG) when data-href is set: Tab moves between
 * them, Enter or a click opens the area; hover or focus shows a tooltip.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  // ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe, and its
  // lightness still orders the classes when printed in grey.
  var COLOURS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
  var NO_DATA = "#e8e8e8";
  var HIDDEN = "#b3b3b3"; // withheld from the public: not "no data"
  var WIDTH = 800; // viewBox width; the SVG scales with its container

  var lang = (document.documentElement.lang || "th").slice(0, 2);
  var T = lang === "en"
    ? { noData: "No data", hidden: "Hidden (few households)", failed: "The map could not be loaded.", loading: "Loading map…", map: "Map" }
    : { noData: "ไม่มีข้อมูล", hidden: "ซ่อนไว้ (จำนวนน้อย)", failed: "โหลดแผนที่ไม่สำเร็จ", loading: "กำลังโหลดแผนที่…", map: "แผนที่" };
  var numberFormat = new Intl.NumberFormat(lang === "en" ? "en" : "th-TH", { maximumFractionDigits: 1 });

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
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

  // readJSON returns the parsed JSON of the block named by the figure's
  // data-<attr> (an element id) or of its child script.<className>.
  function readJSON(figure, attr, className, fallback) {
    var id = figure.getAttribute("data-" + attr);
    var node = id ? document.getElementById(id.replace(/^#/, ""))
      : figure.querySelector('script[type="application/json"].' + className);
    if (!node) return fallback;
    try {
      return JSON.parse(node.textContent);
    } catch (err) {
      console.error("map: bad JSON in", node, err);
      return fallback;
    }
  }

  /* ---- TopoJSON ---- */

  // decodeArcs turns quantized, delta-encoded arcs into [lon, lat] points.
  function decodeArcs(topo) {
    var t = topo.transform;
    return topo.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (p) {
        if (!t) return [p[0], p[1]];
        x += p[0];
        y += p[1];
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    });
  }

  // features flattens every object of the topology into {props, rings, type}.
  function features(topo) {
    var out = [];
    function walk(g) {
      if (!g) return;
      if (g.type === "GeometryCollection") { g.geometries.forEach(walk); return; }
      if (g.type === "Polygon") out.push({ props: g.properties || {}, polygons: [g.arcs] });
      else if (g.type === "MultiPolygon") out.push({ props: g.properties || {}, polygons: g.arcs });
    }
    Object.keys(topo.objects).forEach(function (k) { walk(topo.objects[k]); });
    return out;
  }

  /* ---- projection: equirectangular, x shrunk by cos(mid latitude) ---- */

  function fit(bounds, padding) {
    var k0 = Math.cos(((bounds[1] + bounds[3]) / 2) * Math.PI / 180);
    var w = (bounds[2] - bounds[0]) * k0 || 1, h = (bounds[3] - bounds[1]) || 1;
    var scale = (WIDTH - 2 * padding) / w;
    var height = Math.ceil(h * scale + 2 * padding);
    return {
      height: height,
      project: function (lon, lat) {
        return [padding + (lon - bounds[0]) * k0 * scale, padding + (bounds[3] - lat) * scale];
      },
    };
  }

  function boundsOf(feats, arcs) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    feats.forEach(function (f) {
      f.polygons.forEach(function (poly) {
        poly.forEach(function (ring) {
          ring.forEach(function (i) {
            arcs[i < 0 ? ~i : i].forEach(function (p) {
              if (p[0] < b[0]) b[0] = p[0];
              if (p[1] < b[1]) b[1] = p[1];
              if (p[0] > b[2]) b[2] = p[0];
              if (p[1] > b[3]) b[3] = p[1];
            });
          });
        });
      });
    });
    return b;
  }

  // ringsOf joins each ring's arcs end to start, in projected points.
  function ringsOf(f, projected) {
    var out = [];
    f.polygons.forEach(function (poly) {
      poly.forEach(function (ring) {
        var pts = [];
        ring.forEach(function (i) {
          var arc = i < 0 ? projected[~i].slice().reverse() : projected[i];
          pts = pts.concat(pts.length ? arc.slice(1) : arc);
        });
        out.push(pts);
      });
    });
    return out;
  }

  // pathData draws one feature.
  function pathData(f, projected) {
    return ringsOf(f, projected).map(function (pts) {
      return "M" + pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join("L") + "Z";
    }).join("");
  }

  // inside reports whether x,y is inside rings (even-odd rule).
  function inside(rings, x, y) {
    var hit = false;
    rings.forEach(function (r) {
      for (var i = 0, j = r.length - 1; i < r.length; j = i++) {
        var xi = r[i][0], yi = r[i][1], xj = r[j][0], yj = r[j][1];
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) hit = !hit;
      }
    });
    return hit;
  }

  // edgeDistance is the distance from x,y to the nearest ring vertex: a
  // cheap stand-in for the distance to the boundary on dense rings.
  function edgeDistance(rings, x, y) {
    var best = Infinity;
    rings.forEach(function (r) {
      r.forEach(function (p) {
        var dx = p[0] - x, dy = p[1] - y, d = dx * dx + dy * dy;
        if (d < best) best = d;
      });
    });
    return Math.sqrt(best);
  }

  // Placer spreads points inside an area: candidates on a grid inside the
  // rings, each new point where it is farthest from the points already
  // placed and from the boundary.
  function Placer(rings) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    rings.forEach(function (r) {
      r.forEach(function (p) {
        b[0] = Math.min(b[0], p[0]); b[1] = Math.min(b[1], p[1]);
        b[2] = Math.max(b[2], p[0]); b[3] = Math.max(b[3], p[1]);
      });
    });
    var step = Math.max(2, Math.sqrt((b[2] - b[0]) * (b[3] - b[1]) / 600));
    var cands = [];
    for (var y = b[1] + step / 2; y < b[3]; y += step) {
      for (var x = b[0] + step / 2; x < b[2]; x += step) {
        if (inside(rings, x, y)) cands.push({ x: x, y: y, edge: edgeDistance(rings, x, y), near: Infinity });
      }
    }
    if (!cands.length) cands.push({ x: (b[0] + b[2]) / 2, y: (b[1] + b[3]) / 2, edge: 1, near: Infinity });
    return {
      contains: function (x, y) { return inside(rings, x, y); },
      taken: function (x, y) {
        cands.forEach(function (c) { c.near = Math.min(c.near, Math.hypot(c.x - x, c.y - y)); });
      },
      next: function () {
        var best = cands[0], score = -1;
        cands.forEach(function (c) {
          var s = Math.min(c.near, 2 * c.edge);
          if (s > score) { score = s; best = c; }
        });
        this.taken(best.x, best.y);
        return [best.x, best.y];
      },
    };
  }

  /* ---- classes ---- */

  // niceStep rounds raw to the nearest of 1, 2, 2.5 or 5 times a power of ten.
  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m < 1.5 ? 1 : m < 2.25 ? 2 : m < 3.5 ? 2.5 : m < 7.5 ? 5 : 10) * p;
  }

  // domainOf reads the values' domain from data-min, data-max and
  // data-integer (a percentage: 0–100; a count: whole numbers).
  function domainOf(figure) {
    var lo = parseFloat(figure.getAttribute("data-min")), hi = parseFloat(figure.getAttribute("data-max"));
    return { min: isFinite(lo) ? lo : -Infinity, max: isFinite(hi) ? hi : Infinity, integer: figure.getAttribute("data-integer") === "1" };
  }

  // breaksFor returns 4 ascending limits splitting values into 5 classes:
  // data-breaks if given, else equal round steps over the data's range. The
  // lowest and highest classes are open ("< b1", "≥ b4"), so every value has
  // a class and the steps can stay round numbers. No limit passes the
  // domain's maximum, and counts get whole-number limits.
  function breaksFor(figure, values, dom) {
    var given = (figure.getAttribute("data-breaks") || "").split(",").map(Number).filter(isFinite);
    if (given.length === 4) return given;
    var nums = values.filter(function (v) { return typeof v === "number" && isFinite(v); });
    if (!nums.length) nums = [isFinite(dom.min) ? dom.min : 0];
    var lo = Math.min.apply(null, nums), hi = Math.max.apply(null, nums);
    if (hi === lo) { // one value: a range around it that stays in the domain
      if (hi + 1 <= dom.max) hi = lo + 1;
      else lo = Math.max(dom.min, hi - 1);
      if (hi === lo) hi = lo + 1;
    }
    var step = niceStep((hi - lo) / 5), start = Math.floor(lo / step) * step;
    while (start + 4 * step >= hi && step > (hi - lo) / 50) { // keep the top class in use
      step = niceStep(step / 1.6);
      start = Math.floor(lo / step) * step;
    }
    if (dom.integer) {
      step = Math.max(1, Math.round(step));
      start = Math.floor(lo);
      if (start + 4 * step > hi && step > 1) step = Math.max(1, Math.floor((hi - start) / 4));
    }
    // One value only: put it in the middle class, not at an edge.
    if (Math.min.apply(null, nums) === Math.max.apply(null, nums)) start = Math.max(isFinite(dom.min) ? dom.min : -Infinity, nums[0] - 2 * step);
    // The top limit must be a value the data can reach.
    while (start + 4 * step > dom.max && start - step >= dom.min - step) start -= step;
    return [1, 2, 3, 4].map(function (i) { return +(start + i * step).toPrecision(12); });
  }

  function classOf(v, breaks) {
    if (typeof v !== "number" || !isFinite(v)) return -1;
    var c = 0;
    while (c < breaks.length && v >= breaks[c]) c++;
    return c;
  }

  function isHidden(v) { return v === "hidden"; }
  function fillOf(v, c) { return isHidden(v) ? HIDDEN : c < 0 ? NO_DATA : COLOURS[c]; }

  function fmt(v, unit) {
    if (isHidden(v)) return T.hidden;
    if (typeof v !== "number" || !isFinite(v)) return T.noData;
    return numberFormat.format(v) + (unit ? (unit === "%" ? "%" : " " + unit) : "");
  }

  function nameOf(props) {
    return (lang === "en" ? props.name_en || props.name_th : props.name_th || props.name_en) || props.code || "";
  }

  /* ---- drawing ---- */

  function render(figure, topo) {
    var values = readJSON(figure, "values", "map-values", {}) || {};
    var points = readJSON(figure, "points", "map-points", []) || [];
    var unit = figure.getAttribute("data-unit") || "";
    var title = figure.getAttribute("data-title") || "";
    var hrefTemplate = figure.getAttribute("data-href");
    var within = figure.getAttribute("data-within") || "";
    var context = figure.getAttribute("data-context") === "1";
    var current = figure.getAttribute("data-current") || "";

    var arcs = decodeArcs(topo);
    var feats = features(topo).filter(function (f) {
      return String(f.props.code || "").indexOf(within) === 0;
    });
    if (!feats.length) throw new Error("no areas in " + figure.getAttribute("data-topo"));
    var proj = fit(boundsOf(feats, arcs), 8);
    var projected = arcs.map(function (arc) {
      return arc.map(function (p) { return proj.project(p[0], p[1]); });
    });

    var valueOf = function (p) { return p.code in values ? values[p.code] : p.value; };
    var dom = domainOf(figure);
    var breaks = breaksFor(figure, context && Array.isArray(points)
      ? points.map(valueOf)
      : feats.map(function (f) { return values[f.props.code]; }), dom);
    var counts = [0, 0, 0, 0, 0, 0], hidden = 0;
    var count = function (v, c) { if (isHidden(v)) hidden++; else counts[c + 1]++; };

    var svg = el("svg", {
      viewBox: "0 0 " + WIDTH + " " + proj.height,
      class: "map-svg",
      role: "group",
      "aria-label": title || T.map,
    });
    // Presentation attributes, not style: they survive a strict CSP and print.
    var areas = el("g", { class: "map-areas", stroke: "#6b6b6b", "stroke-width": 0.5, "stroke-linejoin": "round" }, svg);
    var highlight = el("path", {
      class: "map-highlight", d: "", fill: "none", stroke: "#000", "stroke-width": 2.5,
      "stroke-linejoin": "round", "pointer-events": "none", "aria-hidden": "true",
    });

    // The tooltip repeats each area's aria-label for sighted users only.
    var tip = html("div", "map-tip");
    tip.setAttribute("aria-hidden", "true");
    tip.hidden = true;

    function show(target, label, value) {
      tip.textContent = "";
      html("strong", null, label, tip);
      html("span", null, fmt(value, unit), tip);
      tip.hidden = false;
      var shape = target.querySelector("path"); // village points have none
      highlight.setAttribute("d", shape ? shape.getAttribute("d") : "");
    }
    function place(x, y) {
      var box = figure.getBoundingClientRect();
      var left = x - box.left + 12, top = y - box.top + 12;
      var w = tip.offsetWidth, h = tip.offsetHeight;
      if (left + w > box.width) left = Math.max(0, x - box.left - w - 12);
      if (top + h > box.height) top = Math.max(0, y - box.top - h - 12);
      tip.style.left = left + "px";
      tip.style.top = top + "px";
    }
    function hide() {
      tip.hidden = true;
      highlight.setAttribute("d", "");
    }
    function wire(node, label, value) {
      node.addEventListener("mouseenter", function (e) { show(node, label, value); place(e.clientX, e.clientY); });
      node.addEventListener("mousemove", function (e) { place(e.clientX, e.clientY); });
      node.addEventListener("mouseleave", hide);
      node.addEventListener("focus", function () {
        show(node, label, value);
        var r = node.getBoundingClientRect();
        place(r.left + r.width / 2, r.top + r.height / 2);
      });
      node.addEventListener("blur", hide);
    }
    function linkOrGroup(code, label, value, parent) {
      var aria = label + ": " + fmt(value, unit);
      if (hrefTemplate) {
        // The server's HTML escapes an attribute that holds a URL, so the
        // placeholder may arrive as %7bcode%7d.
        return el("a", { href: hrefTemplate.replace(/\{code\}|%7bcode%7d/gi, encodeURIComponent(code)), "aria-label": aria }, parent);
      }
      // Not a link: still focusable so keyboard users can read the values.
      return el("g", { tabindex: "0", role: "img", "aria-label": aria }, parent);
    }

    feats.sort(function (a, b) { return String(a.props.code).localeCompare(String(b.props.code)); });
    var ringsByCode = {};
    feats.forEach(function (f) {
      var code = String(f.props.code), v = values[code], c = classOf(v, breaks);
      ringsByCode[code] = ringsOf(f, projected);
      if (context) { // background: drawn, named on hover, not classed
        var g = el("g", { class: "map-area map-context", "aria-hidden": "true" }, areas);
        el("path", { d: pathData(f, projected), fill: "#f4f4ef", "fill-rule": "evenodd" }, g);
        return;
      }
      count(v, c);
      var node = linkOrGroup(code, nameOf(f.props), v, areas);
      node.setAttribute("class", "map-area");
      node.setAttribute("data-code", code);
      el("path", { d: pathData(f, projected), fill: fillOf(v, c), "fill-rule": "evenodd" }, node);
      wire(node, nameOf(f.props), v);
    });
    svg.appendChild(highlight);

    if (Array.isArray(points) && points.length) {
      var dots = el("g", { class: "map-points" }, svg);
      var placers = {}, labels = [], dotsAt = [];
      // The map scales with its box: on a phone, points and labels are drawn
      // larger in map units so that they stay readable and easy to touch.
      var zoom = Math.min(2.2, Math.max(1, WIDTH / Math.max(300, figure.clientWidth || WIDTH)));
      var placerOf = function (code) {
        if (!placers[code] && ringsByCode[code]) placers[code] = Placer(ringsByCode[code]);
        return placers[code];
      };
      var xys = points.map(function (p) {
        var xy = isFinite(p.lat) && isFinite(p.lon) && p.lat !== null && p.lon !== null ? proj.project(+p.lon, +p.lat) : null;
        var pl = p.within ? placerOf(String(p.within)) : null;
        if (xy && pl && !pl.contains(xy[0], xy[1])) xy = null; // GPS outside its tambon: not trusted
        if (xy && pl) pl.taken(xy[0], xy[1]);
        return xy;
      });
      points.forEach(function (p, i) {
        var xy = xys[i];
        if (!xy) {
          var pl = p.within ? placerOf(String(p.within)) : null;
          if (!pl) return;
          xy = pl.next();
        }
        var v = valueOf(p), c = classOf(v, breaks), me = String(p.code) === current;
        if (context) count(v, c);
        var node = linkOrGroup(String(p.code), p.name || String(p.code), v, dots);
        node.setAttribute("class", "map-point" + (me ? " map-current" : ""));
        node.setAttribute("data-code", String(p.code));
        el("circle", {
          cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: (me ? 9 : 6.5) * zoom,
          fill: context ? fillOf(v, c) : "#d95f02",
          stroke: me ? "#000" : "#333", "stroke-width": me ? 3 : 1.2,
        }, node);
        dotsAt.push({ x: xy[0], y: xy[1], r: (me ? 9 : 6.5) * zoom });
        if (p.label) labels.push({ node: node, x: xy[0], y: xy[1], r: (me ? 9 : 6.5) * zoom, text: p.label, me: me });
        wire(node, p.name || String(p.code), v);
      });
      placeLabels(labels, dotsAt, WIDTH, proj.height, zoom);
    }

    // Replace any server-drawn placeholder, keep the figcaption and JSON blocks.
    Array.prototype.forEach.call(figure.querySelectorAll(".map-fallback, .map-svg, .map-legend, .map-tip, .map-error"),
      function (n) { n.remove(); });
    var at = anchor(figure);
    figure.insertBefore(svg, at);
    dropOverlappingLabels(svg);
    figure.insertBefore(tip, at);
    figure.insertBefore(legend(title, unit, breaks, counts, dom, hidden), at);
    credit(figure);
  }

  // placeLabels writes each point's label beside it where it overlaps no
  // other label and no point: right, left, above, below, then the corners,
  // the page's own village first. A label with no free place is left out
  // (the point still names itself on hover, on focus and to screen readers).
  function placeLabels(labels, dots, width, height, zoom) {
    var boxes = [];
    var overlaps = function (b) {
      if (b.x < 0 || b.y < 0 || b.x + b.w > width || b.y + b.h > height) return true;
      for (var i = 0; i < boxes.length; i++) {
        var o = boxes[i];
        if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return true;
      }
      for (var j = 0; j < dots.length; j++) {
        var d = dots[j], cx = Math.max(b.x, Math.min(d.x, b.x + b.w)), cy = Math.max(b.y, Math.min(d.y, b.y + b.h));
        if (Math.hypot(cx - d.x, cy - d.y) < d.r + 1) return true;
      }
      return false;
    };
    labels.slice().sort(function (a, b) { return (b.me ? 1 : 0) - (a.me ? 1 : 0); }).forEach(function (l) {
      var size = (l.me ? 14 : 13) * zoom, h = size + 2, w = l.text.length * size * 0.58 + 4, gap = l.r + 3;
      var spots = [
        { x: l.x + gap, y: l.y - h / 2, anchor: "start" },
        { x: l.x - gap - w, y: l.y - h / 2, anchor: "end" },
        { x: l.x - w / 2, y: l.y - gap - h, anchor: "middle" },
        { x: l.x - w / 2, y: l.y + gap, anchor: "middle" },
        { x: l.x + gap * 0.7, y: l.y - gap * 0.7 - h, anchor: "start" },
        { x: l.x + gap * 0.7, y: l.y + gap * 0.7, anchor: "start" },
        { x: l.x - gap * 0.7 - w, y: l.y - gap * 0.7 - h, anchor: "end" },
        { x: l.x - gap * 0.7 - w, y: l.y + gap * 0.7, anchor: "end" },
      ];
      for (var i = 0; i < spots.length; i++) {
        var b = { x: spots[i].x, y: spots[i].y, w: w, h: h };
        if (overlaps(b)) continue;
        boxes.push(b);
        var tx = spots[i].anchor === "start" ? b.x : spots[i].anchor === "end" ? b.x + w : b.x + w / 2;
        el("text", {
          x: tx.toFixed(1), y: (b.y + h - 4).toFixed(1), "text-anchor": spots[i].anchor, class: "map-label",
          "font-size": size, fill: "#111", "font-weight": l.me ? 700 : 400,
          stroke: "#fff", "stroke-width": 3, "paint-order": "stroke", "aria-hidden": "true",
        }, l.node).textContent = l.text;
        return;
      }
    });
  }

  // dropOverlappingLabels measures the labels as drawn and removes any that
  // overlaps one kept before it (the page's own village first). placeLabels
  // works from an estimate of each label's width; the font actually used
  // (Sarabun, or the system's Thai font when Sarabun is not ready in time)
  // can be wider, and a label on top of another reads as neither. A label
  // left out still names its point on hover, on focus and to screen readers.
  function dropOverlappingLabels(svg) {
    var labels = Array.prototype.slice.call(svg.querySelectorAll(".map-label"));
    labels.sort(function (a, b) {
      return (b.closest(".map-current") ? 1 : 0) - (a.closest(".map-current") ? 1 : 0);
    });
    var kept = [];
    labels.forEach(function (t) {
      var r = t.getBoundingClientRect();
      var hit = kept.some(function (s) {
        return r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1;
      });
      if (hit) t.remove();
      else kept.push(r);
    });
  }

  // anchor is where drawn parts go: after a leading figcaption (a title),
  // before a trailing one (a caption), else at the end before the credit.
  function anchor(figure) {
    var caption = figure.querySelector(":scope > figcaption");
    if (caption && caption === figure.firstElementChild) return caption.nextSibling;
    return caption || figure.querySelector(":scope > .map-credit");
  }

  function legend(title, unit, breaks, counts, dom, hidden) {
    var box = html("div", "map-legend");
    if (title || unit) {
      html("p", "map-legend-title", title + (unit ? " (" + unit + ")" : ""), box);
    }
    var list = html("ul", null, undefined, box);
    function item(colour, text, n) {
      var li = html("li", null, undefined, list);
      var sw = el("svg", { class: "map-swatch", viewBox: "0 0 16 16", width: 16, height: 16, "aria-hidden": "true" }, li);
      el("rect", { x: 0.5, y: 0.5, width: 15, height: 15, fill: colour, stroke: "#555" }, sw);
      html("span", null, text, li);
      html("span", "map-legend-count", "(" + numberFormat.format(n) + ")", li);
    }
    // Enough decimals that neighbouring limits never read the same.
    var dec = dom.integer ? 0 : 1;
    while (dec < 4 && breaks.some(function (b, i) { return i > 0 && b.toFixed(dec) === breaks[i - 1].toFixed(dec); })) dec++;
    var limitFormat = new Intl.NumberFormat(lang === "en" ? "en" : "th-TH", { maximumFractionDigits: dec });
    var f = function (v) { return limitFormat.format(v); };
    // A class from a (included) to b (excluded); whole numbers name their
    // last member instead: 2–3 rather than 2 – 4.
    var range = function (a, b) {
      if (!dom.integer) return f(a) + " – " + f(b);
      return b - 1 <= a ? f(a) : f(a) + " – " + f(b - 1);
    };
    // Classes only when some area has a number: a map of hidden and missing
    // values has nothing to class.
    var numbered = counts.slice(1).some(function (n) { return n > 0; });
    COLOURS.forEach(function (c, i) {
      if (!numbered) return;
      var text;
      if (i === 0) text = isFinite(dom.min) ? range(Math.min(dom.min, breaks[0]), breaks[0]) : "< " + f(breaks[0]);
      else if (i === COLOURS.length - 1) {
        var top = breaks[i - 1];
        text = !isFinite(dom.max) ? "≥ " + f(top) : top >= dom.max ? f(dom.max) : f(top) + " – " + f(dom.max);
      } else text = range(breaks[i - 1], breaks[i]);
      if (i === 0 && isFinite(dom.min) && breaks[0] <= dom.min) return; // an empty class below the domain
      item(c, text, counts[i + 1]);
    });
    if (counts[0]) item(NO_DATA, T.noData, counts[0]);
    if (hidden) item(HIDDEN, T.hidden, hidden);
    return box;
  }

  function credit(figure) {
    var text = figure.getAttribute("data-credit");
    if (!text || figure.querySelector(".map-credit")) return;
    html("p", "map-credit", text, figure);
  }

  function fail(figure, err) {
    console.error("map:", err);
    figure.classList.remove("map-loading");
    figure.removeAttribute("aria-busy");
    if (!figure.querySelector(".map-error")) {
      figure.insertBefore(html("p", "map-error", T.failed), anchor(figure));
    }
  }

  function load(figure) {
    var url = figure.getAttribute("data-topo");
    if (!url || figure.getAttribute("data-map-ready")) return;
    figure.setAttribute("data-map-ready", "1");
    figure.classList.add("map-loading");
    figure.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      })
      .then(function (topo) {
        render(figure, topo);
        figure.classList.remove("map-loading");
        figure.removeAttribute("aria-busy");
      })
      .catch(function (err) { fail(figure, err); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("figure.map[data-topo]"), load);
  }

  window.TambonMap = { init: init, load: load };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
