"""Journeys through the web UI in Debian's Chromium, driven by Playwright, against `govkg serve`.

The server is the real thing: the bundled corpus built by ``govkg build`` into a
temporary store and served by gunicorn through ``govkg serve``.  Chromium is Debian's
(``/usr/bin/chromium``; ``apt-get install chromium fonts-noto-cjk``), launched with the
flags of ../shared/RECIPES.md; ``playwright install`` is never used.

Run with ``make test-marked`` (or ``pytest -m browser``).  Screenshots of each journey
are written to ``$GOVKG_SCREENSHOTS`` (default: the test's temporary directory) so a
person can look at them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

REQUIRED = os.environ.get("GOVKG_REQUIRE_BROWSER") == "1"  # set by .ci/run: a missing browser fails, not skips
if not REQUIRED:
    pytest.importorskip("playwright", reason="the browser extra is not installed: pip install -e '.[browser]'")
from playwright.sync_api import Page, expect  # noqa: E402

from kg.config import DATA_DIR, PROJECT_ROOT  # noqa: E402
from webui_support import free_port, running  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
UNIT = "unit/许昌市/发展和改革委员会"
UNIT_LABEL = "市发展和改革委员会"
XUCHANG_2026 = "doc/许昌市/2026/key-tasks"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    if not Path(CHROMIUM).exists():
        (pytest.fail if REQUIRED else pytest.skip)(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> str:
    """The base URL of `govkg serve` on the bundled corpus; stopped after the session."""
    root = tmp_path_factory.mktemp("browser")
    store = root / "store"
    govkg = [sys.executable, "-m", "kg.cli"]
    subprocess.run([*govkg, "build", "--store", str(store), str(DATA_DIR)], check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([*govkg, "serve", "--store", str(store), "--port", str(port), "--workers", "2"],
                 ready=base + "/?format=json", log=root / "serve.log"):
        yield base


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go: $GOVKG_SCREENSHOTS, or a temporary directory."""
    target = os.environ.get("GOVKG_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(page: Page) -> Page:
    """Playwright's page, failing the test on any JavaScript error or failed request."""
    problems: list[str] = []
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url} ({req.failure})"))
    yield page
    assert not problems, "\n".join(problems)


def _id(rest: str) -> str:
    return "/id/" + quote(rest)


# -- Chinese renders as Chinese, not as boxes ---------------------------------------------

MISSING_GLYPHS = "\u0378\u0379\u0380"  # unassigned Greek code points: no font has them, each is drawn as a box


def _render(page: Page, text: str) -> str:
    """The digest of a screenshot of ``text`` set in the page's own body font."""
    page.evaluate(
        """text => { let probe = document.getElementById('glyph-probe');
                     if (!probe) { probe = document.createElement('span'); probe.id = 'glyph-probe';
                                   probe.style.fontSize = '32px'; document.body.prepend(probe); }
                     probe.textContent = text; }""",
        text,
    )
    return hashlib.sha256(page.locator("#glyph-probe").screenshot()).hexdigest()


def test_chinese_text_renders_with_real_glyphs(page, live_server, shots):
    """Two different Chinese names must not draw the same picture, nor the picture of missing glyphs.

    Without a CJK font every character is drawn as the same empty box, so two different
    names of three characters give identical screenshots; a text assertion cannot see it.
    """
    page.goto(live_server + _id(UNIT))
    expect(page.locator("h1")).to_have_text(UNIT_LABEL)
    page.screenshot(path=shots / "unit.png", full_page=True)
    xuchang, zhengzhou, missing = (_render(page, t) for t in ("许昌市", "郑州市", MISSING_GLYPHS))
    assert xuchang != zhengzhou, "two different Chinese names render identically: no CJK font (fonts-noto-cjk)"
    assert xuchang != missing and zhengzhou != missing


# -- journeys ----------------------------------------------------------------------------


def test_home_lists_the_bundled_documents_and_links_to_them(page, live_server):
    page.goto(live_server + "/")
    rows = page.locator("#documents tbody tr")
    expect(rows).to_have_count(5)
    page.locator("#documents").get_by_role("link", name=re.compile("许昌")).first.click()
    expect(page).to_have_url(re.compile(r"/id/doc/"))
    expect(page.locator("h1")).not_to_be_empty()


