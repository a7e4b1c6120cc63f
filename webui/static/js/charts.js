/* Charts of entity panels (theme timeline, indicator values, place years), drawn with the
   vendored Chart.js from data the page embeds:
     <script type="application/json" id="…-data" data-chart="CANVAS-ID">{"kind": "bar"|"line",
       "labels": [x…], "datasets": [{"label": …, "data": [y or null…], "measure"?: …}],
       "x": axis title, "y": axis title, "stacked"?: bool, "anchor"?: prefix}</script>
   With "anchor", clicking a bar or point scrolls to the table row with id
   PREFIX + dataset label + "-" + x label.  The tables beside the charts hold the same
   data, so the page reads the same without JavaScript.  Each drawn canvas gets
   data-rendered="true"; the charts are in window.govkgCharts by canvas id. */
(function () {
  "use strict";

  function draw(source) {
    var canvas = document.getElementById(source.getAttribute("data-chart"));
    if (!canvas || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var kind = spec.kind === "line" ? "line" : "bar";
    var chart = new Chart(canvas, {
      type: kind,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return { label: d.label, data: d.data, spanGaps: true, pointRadius: 4 };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: !!spec.stacked, title: { display: !!spec.x, text: spec.x } },
          y: { stacked: !!spec.stacked, beginAtZero: kind === "bar",
               title: { display: !!spec.y, text: spec.y },
               ticks: kind === "bar" ? { precision: 0 } : {} }
        },
        onClick: function (event, elements) {
          if (!spec.anchor || !elements.length) return;
          var e = elements[0];
          var id = spec.anchor + spec.datasets[e.datasetIndex].label + "-" + spec.labels[e.index];
          var row = document.getElementById(id);
          if (row) {
            row.scrollIntoView({ block: "center" });
            row.classList.add("chart-picked");
            setTimeout(function () { row.classList.remove("chart-picked"); }, 1500);
          }
        }
      }
    });
    window.govkgCharts[canvas.id] = chart;
    canvas.setAttribute("data-rendered", "true");
  }

  function drawAll() {
    window.govkgCharts = window.govkgCharts || {};
    var sources = document.querySelectorAll('script[type="application/json"][data-chart]');
    for (var i = 0; i < sources.length; i++) {
      if (!window.govkgCharts[sources[i].getAttribute("data-chart")]) draw(sources[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
