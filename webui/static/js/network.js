// The theme and centrality networks: cytoscape (global `cytoscape`) draws the nodes and edges
// of the JSON in #network-data into #network. Each node carries its label, size, colour and
// href (its /id/… page, opened on click). The instance is window.govkgNetwork.
(function () {
  "use strict";
  var source = document.getElementById("network-data");
  var container = document.getElementById("network");
  if (!source || !container || typeof cytoscape === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var heaviest = 1;
  data.edges.forEach(function (e) { if (e.weight > heaviest) { heaviest = e.weight; } });
  var elements = data.nodes.map(function (n) {
    return { group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, size: n.size, colour: n.colour, href: n.href || "" } };
  }).concat(data.edges.map(function (e, i) {
    return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight || 1 } };
  }));
  var cy = cytoscape({
    container: container,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "width": "data(size)", "height": "data(size)", "background-color": "data(colour)",
        "label": "data(label)", "font-size": 10, "text-valign": "center", "text-halign": "center",
        "text-outline-color": "#ffffff", "text-outline-width": 2, "color": "#222222" } },
      { selector: "node[kind != 'unit'][kind != 'theme']", style: { "label": "" } },
      { selector: "node[href != '']", style: { "cursor": "pointer" } },
      { selector: "edge", style: {
        "width": "mapData(weight, 1, " + Math.max(heaviest, 2) + ", 1, 8)", "line-color": "#aaaaaa",
        "opacity": 0.55, "curve-style": "haystack" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#222222" } }
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 9000; },
              idealEdgeLength: function () { return 70; }, fit: true, padding: 20 }
  });
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.href = href; }
  });
  window.govkgNetwork = cy;
}());
