/* A YASR result view: a bar chart (Chart.js, vendored) of a number column against a label column.
 *
 * By default the first column whose values are all numbers (xsd:integer, xsd:decimal …)
 * is drawn against the first column of non-numeric literals (for unit-workload: tasks
 * by label), else the first column of IRIs, else, when every column holds numbers, the
 * second number column against the first (tasks by year); two selectors change the columns ("all number columns" draws one bar per
 * column and row).  Bars keep the order of the rows (the query's ORDER BY).  IRIs used as
 * labels are shortened with the known prefixes.  The drawn canvas has id "result-chart"
 * (moved to the most recently drawn chart) and class "govkg-chart".
 *
 * Register with Yasgui.Yasr.registerPlugin("chart", GovkgYasrChart).  The column analysis
 * (`analyse`, `termLabel`) is exported for node as well.
 */
(function (root) {
  "use strict";

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = [
    "integer", "decimal", "float", "double", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
  ].map(function (name) { return XSD + name; });
  var MAX_BARS = 200;
  var ALL = "*";
  var COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"];

  function isNumber(term) {
    return !!term && term.type !== "uri" && term.type !== "bnode" && NUMERIC.indexOf(term.datatype) >= 0 &&
      isFinite(parseFloat(term.value));
  }

  /* Which columns hold numbers only, which can label the bars, and the default choice. */
  function analyse(variables, bindings) {
    var numeric = [];
    var labels = [];
    var literalLabels = [];
    variables.forEach(function (v) {
      var bound = bindings.filter(function (row) { return row[v] !== undefined; });
      if (!bound.length) return;
      if (bound.every(function (row) { return isNumber(row[v]); })) {
        numeric.push(v);
        return;
      }
      labels.push(v);
      if (bound.every(function (row) { return row[v].type !== "uri" && row[v].type !== "bnode"; })) literalLabels.push(v);
    });
    var label = literalLabels.length ? literalLabels[0] : (labels.length ? labels[0] : null);
    if (label === null && numeric.length > 1) {
      /* numbers only (year, count): the first labels the bars of the second */
      return { numeric: numeric, labels: labels, value: numeric[1], label: numeric[0] };
    }
    return { numeric: numeric, labels: labels, value: numeric.length ? numeric[0] : null, label: label };
  }

  /* A term as bar label: literals as written, IRIs as prefix:name or their last segment. */
  function termLabel(term, prefixes) {
    if (!term) return "";
    if (term.type !== "uri") return term.value;
    var names = Object.keys(prefixes || {});
    for (var i = 0; i < names.length; i++) {
      var ns = prefixes[names[i]];
      if (ns && term.value.indexOf(ns) === 0 && term.value.length > ns.length) return names[i] + ":" + term.value.slice(ns.length);
    }
    var tail = term.value.replace(/[\/#]+$/, "");
    var last = tail.slice(Math.max(tail.lastIndexOf("/"), tail.lastIndexOf("#")) + 1);
    try {
      return decodeURIComponent(last) || term.value;
    } catch (e) {
      return last || term.value;
    }
  }

  function GovkgYasrChart(yasr) {
    this.yasr = yasr;
    this.priority = 5; // below the table (10): never chosen unless asked for
    this.label = "Chart";
    this.chart = null;
  }

  GovkgYasrChart.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || (results.hasError && results.hasError()) || !results.getBindings) return null;
    var bindings = results.getBindings();
    if (!bindings || !bindings.length) return null;
    var variables = results.getVariables();
    return { variables: variables, bindings: bindings, found: analyse(variables, bindings) };
  };

  GovkgYasrChart.prototype.canHandleResults = function () {
    var columns = this.columns();
    return !!columns && columns.found.numeric.length > 0;
  };

  GovkgYasrChart.prototype.getIcon = function () {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "15");
    svg.setAttribute("height", "15");
    [[1, 9, 3, 6], [6, 4, 3, 11], [11, 7, 3, 8]].forEach(function (r) {
      var bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", r[0]);
      bar.setAttribute("y", r[1]);
      bar.setAttribute("width", r[2]);
      bar.setAttribute("height", r[3]);
      bar.setAttribute("fill", "currentColor");
      svg.appendChild(bar);
    });
    return svg;
  };

  GovkgYasrChart.prototype.destroy = function () {
    if (this.chart) this.chart.destroy();
    this.chart = null;
  };

  function selector(id, title, options, chosen, onChange) {
    var label = document.createElement("label");
    label.textContent = title + " ";
    var select = document.createElement("select");
    select.className = "govkg-chart-" + id;
    options.forEach(function (option) {
      var element = document.createElement("option");
      element.value = option[0];
      element.textContent = option[1];
      if (option[0] === chosen) element.selected = true;
      select.appendChild(element);
    });
    select.addEventListener("change", function () { onChange(select.value); });
    label.appendChild(select);
    return label;
  }

  GovkgYasrChart.prototype.draw = function (persistentConfig) {
    var self = this;
    var columns = this.columns();
    var el = this.yasr.resultsEl;
    this.destroy();
    if (!columns || !columns.found.numeric.length) {
      var none = document.createElement("p");
      none.textContent = "No column of numbers to chart.";
      el.appendChild(none);
      return;
    }
    var found = columns.found;
    var saved = persistentConfig || {};
    var value = saved.value === ALL || found.numeric.indexOf(saved.value) >= 0 ? saved.value : found.value;
    var label = saved.label === "" || columns.variables.indexOf(saved.label) >= 0 ? saved.label : found.label;
    if (label === null || label === undefined) label = "";

    var choose = function (change) {
      var next = { value: value, label: label };
      Object.keys(change).forEach(function (k) { next[k] = change[k]; });
      self.yasr.storePluginConfig("chart", next);
      while (el.firstChild) el.removeChild(el.firstChild);
      self.draw(next);
    };

    var controls = document.createElement("div");
    controls.className = "govkg-chart-controls";
    var valueOptions = found.numeric.map(function (v) { return [v, "?" + v]; });
    if (found.numeric.length > 1) valueOptions.push([ALL, "all number columns"]);
    controls.appendChild(selector("value", "Bars:", valueOptions, value, function (v) { choose({ value: v }); }));
    var labelOptions = [["", "(row number)"]].concat(columns.variables.map(function (v) { return [v, "?" + v]; }));
    controls.appendChild(selector("label", " against:", labelOptions, label, function (v) { choose({ label: v }); }));

    var rows = columns.bindings.slice(0, MAX_BARS);
    if (columns.bindings.length > MAX_BARS) {
      var cut = document.createElement("span");
      cut.className = "govkg-chart-note";
      cut.textContent = " the first " + MAX_BARS + " of " + columns.bindings.length + " rows";
      controls.appendChild(cut);
    }
    el.appendChild(controls);

    var prefixes = this.yasr.getPrefixes ? this.yasr.getPrefixes() : {};
    var labels = rows.map(function (row, i) { return label ? termLabel(row[label], prefixes) : String(i + 1); });
    var drawn = value === ALL ? found.numeric : [value];
    var datasets = drawn.map(function (v, i) {
      return {
        label: "?" + v,
        data: rows.map(function (row) { return row[v] ? parseFloat(row[v].value) : null; }),
        backgroundColor: COLOURS[i % COLOURS.length],
      };
    });

    var box = document.createElement("div");
    box.className = "govkg-chart-box";
    box.style.position = "relative";
    box.style.height = Math.max(160, rows.length * 18 * drawn.length + 70) + "px";
    var canvas = document.createElement("canvas");
    canvas.className = "govkg-chart";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Bar chart of " + drawn.map(function (v) { return "?" + v; }).join(", ") +
      (label ? " by ?" + label : ""));
    var previous = document.getElementById("result-chart");
    if (previous) previous.removeAttribute("id");
    canvas.id = "result-chart";
    box.appendChild(canvas);
    el.appendChild(box);

    if (typeof Chart === "undefined") {
      box.textContent = "Chart.js did not load.";
      return;
    }
    this.chart = new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: drawn.length > 1 } },
        scales: {
          x: { beginAtZero: true, title: { display: true, text: drawn.length > 1 ? "" : "?" + value } },
          y: { ticks: { autoSkip: false } },
        },
      },
    });
  };

  GovkgYasrChart.analyse = analyse;
  GovkgYasrChart.termLabel = termLabel;
  if (typeof module !== "undefined" && module.exports) module.exports = GovkgYasrChart;
  else root.GovkgYasrChart = GovkgYasrChart;
})(typeof window !== "undefined" ? window : this);