def _chart_points(page: Page, canvas: str) -> list:
    """The data Chart.js drew on ``canvas`` (a CSS selector): one list per dataset."""
    return page.evaluate(
        """sel => { const chart = Chart.getChart(document.querySelector(sel));
                    return chart ? chart.data.datasets.map(d => d.data) : null; }""",
        canvas,
    )


def test_journey_home_document_task_unit_theme(page, live_server, shots):
    """Home → the 许昌 2026 notice → task 78 → a unit marked in its text → one of the unit's themes."""
    page.goto(live_server + "/")
    page.locator(f"#documents a[href$='{XUCHANG_2026}']").click()
    expect(page.locator("#panel-document")).to_be_visible()
    expect(page.locator("#download-doc-trig")).to_have_attribute("href", re.compile(r"trig"))

    page.locator("#document-sections a[href$='/task/78']").first.click()  # its text names four colleges
    expect(page.locator("#panel-task")).to_be_visible()
    marks = page.locator("#task-text mark")
    expect(marks.first).to_be_visible()
    text = page.locator("#task-text").text_content()
    for mention in marks.all_text_contents():
        assert mention in text
    page.screenshot(path=shots / "task.png", full_page=True)

    unit_link = page.locator("#task-text mark a, #task-text a:has(mark)").first
    unit_name = unit_link.text_content()
    unit_link.click()
    expect(page).to_have_url(re.compile(r"/id/unit/"))
    expect(page.locator("#panel-unit")).to_be_visible()
    drawn = _chart_points(page, "#unit-workload-chart")
    assert drawn and any(any(v for v in series) for series in drawn), f"no workload drawn for {unit_name}"
    page.screenshot(path=shots / "unit-panel.png", full_page=True)

    page.locator("#unit-themes a[href*='/id/']").first.click()
    expect(page.locator("#panel-theme")).to_be_visible()
    table_total = sum(int(c) for c in page.locator("#theme-timeline-table tbody td.number").all_text_contents() if c.strip().isdigit())
    drawn = _chart_points(page, "#theme-timeline-chart")
    assert drawn and table_total > 0 and sum(sum(v or 0 for v in series) for series in drawn) > 0
    page.screenshot(path=shots / "theme.png", full_page=True)


def _click_node(page: Page) -> str:
    """Click, with the mouse, the biggest linked node of the network drawn by cytoscape; returns its href.

    The biggest node is the one least likely to lie under another; the click goes to the
    point of it that cytoscape itself reports as that node (its hit test), after fonts
    have loaded and the page has stopped moving.
    """
    page.evaluate("() => document.fonts.ready")
    page.locator("#network").scroll_into_view_if_needed()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # drawn once
    target = page.evaluate(
        """() => { const cy = window.govkgNetwork;
                   const nodes = cy.nodes().filter(n => n.data('href')).sort((a, b) => b.renderedWidth() - a.renderedWidth());
                   const box = cy.container().getBoundingClientRect();
                   for (const node of nodes) {
                     const at = node.renderedPosition(), model = node.position();
                     const hit = cy.renderer().findNearestElement(model.x, model.y, true, false);
                     if (hit && hit.id() === node.id() && at.x > 0 && at.y > 0 && at.x < box.width && at.y < box.height)
                       return {x: box.left + at.x, y: box.top + at.y, href: node.data('href')};
                   }
                   return null; }"""
    )
    assert target, "no linked node can be clicked"
    page.mouse.move(target["x"], target["y"])
    with page.expect_navigation(url="**/id/**", wait_until="commit", timeout=20_000):  # entity pages can be slow
        page.mouse.down()
        page.mouse.up()
    return target["href"]


@pytest.mark.parametrize("path", ["/themes?city=许昌市&year=2026", "/themes?city=许昌市&year=2026&units=1",
                                  "/centrality?city=许昌市&year=2026"], ids=["themes", "themes-with-units", "centrality"])
