// Reprise diff report: renders from the embedded JSON on demand. No network, no libraries.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var app = document.getElementById("app");
  var meta = data.meta, endpoints = data.endpoints, samples = data.samples, rows = data.rows;
  var state = { endpoint: -1, onlyDiffs: false, onlyErrors: false, text: "", sample: -1, sort: "failed" };

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "class") el.className = attrs[k];
      else if (k.indexOf("on") === 0) el.addEventListener(k.slice(2), attrs[k]);
      else el.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c != null) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return el;
  }
  function ms(v) { return v == null || isNaN(v) ? "–" : (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + " ms"; }
  function pct(v) { return (v * 100).toFixed(v < 0.01 && v > 0 ? 2 : 1) + "%"; }
  function num(v) { return Number(v).toLocaleString("en-US"); }
  function signed(v, d) { return (v >= 0 ? "+" : "") + v.toFixed(d); }
  var epIndex = {}; endpoints.forEach(function (e, i) { epIndex[e.name] = i; });

  // ---- filters ---------------------------------------------------------------------------------
  var select = h("select", { id: "f-endpoint", onchange: function () { setEndpoint(parseInt(select.value, 10)); } },
    [h("option", { value: "-1", text: "All endpoints (" + endpoints.length + ")" })].concat(endpoints.map(function (e, i) {
      return h("option", { value: String(i), text: (e.failed ? "✗ " : "✓ ") + e.name });
    })));
  var search = h("input", { type: "search", id: "f-text", placeholder: "filter by path, location or text…", oninput: function () { state.text = search.value.toLowerCase(); refresh(); } });
  var cbDiffs = h("input", { type: "checkbox", id: "f-diffs", onchange: function () { state.onlyDiffs = cbDiffs.checked; refresh(); } });
  var cbErrors = h("input", { type: "checkbox", id: "f-errors", onchange: function () { state.onlyErrors = cbErrors.checked; refresh(); } });
  app.appendChild(h("div", { class: "filters" }, [h("label", null, ["Endpoint ", select]), search,
    h("label", null, [cbDiffs, " only with differences"]), h("label", null, [cbErrors, " only new errors"])]));

  // ---- endpoints table ---------------------------------------------------------------------------
  app.appendChild(h("h2", { text: "Endpoints" }));
  var epBody = h("tbody");
  var cols = [["", "failed"], ["Endpoint", "name"], ["Exchanges", "exchanges", 1], ["Diffs", "diffs", 1], ["New errors", "errors", 1], ["Error rate", "errorRate", 1],
    ["p50", "p50", 1], ["p95", "p95", 1], ["p99", "p99", 1], ["p95 change (95% CI)", "delta"], ["Mann-Whitney p", "p", 1], ["Effect", "effect", 1]];
  var epHead = h("tr", null, cols.map(function (c) { return h("th", { class: c[2] ? "n" : "", onclick: function () { state.sort = c[1]; renderEndpoints(); } , text: c[0] }); }));
  app.appendChild(h("div", { style: "overflow:auto" }, [h("table", { id: "endpoints" }, [h("thead", null, [epHead]), epBody])]));
  app.appendChild(h("p", { class: "note", text: "Latency vs " + meta.latencyReference + ": reference → candidate. A p95 change is a regression only when its 95% bootstrap CI is above 0 and it is at least " + meta.floorMs + " ms (alpha " + meta.alpha + "). Effect is the rank-biserial correlation (Cliff's delta): +1 = every candidate request slower." }));

  function sortKey(e, key) {
    var l = e.latency;
    switch (key) {
      case "failed": return (e.failed ? 0 : 1) + "|" + e.name;
      case "name": return e.name;
      case "p50": return -l.candidateP50; case "p95": return -l.candidateP95; case "p99": return -l.candidateP99;
      case "delta": return -(l.candidateP95 - l.referenceP95); case "p": return l.pValue; case "effect": return -l.effect;
      default: return -(e[key] || 0);
    }
  }
  function renderEndpoints() {
    var order = endpoints.map(function (e, i) { return i; });
    order.sort(function (a, b) { var x = sortKey(endpoints[a], state.sort), y = sortKey(endpoints[b], state.sort); return x < y ? -1 : x > y ? 1 : 0; });
    epBody.textContent = "";
    order.forEach(function (i) {
      var e = endpoints[i], l = e.latency;
      var delta = l.referenceP95 > 0 ? (l.candidateP95 - l.referenceP95) / l.referenceP95 : 0;
      var ci = isNaN(l.p95DeltaLow) || l.p95DeltaLow == null ? "" : " (" + signed(l.p95DeltaLow, 1) + "…" + signed(l.p95DeltaHigh, 1) + " ms)";
      epBody.appendChild(h("tr", { class: "ep" + (state.endpoint === i ? " sel" : ""), title: e.reasons.join("; "), onclick: function () { setEndpoint(state.endpoint === i ? -1 : i); } }, [
        h("td", { class: e.failed ? "ko" : "ok", text: e.failed ? "✗" : "✓" }),
        h("td", { class: "mono", text: e.name }),
        h("td", { class: "n", text: num(e.exchanges) }),
        h("td", { class: "n" + (e.diffs > 0 ? " ko" : ""), text: num(e.diffs) }),
        h("td", { class: "n" + (e.errors > 0 ? " ko" : ""), text: num(e.errors) }),
        h("td", { class: "n", text: pct(e.referenceErrorRate) + " → " + pct(e.errorRate) }),
        h("td", { class: "n", text: (l.referenceCount ? ms(l.referenceP50) : "n/a") + " → " + (l.candidateCount ? ms(l.candidateP50) : "n/a") }),
        h("td", { class: "n", text: (l.referenceCount ? ms(l.referenceP95) : "n/a") + " → " + (l.candidateCount ? ms(l.candidateP95) : "n/a") }),
        h("td", { class: "n", text: (l.referenceCount ? ms(l.referenceP99) : "n/a") + " → " + (l.candidateCount ? ms(l.candidateP99) : "n/a") }),
        h("td", { class: l.p95Regression > 0 ? "sig" : "", text: signed(delta * 100, 0) + "%" + ci + (l.p95Regression > 0 ? " significant" : "") }),
        h("td", { class: "n", text: l.pValue < 0.0001 ? "<0.0001" : l.pValue.toFixed(4) }),
        h("td", { class: "n", text: signed(l.effect, 2) })]));
    });
  }

  // ---- latency plots (inline SVG, drawn for the selected endpoint) --------------------------------
  app.appendChild(h("h2", { id: "latency-title", text: "Latency" }));
  var plots = h("div", { class: "plots", id: "plots" });
  app.appendChild(plots);
  var SVG = "http://www.w3.org/2000/svg";
  function s(tag, attrs, text) { var el = document.createElementNS(SVG, tag); for (var k in attrs) el.setAttribute(k, attrs[k]); if (text != null) el.textContent = text; return el; }
  function axis(svg, x0, y0, w, hgt, ymax, label) {
    svg.appendChild(s("line", { x1: x0, y1: y0, x2: x0 + w, y2: y0, stroke: "#8c959f" }));
    svg.appendChild(s("line", { x1: x0, y1: y0, x2: x0, y2: y0 - hgt, stroke: "#8c959f" }));
    for (var i = 0; i <= 4; i++) {
      var y = y0 - hgt * i / 4;
      svg.appendChild(s("line", { x1: x0, y1: y, x2: x0 + w, y2: y, stroke: "#eef1f4" }));
      svg.appendChild(s("text", { x: x0 - 4, y: y + 4, "text-anchor": "end", "font-size": 10, fill: "#5b6570" }, label(ymax * i / 4)));
    }
  }
  function percentilePlot(e) {
    var p = e.plot, W = 440, H = 230, x0 = 56, y0 = 200, w = 370, hh = 180;
    // Plot up to p99.9 (the max is an outlier by definition); positions are spaced evenly by rank.
    var n = p.percentiles.length - 1;
    var ymax = Math.max(p.reference[n - 1] || 0, p.candidate[n - 1] || 0, 0.001) * 1.1;
    var svg = s("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "latency percentiles" });
    axis(svg, x0, y0, w, hh, ymax, function (v) { return v >= 10 ? v.toFixed(0) : v.toFixed(1); });
    [["reference", "#6e7781"], ["candidate", "#0969da"]].forEach(function (series) {
      var pts = [];
      for (var i = 0; i < n; i++) {
        var x = x0 + w * i / (n - 1), y = y0 - hh * Math.min(p[series[0]][i], ymax) / ymax;
        pts.push(x.toFixed(1) + "," + y.toFixed(1));
        svg.appendChild(s("circle", { cx: x, cy: y, r: 2.5, fill: series[1] }, null)).appendChild(s("title", {}, series[0] + " p" + p.percentiles[i] + ": " + ms(p[series[0]][i])));
      }
      svg.appendChild(s("polyline", { points: pts.join(" "), fill: "none", stroke: series[1], "stroke-width": 2 }));
    });
    for (var i = 0; i < n; i++) svg.appendChild(s("text", { x: x0 + w * i / (n - 1), y: y0 + 14, "text-anchor": "middle", "font-size": 9, fill: "#5b6570" }, "p" + p.percentiles[i]));
    return h("div", { class: "plot" }, [h("h3", { text: "Percentiles (ms)" }), svg, legend()]);
  }
  function histogram(e) {
    var p = e.plot, W = 440, H = 230, x0 = 40, y0 = 196, w = 390, hh = 176, bins = p.referenceBins.length;
    var rt = p.referenceBins.reduce(function (a, b) { return a + b; }, 0) || 1, ct = p.candidateBins.reduce(function (a, b) { return a + b; }, 0) || 1;
    var ymax = 0.001;
    for (var i = 0; i < bins; i++) ymax = Math.max(ymax, p.referenceBins[i] / rt, p.candidateBins[i] / ct);
    var svg = s("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "latency histogram" });
    axis(svg, x0, y0, w, hh, ymax, function (v) { return (v * 100).toFixed(0) + "%"; });
    var bw = w / bins;
    for (var j = 0; j < bins; j++) {
      var rh = hh * (p.referenceBins[j] / rt) / ymax, ch = hh * (p.candidateBins[j] / ct) / ymax;
      var label = ms(p.binEdges[j]) + "–" + ms(p.binEdges[j + 1]);
      svg.appendChild(s("rect", { x: x0 + j * bw + 1, y: y0 - rh, width: bw / 2 - 1, height: rh, fill: "#6e7781" })).appendChild(s("title", {}, "reference " + label + ": " + p.referenceBins[j]));
      svg.appendChild(s("rect", { x: x0 + j * bw + bw / 2, y: y0 - ch, width: bw / 2 - 1, height: ch, fill: "#0969da" })).appendChild(s("title", {}, "candidate " + label + ": " + p.candidateBins[j]));
      if (j % 4 === 0) svg.appendChild(s("text", { x: x0 + j * bw, y: y0 + 14, "font-size": 9, fill: "#5b6570" }, ms(p.binEdges[j])));
    }
    return h("div", { class: "plot" }, [h("h3", { text: "Histogram (share of requests, log-spaced bins)" }), svg, legend()]);
  }
  function legend() {
    return h("div", { class: "legend" }, [h("span", null, [h("i", { style: "background:#6e7781" }), meta.latencyReference]), h("span", null, [h("i", { style: "background:#0969da" }), "candidate"])]);
  }
  function renderPlots() {
    plots.textContent = "";
    var i = state.endpoint >= 0 ? state.endpoint : pickEndpoint();
    if (i < 0) { plots.appendChild(h("div", { class: "empty", text: "No endpoints." })); return; }
    document.getElementById("latency-title").textContent = "Latency: " + endpoints[i].name + (state.endpoint < 0 ? " (select an endpoint to change)" : "");
    plots.appendChild(percentilePlot(endpoints[i]));
    plots.appendChild(histogram(endpoints[i]));
  }
  function pickEndpoint() {
    if (!endpoints.length) return -1;
    var best = 0;
    endpoints.forEach(function (e, i) { if (e.latency.p95Regression > endpoints[best].latency.p95Regression || (e.failed && !endpoints[best].failed)) best = i; });
    return best;
  }

  // ---- differences: sample list + side-by-side viewer -----------------------------------------------
  app.appendChild(h("h2", { text: "Differences" }));
  var sampleList = h("div", { class: "samples", id: "samples" });
  var viewer = h("div", { class: "viewer", id: "diff-view" });
  app.appendChild(h("div", { class: "grid" }, [sampleList, viewer]));
  var sampleNote = h("p", { class: "note" });
  app.appendChild(sampleNote);
  function sampleMatches(x) {
    if (state.endpoint >= 0 && epIndex[x.endpoint] !== state.endpoint) return false;
    var st = parseInt(x.actualStatus, 10);
    if (state.onlyErrors && !(isNaN(st) || st >= 500)) return false;
    if (!state.text) return true;
    if (x.url.toLowerCase().indexOf(state.text) >= 0) return true;
    return x.differences.some(function (d) { return d.location.toLowerCase().indexOf(state.text) >= 0 || String(d.actual).toLowerCase().indexOf(state.text) >= 0 || String(d.expected).toLowerCase().indexOf(state.text) >= 0; });
  }
  function renderSamples() {
    sampleList.textContent = "";
    var shown = 0, first = -1;
    samples.forEach(function (x, i) {
      if (!sampleMatches(x)) return;
      if (first < 0) first = i;
      shown++;
      sampleList.appendChild(h("div", { class: "sample" + (i === state.sample ? " sel" : ""), "data-i": String(i), onclick: function () { openSample(i); } }, [
        h("div", { class: "mono", text: x.endpoint + "  " + x.expectedStatus + " → " + x.actualStatus }),
        h("div", { class: "u", text: x.differences.length + " difference" + (x.differences.length === 1 ? "" : "s") + ": " + x.differences.slice(0, 3).map(function (d) { return d.location; }).join(", ") }),
        h("div", { class: "u", text: x.url })]));
    });
    if (!shown) sampleList.appendChild(h("div", { class: "empty", text: samples.length ? "No differences match the filters." : "No differences: every compared exchange matched (after noise)." }));
    sampleNote.textContent = "Showing " + shown + " of " + samples.length + " kept samples" + (meta.samplesOmitted ? "; " + num(meta.samplesOmitted) + " more exchanges with differences are counted but not kept (sample cap)" : "") +
      (meta.bodiesOmitted ? "; bodies of " + meta.bodiesOmitted + " samples omitted to keep this file small" : "") + ". Bodies are capped at " + num(meta.bodyCap) + " characters.";
    if (state.sample < 0 || !sampleMatches(samples[state.sample])) { if (first >= 0) openSample(first); else { state.sample = -1; viewer.textContent = ""; viewer.appendChild(h("div", { class: "empty", text: "Select a difference." })); } }
  }
  function openSample(i) {
    state.sample = i;
    var x = samples[i];
    Array.prototype.forEach.call(sampleList.children, function (c) { c.classList.toggle("sel", c.getAttribute("data-i") === String(i)); });
    viewer.textContent = "";
    var list = h("ul", { class: "dlist" }, x.differences.map(function (d) {
      var text = d.kind === "added" ? "added " + d.actual : d.kind === "removed" ? "removed (was " + d.expected + ")" : d.expected + " → " + d.actual;
      return h("li", null, [h("code", { class: "k-" + d.kind, text: d.location }), " " + text]);
    }));
    viewer.appendChild(h("div", { class: "top" }, [h("div", { class: "mono", text: x.method + " " + x.url }),
      h("div", { class: "note", text: "recorded " + x.recordedId + " (status " + x.expectedStatus + ") · result " + x.resultId + " (status " + x.actualStatus + ")" + (x.bodiesTruncated ? " · bodies truncated" : "") }), list]));
    viewer.appendChild(h("div", { class: "sbs-wrap" }, [sideBySide(x.expectedBody || "", x.actualBody || "")]));
  }
  // Line diff: common prefix/suffix, then LCS on the middle (bounded; beyond the bound the middle is one change).
  function lineDiff(a, b) {
    var start = 0, ea = a.length, eb = b.length, out = [];
    while (start < ea && start < eb && a[start] === b[start]) start++;
    while (ea > start && eb > start && a[ea - 1] === b[eb - 1]) { ea--; eb--; }
    for (var i = 0; i < start; i++) out.push(["", i, i]);
    var n = ea - start, m = eb - start;
    if (n * m > 4000000) { for (var k = 0; k < Math.max(n, m); k++) out.push([k < n && k < m ? "chg" : k < n ? "del" : "add", k < n ? start + k : -1, k < m ? start + k : -1]); }
    else {
      var L = new Array(n + 1); for (i = 0; i <= n; i++) L[i] = new Int32Array(m + 1);
      for (i = n - 1; i >= 0; i--) for (var j = m - 1; j >= 0; j--) L[i][j] = a[start + i] === b[start + j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
      var x = 0, y = 0, dels = [], adds = [];
      var flush = function () { var c = Math.max(dels.length, adds.length); for (var q = 0; q < c; q++) out.push([q < dels.length && q < adds.length ? "chg" : q < dels.length ? "del" : "add", q < dels.length ? dels[q] : -1, q < adds.length ? adds[q] : -1]); dels = []; adds = []; };
      while (x < n || y < m) {
        if (x < n && y < m && a[start + x] === b[start + y]) { flush(); out.push(["", start + x, start + y]); x++; y++; }
        else if (y >= m || (x < n && L[x + 1][y] >= L[x][y + 1])) { dels.push(start + x); x++; }
        else { adds.push(start + y); y++; }
      }
      flush();
    }
    for (i = ea; i < a.length; i++) out.push(["", i, eb + (i - ea)]);
    return out;
  }
  function sideBySide(left, right) {
    var a = left.split("\n"), b = right.split("\n");
    var body = h("tbody");
    var ops = lineDiff(a, b);
    ops.forEach(function (op) {
      body.appendChild(h("tr", { class: op[0] }, [h("td", { class: "ln", text: op[1] >= 0 ? String(op[1] + 1) : "" }), h("td", { class: "l", text: op[1] >= 0 ? a[op[1]] : "" }),
        h("td", { class: "ln", text: op[2] >= 0 ? String(op[2] + 1) : "" }), h("td", { class: "r", text: op[2] >= 0 ? b[op[2]] : "" })]));
    });
    return h("table", { class: "sbs" }, [h("thead", null, [h("tr", null, [h("th", { class: "ln" }), h("th", { text: "recorded" }), h("th", { class: "ln" }), h("th", { text: "replayed" })])]), body]);
  }

  // ---- exchanges: virtualised table over columnar rows --------------------------------------------------
  app.appendChild(h("h2", { text: "Exchanges" }));
  var vt = h("div", { class: "vt", id: "exchanges" });
  var spacer = h("div", { style: "position:relative" });
  vt.appendChild(h("div", { class: "hdr" }, ["Endpoint", "Path", "Status", "Recorded", "Replayed", "Diffs", "Error"].map(function (t) { return h("span", { text: t }); })));
  vt.appendChild(spacer);
  var rowNote = h("p", { class: "note" });
  app.appendChild(vt); app.appendChild(rowNote);
  var ROW = 24, visible = new Int32Array(0);
  function filterRows() {
    var n = rows.e.length, out = new Int32Array(n), c = 0, t = state.text;
    for (var i = 0; i < n; i++) {
      if (state.endpoint >= 0 && rows.e[i] !== state.endpoint) continue;
      if (state.onlyDiffs && rows.d[i] === 0) continue;
      if (state.onlyErrors && rows.err[i] === 0) continue;
      if (t && rows.p[i].toLowerCase().indexOf(t) < 0) continue;
      out[c++] = i;
    }
    visible = out.subarray(0, c);
    spacer.style.height = (c * ROW) + "px";
    rowNote.textContent = num(c) + " of " + num(n) + " exchanges" + (meta.rowsOmitted ? " (" + num(meta.rowsOmitted) + " more not embedded)" : "") + ". Rows with differences open in the viewer.";
    drawRows();
  }
  function drawRows() {
    var top = Math.max(0, Math.floor((vt.scrollTop - ROW) / ROW)), count = Math.ceil(vt.clientHeight / ROW) + 2;
    spacer.textContent = "";
    for (var k = top; k < Math.min(visible.length, top + count); k++) {
      var i = visible[k], d = rows.d[i];
      var row = h("div", { class: "row" + (d > 0 ? " d" : ""), style: "top:" + (k * ROW) + "px" }, [
        h("span", { class: "mono", text: (endpoints[rows.e[i]] || { name: "?" }).name }), h("span", { class: "mono", text: rows.p[i] }),
        h("span", { class: rows.s[i] !== rows.rs[i] ? "ko" : "", text: rows.rs[i] + (rows.s[i] !== rows.rs[i] ? " → " + rows.s[i] : "") }),
        h("span", { text: ms(rows.rm[i]) }), h("span", { text: ms(rows.m[i]) }),
        h("span", { class: d > 0 ? "ko" : "", text: String(d) }), h("span", { class: rows.err[i] ? "ko" : "", text: rows.err[i] ? "new" : "" })]);
      if (rows.x[i] >= 0) (function (si) { row.addEventListener("click", function () { openSample(si); viewer.scrollIntoView({ block: "nearest" }); }); })(rows.x[i]);
      spacer.appendChild(row);
    }
  }
  var pending = false;
  vt.addEventListener("scroll", function () { if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; drawRows(); }); } });

  // ---- noise list -------------------------------------------------------------------------------------
  app.appendChild(h("h2", { text: "Ignored as noise (" + data.noise.length + ")" }));
  var noiseBody = h("tbody");
  app.appendChild(h("div", { style: "max-height:420px;overflow:auto" }, [h("table", { id: "noise" }, [h("thead", null, [h("tr", null, [h("th", { text: "Endpoint" }), h("th", { text: "Location" }), h("th", { text: "Reason" }), h("th", { text: "Source" }), h("th", { class: "n", text: "Ignored" })])]), noiseBody])]));
  function renderNoise() {
    noiseBody.textContent = "";
    var shown = 0;
    data.noise.forEach(function (n) {
      if (state.endpoint >= 0 && n.endpoint !== endpoints[state.endpoint].name) return;
      if (state.text && (n.location + " " + n.reason).toLowerCase().indexOf(state.text) < 0) return;
      if (shown++ > 2000) return;
      noiseBody.appendChild(h("tr", null, [h("td", { class: "mono", text: n.endpoint }), h("td", { class: "mono", text: n.location }), h("td", { text: n.reason }), h("td", { text: n.source }), h("td", { class: "n", text: num(n.count) })]));
    });
    if (!shown) noiseBody.appendChild(h("tr", null, [h("td", { colspan: "5", class: "empty", text: "Nothing ignored here." })]));
  }
  app.appendChild(h("p", { class: "note", text: "Generated " + meta.generated + " by reprise diff." }));

  function setEndpoint(i) { state.endpoint = i; select.value = String(i); refresh(); }
  function refresh() { renderEndpoints(); renderPlots(); renderSamples(); filterRows(); renderNoise(); }
  refresh();
})();
