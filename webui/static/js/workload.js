// The unit workload bar chart: one horizontal bar per table row, stacked by role.
// Data: the JSON in #workload-chart-data (the table's rows, in its order). Needs Chart.js (global Chart).
(function () {
  "use strict";
  var source = document.getElementById("workload-chart-data");
  var canvas = document.getElementById("workload-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = { lead: "#e15759", responsible: "#4e79a7", cooperating: "#f28e2b" };
  var chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s) {
        return { label: s.role, data: s.data, backgroundColor: colours[s.role] || "#999999" };
      })
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { autoSkip: false } } },
      plugins: {
        tooltip: {
          callbacks: {
            footer: function (items) { return items.length ? "tasks: " + data.tasks[items[0].dataIndex] : ""; }
          }
        }
      },
      onClick: function (event, elements) {
        if (elements.length && data.hrefs[elements[0].index]) {
          window.location.href = data.hrefs[elements[0].index];
        }
      }
    }
  });
  window.govkgWorkloadChart = chart;
}());
