/* The query page: YASGUI on this server's /sparql, the named queries as examples, permalinks.
 *
 * Reads its settings from <script id="query-config"> and the named queries from
 * <script id="named-queries"> (both JSON written by webui/querypage.py).  Talks to no
 * server but this one: the endpoint is fixed (the endpoint field is hidden), the
 * endpoint catalogue is empty, the vocabulary autocompleters that ask lov.linkeddata.es
 * are switched off and the prefix autocompleter reads the govkg prefixes from a data: URL.
 *
 * A query arrives as /query?query=TEXT (decoded by the server, handed over in the
 * config) or as YASGUI's own share link /query#query=TEXT&…; it opens in a tab (the one
 * already holding it, if any) and runs.  #query-status tells what happened:
 * data-state="running" | "done" (data-rows = number of rows) | "error".
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("query-config").textContent);
  var namedQueries = JSON.parse(document.getElementById("named-queries").textContent);
  var ENDPOINT = new URL(config.endpoint, window.location.href).href;
  var PAGE = new URL(config.page, window.location.href).href;

  var statusEl = document.getElementById("query-status");
  var permalinkEl = document.getElementById("permalink");
  var copyButton = document.getElementById("copy-permalink");
  var prefixButton = document.getElementById("add-prefixes");
  var textArea = document.getElementById("query-text");
  var form = document.getElementById("query-form");

  function permalinkFor(query) {
    return PAGE + "?query=" + encodeURIComponent(query);
  }

  function setStatus(state, text, rows) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
    if (rows === undefined) delete statusEl.dataset.rows;
    else statusEl.dataset.rows = String(rows);
  }

  /* YASGUI's share links put their parameters after '#', separated by & or ; with + for a space. */
  function hashParameters(hash) {
    var found = {};
    hash.replace(/^#/, "").split(/[&;]/).forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf("=");
      var key = at < 0 ? pair : pair.slice(0, at);
      var value = at < 0 ? "" : pair.slice(at + 1);
      try {
        found[decodeURIComponent(key.replace(/\+/g, "%20"))] = decodeURIComponent(value.replace(/\+/g, "%20"));
      } catch (e) {
        /* a malformed escape: ignore that pair */
      }
    });
    return found;
  }

  if (typeof Yasgui === "undefined") {
    setStatus("error", "The editor could not be loaded; the form below still runs queries.");
    return;
  }

  /* No requests to other servers. */
  var completers = Yasgui.Yasqe.defaults.autocompleters;
  for (var i = completers.length - 1; i >= 0; i--) {
    if (completers[i] === "property" || completers[i] === "class") completers.splice(i, 1);
  }
  Yasgui.Yasqe.defaults.prefixCcApi = "data:application/json," + encodeURIComponent(JSON.stringify(config.prefixes));
  Yasgui.Yasqe.defaults.value = config.default_query;

  /* Result views: the table, our chart, the raw response. */
  if (window.GovkgYasrChart) {
    Yasgui.Yasr.registerPlugin("chart", window.GovkgYasrChart);
  }
  Yasgui.Yasr.defaults.pluginOrder = ["table", "chart", "response"];

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: function () { return ENDPOINT; }, // a function: it wins over endpoints kept in old tabs
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
      acceptHeaderUpdate: "application/json", // an update is refused (403): have the reason as JSON
    },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return []; }, keys: [] },
    endpointInfo: function () {
      var info = document.createElement("span");
      info.className = "govkg-endpoint";
      info.textContent = "Endpoint: " + ENDPOINT;
      return info;
    },
    populateFromUrl: false, // done below, so that both link forms work and the endpoint stays ours
    persistenceId: "govkg-query",
    tabName: "Query",
    yasqe: { value: config.default_query, prefixCcApi: Yasgui.Yasqe.defaults.prefixCcApi },
    yasr: { prefixes: config.prefixes },
  });
  /* Tabs kept from an earlier visit lost the endpoint function on the way through
     localStorage: give them this server's endpoint (as text, which YASGUI also reads). */
  yasgui.persistentConfig.getTabs().forEach(function (id) {
    var kept = yasgui.persistentConfig.getTab(id);
    if (kept && kept.requestConfig) kept.requestConfig.endpoint = ENDPOINT;
  });
  textArea.hidden = true;
  copyButton.hidden = !(navigator.clipboard && window.isSecureContext);
  prefixButton.hidden = false;
  document.getElementById("named-query-filter").hidden = false;

  function currentQuery() {
    var tab = yasgui.getTab();
    return tab && tab.getYasqe() ? tab.getQuery() : "";
  }

  function updatePermalink() {
    var query = currentQuery();
    permalinkEl.href = permalinkFor(query);
    textArea.value = query; // the no-JS form stays in step (and serves tests reading it)
  }

  /* Give the active tab's result table and chart stable ids, and report in #query-status. */
  function markResults(yasr) {
    var tab = yasgui.getTab();
    if (!tab || tab.getYasr() !== yasr) return;
    var old = document.getElementById("result-table");
    if (old) old.removeAttribute("id");
    var table = yasr.resultsEl.querySelector("table");
    if (table) table.id = "result-table";
    var results = yasr.results;
    if (!results) return;
    if (results.hasError()) {
      setStatus("error", "Error: " + errorMessage(results.getError()));
      return;
    }
    var answer = results.getBoolean ? results.getBoolean() : undefined;
    var bindings = answer === undefined ? results.getBindings() : null;
    var rows = bindings ? bindings.length : undefined;
    var time = results.getResponseTime ? results.getResponseTime() : undefined;
    var unit = results.getType && results.getType() === "ttl" ? [" triple", " triples"] : [" row", " rows"];
    var text = answer !== undefined ? String(answer) : rows !== undefined ? rows + unit[rows === 1 ? 0 : 1] : "done";
    if (time !== undefined) text += " in " + time + " ms";
    var headers = results.res && results.res.headers;
    if (headers && headers.get && headers.get("Govkg-Truncated") === "true") {
      text += " (cut at " + headers.get("Govkg-Row-Cap") + ")";
    }
    setStatus("done", text, rows);
  }

  /* The server answers errors as {"error": "…"} to JSON clients; show that sentence. */
  function errorMessage(error) {
    var text = (error && (error.text || error.statusText)) || "the query failed";
    try {
      var parsed = JSON.parse(text);
      if (parsed && typeof parsed.error === "string") return parsed.error;
    } catch (e) {
      /* not JSON: show it as it came */
    }
    return text;
  }

  var hooked = typeof WeakSet === "function" ? new WeakSet() : null;
  function hookTabs() {
    Object.keys(yasgui._tabs).forEach(function (id) {
      var tab = yasgui._tabs[id];
      var yasqe = tab.getYasqe();
      var yasr = tab.getYasr();
      if (!yasqe || !yasr || !hooked || hooked.has(tab)) return;
      hooked.add(tab);
      yasqe.on("change", function () {
        if (yasgui.getTab() === tab) updatePermalink();
      });
      yasr.on("drawn", function () { markResults(yasr); });
    });
  }

  yasgui.on("query", function () {
    hookTabs();
    setStatus("running", "Running…");
  });
  yasgui.on("queryResponse", function () { hookTabs(); });
  yasgui.on("tabSelect", function () {
    setTimeout(function () {
      hookTabs();
      updatePermalink();
      var tab = yasgui.getTab();
      if (tab && tab.getYasr() && tab.getYasr().results) markResults(tab.getYasr());
      else setStatus("idle", "");
    }, 0);
  });
  yasgui.on("tabChange", function () { hookTabs(); updatePermalink(); });

  /* Open TEXT in a tab: the one already holding it, the untouched first tab, or a new one. */
  function openQuery(text, name) {
    var ids = yasgui.persistentConfig.getTabs();
    for (var k = 0; k < ids.length; k++) {
      var kept = yasgui.persistentConfig.getTab(ids[k]);
      if (kept && kept.yasqe && kept.yasqe.value === text) {
        yasgui.selectTabId(ids[k]);
        hookTabs();
        updatePermalink();
        return yasgui.getTab();
      }
    }
    var active = yasgui.getTab();
    var tab;
    if (active && active.getYasqe() && active.getQuery() === config.default_query && !active.hasResults()) {
      tab = active;
      tab.setQuery(text);
      if (name) tab.setName(yasgui.createTabName(name));
    } else {
      tab = yasgui.addTab(true, { yasqe: { value: text }, name: yasgui.createTabName(name || "Query") });
    }
    hookTabs();
    updatePermalink();
    return tab;
  }

  function runActive() {
    var tab = yasgui.getTab();
    if (!tab) return;
    hookTabs();
    tab.query().catch(function () { /* shown by YASR and #query-status */ });
  }

  /* A query from the link: the hash (YASGUI's share link) first, then ?query=. */
  var fromHash = hashParameters(window.location.hash);
  var incoming = null;
  var incomingName = null;
  if (Object.prototype.hasOwnProperty.call(fromHash, "query")) {
    incoming = fromHash.query;
    incomingName = fromHash.tabTitle || null;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", permalinkFor(incoming));
    }
  } else if (config.from_url) {
    incoming = config.query;
  }
  hookTabs();
  if (incoming !== null) {
    openQuery(incoming, incomingName);
    if (fromHash.outputFormat && Yasgui.Yasr.plugins[fromHash.outputFormat]) {
      yasgui.getTab().getYasr().selectPlugin(fromHash.outputFormat);
    }
    runActive();
  }
  updatePermalink();

  /* The form's Run button runs the active tab instead of leaving the page. */
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    runActive();
  });

  copyButton.addEventListener("click", function () {
    navigator.clipboard.writeText(permalinkFor(currentQuery())).then(function () {
      copyButton.textContent = "Copied";
      setTimeout(function () { copyButton.textContent = "Copy link"; }, 1500);
    });
  });

  /* Declare the govkg prefixes that the query uses without a PREFIX line (the endpoint knows them anyway). */
  prefixButton.addEventListener("click", function () {
    var tab = yasgui.getTab();
    if (!tab || !tab.getYasqe()) return;
    var yasqe = tab.getYasqe();
    var code = yasqe.getValue()
      .replace(/#[^\n]*/g, " ")
      .replace(/<[^<>\s]*>/g, " ")
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ");
    var used = {};
    Object.keys(config.prefixes).forEach(function (prefix) {
      if (new RegExp("(^|[^\\w:-])" + prefix + ":").test(code)) used[prefix] = config.prefixes[prefix];
    });
    yasqe.addPrefixes(used);
  });

  /* The named queries: a click opens the query in a tab (without running it). */
  var byName = {};
  namedQueries.forEach(function (q) { byName[q.name] = q; });
  var list = document.getElementById("named-query-list");
  list.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.open-query") : null;
    if (!link || !byName[link.dataset.query]) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1) return; // a new browser tab, as asked
    event.preventDefault();
    var q = byName[link.dataset.query];
    openQuery(q.text, q.name);
    setStatus("idle", q.summary);
    var editor = document.getElementById("editor");
    if (editor.scrollIntoView) editor.scrollIntoView({ block: "start" });
  });

  var filter = document.getElementById("named-query-filter");
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.querySelectorAll("li[data-name]").forEach(function (item) {
      var q = byName[item.dataset.name];
      var haystack = (q.name + " " + q.summary).toLowerCase();
      item.hidden = !words.every(function (w) { return haystack.indexOf(w) >= 0; });
    });
    list.querySelectorAll("details.query-group").forEach(function (group) {
      if (words.length) group.open = group.querySelector("li[data-name]:not([hidden])") !== null;
    });
  });

  window.govkgQuery = { yasgui: yasgui, open: openQuery, run: runActive, permalinkFor: permalinkFor };
})();