def test_network_page_draws_every_node_and_a_click_opens_its_page(page, live_server, shots, path):
    page.goto(live_server + path)
    page.wait_for_function("() => window.govkgNetwork && window.govkgNetwork.nodes().length > 0")
    twin = json.loads(urllib.request.urlopen(live_server + quote(path, safe="/?=&") + "&format=json", timeout=10).read())
    drawn = page.evaluate("() => [window.govkgNetwork.nodes().length, window.govkgNetwork.edges().length]")
    assert drawn == [len(twin["nodes"]), len(twin["edges"])]
    page.screenshot(path=shots / f"network-{path.strip('/').split('?')[0]}.png")
    href = _click_node(page)
    expect(page.locator("h1")).not_to_be_empty(timeout=20_000)
    assert urllib.parse.unquote(page.url).endswith(urllib.parse.unquote(href))


def test_query_page_runs_a_named_query_as_table_and_chart(page, live_server, shots):
    """The editor opens unit-workload from the list of named queries, runs it, shows its rows and charts them."""
    page.goto(live_server + "/query")
    expect(page.locator("#yasgui .CodeMirror").first).to_be_visible()
    page.locator('#named-query-list a.open-query[data-query="unit-workload"]').click()
    page.locator("#run-query").click()
    status = page.locator('#query-status[data-state="done"]')
    expect(status).to_be_visible(timeout=20_000)
    text = (PROJECT_ROOT / "queries" / "unit-workload.rq").read_text(encoding="utf-8")
    expected = json.loads(urllib.request.urlopen(urllib.request.Request(
        live_server + "/sparql", data=urllib.parse.urlencode({"query": text}).encode(),
        headers={"Accept": "application/sparql-results+json"}), timeout=20).read())
    assert int(status.get_attribute("data-rows")) == len(expected["results"]["bindings"]) > 0
    expect(page.locator("#result-table")).to_be_visible()
    page.screenshot(path=shots / "query-table.png", full_page=True)

    page.locator("#yasgui .tabPanel.active .select_chart").click()
    expect(page.locator("canvas#result-chart")).to_be_visible()
    bars = page.evaluate("() => Chart.getChart(document.getElementById('result-chart')).data.datasets[0].data.length")
    assert bars == min(200, len(expected["results"]["bindings"]))
    page.screenshot(path=shots / "query-chart.png", full_page=True)


def test_query_permalink_reopens_the_same_query(page, live_server):
    query = 'SELECT ?label WHERE { ?u skos:prefLabel ?label FILTER(CONTAINS(?label, "发展和改革")) } # 许昌 & co'
    page.goto(live_server + "/query?" + urllib.parse.urlencode({"query": query}))
    expect(page.locator('#query-status[data-state="done"]')).to_be_visible(timeout=20_000)
    permalink = page.locator("#permalink").get_attribute("href")
    page.goto(urllib.parse.urljoin(live_server + "/query", permalink))
    expect(page.locator('#query-status[data-state="done"]')).to_be_visible(timeout=20_000)
    assert page.evaluate("() => window.govkgQuery.yasgui.getTab().getQuery()") == query


def test_unit_workload_chart_matches_the_table_and_sorting_keeps_the_filters(page, live_server, shots):
    page.goto(live_server + "/units?city=济源市&year=2021")
    page.wait_for_function("() => window.govkgWorkloadChart !== undefined")
    rows = page.locator("#workload-table tbody tr")
    labels = page.evaluate("() => window.govkgWorkloadChart.data.labels")
    assert len(labels) == rows.count() > 0
    assert labels[0] in rows.first.text_content()
    page.screenshot(path=shots / "units.png", full_page=True)
    page.locator("#workload-table thead a", has_text=re.compile("lead|牵头", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"sort=lead"))
    assert "city=济源市" in urllib.parse.unquote(page.url) and "year=2021" in page.url
    expect(page.locator("#workload-table tbody tr")).to_have_count(len(labels))


def test_search_from_the_nav_box_marks_the_word_and_opens_a_task(page, live_server, shots):
    page.goto(live_server + "/")
    box = page.locator("#nav-search input[name=q]")
    box.fill("胖东来")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?"))
    hits = page.locator("#search-results li.search-hit")
    expect(hits.first).to_be_visible()
    assert all(m == "胖东来" for m in page.locator("#search-results .search-snippet mark").all_text_contents())
    page.screenshot(path=shots / "search.png", full_page=True)
    page.locator('#search-results li.search-hit[data-kind="task"] a.search-label').first.click()
    expect(page.locator("#panel-task")).to_be_visible()
    expect(page.locator("#task-text")).to_contain_text("胖东来")
