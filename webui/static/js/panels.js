// Charts of entity panels: each <canvas data-role-chart="ID"> is drawn from the JSON in the
// <script type="application/json" id="ID"> element: {labels: [...], series: [{role, values}], names: {role: label}}.
// Stacked bars, one series per role. Without JS (or Chart.js) the tables beside it still hold the data.
(function () {
  "use strict";
  var colours = { lead: "#c0392b", responsible: "#2e86c1", cooperating: "#7fb3d5" };
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.roleChart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var names = data.names || {};
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) {
          return { label: names[s.role] || s.role, data: s.values, backgroundColor: colours[s.role] || "#999" };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.dataset.drawn = "yes";
  }
  function start() {
    var canvases = document.querySelectorAll("canvas[data-role-chart]");
    for (var i = 0; i < canvases.length; i++) { draw(canvases[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
