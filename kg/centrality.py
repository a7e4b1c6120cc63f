"""Unit centrality: who carries a plan, who brokers between departments, which units work together.

Three graphs are built from the assignments in the store (``queries/centrality-edges.rq``):

``co-assignment``
    Units joined when they are assigned to the same task; an edge's ``weight`` is the
    number of tasks they share (``shared_tasks``), a shared task counting
    ``lead_weight`` instead of 1 when either unit leads it.
``bipartite``
    Units and tasks, a unit joined to each task it is assigned to (weight
    ``lead_weight`` for a lead assignment, else 1).
``unit-theme``
    Units and themes, a unit joined to each theme of its tasks (``dct:subject``),
    weighted by its tasks of that theme (a lead assignment counting ``lead_weight``).

Filters: city, year, theme (any label, alias or IRI) and role.  Collectives such as
各县(市、区)政府(管委会) are left out by default (``collectives="exclude"``), kept as one
node each (``"include"``), or replaced by their known ``org:hasMember`` members
(``"expand"``; a collective with no known members stays one node, as in the
``unit-workload`` query).

Every unit gets six scores (:data:`METRICS`) and a Louvain community, and is ranked by
the chosen metric; results export to GraphML and GEXF for Gephi, draw to PNG/SVG, and
store as RDF in a named graph of their own (``id/graph/centrality/…``) beside the data.

>>> params = CentralityParams(city="许昌市", year=2026, metric="degree")
>>> graph = graph_from_assignments([
...     Assignment("t1", "d", "u/a", "甲局", "lead", False),
...     Assignment("t1", "d", "u/b", "乙局", "responsible", False),
...     Assignment("t2", "d", "u/b", "乙局", "responsible", False),
...     Assignment("t2", "d", "u/c", "丙局", "responsible", False)], params)
>>> result = compute(graph, params)
>>> [(row.label, row.score, row.rank) for row in result.rows]
[('乙局', 2, 1), ('丙局', 1, 2), ('甲局', 1, 3)]

Notes
-----
Betweenness and closeness count hops (an edge is an edge, whatever its weight);
degree counts neighbours; weighted degree, eigenvector and PageRank use the weights.
Ranks are ordinal: by score (descending, compared to 12 decimals so that float noise
does not reorder ties), then label, then IRI.  networkx's ``pagerank`` needs SciPy,
which govkg does not depend on, so :func:`pagerank` is a pure-Python power iteration
with the same definition (damping 0.85, dangling nodes spread uniformly).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from xml.sax.saxutils import escape

import networkx as nx
from pyoxigraph import Literal, NamedNode, Quad

from kg import iri
from kg.errors import GovkgError, InputError
from kg.namespaces import DCT, GOV, PROV, RDF, RDFS, XSD
from kg.queries import get_query

__all__ = [
    "GRAPH_KINDS",
    "METRICS",
    "COLLECTIVES",
    "ROLES",
    "CentralityParams",
    "Assignment",
    "UnitScore",
    "CentralityResult",
    "RankChange",
    "Comparison",
    "assignments",
    "task_themes",
    "graph_from_assignments",
    "build_graph",
    "metric_scores",
    "pagerank",
    "compute",
    "compare",
    "to_graphml",
    "to_gexf",
    "to_node_link",
    "to_png",
    "find_cjk_font",
    "result_quads",
    "save_result",
    "format_table",
    "format_csv",
    "format_json",
]

GRAPH_KINDS = ("co-assignment", "bipartite", "unit-theme")
METRICS = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")
COLLECTIVES = ("exclude", "include", "expand")
ROLES = ("lead", "responsible", "cooperating")

_DEFAULT_SEED = 42


@dataclass(frozen=True)
class CentralityParams:
    """What graph to build and how to score it.

    Parameters
    ----------
    city, year, theme, role : optional filters
        City as written (许昌市, or an altLabel such as 许昌), plan year, theme (name,
        alias or IRI: only tasks tagged with it) and role (``lead``, ``responsible``,
        ``cooperating``: only assignments in it).  ``None`` means any.
    collectives : {"exclude", "include", "expand"}
        What to do with collective units (各县(市、区)政府 …); see the module docstring.
    lead_weight : float
        What a lead assignment counts for in edge weights (1: the same as any other).
    graph_kind : {"co-assignment", "bipartite", "unit-theme"}
    metric : one of :data:`METRICS`
        The score that ranks the units.
    seed : int
        Seed of the Louvain communities (and of sampled betweenness).
    betweenness_k : int, optional
        Estimate betweenness from this many sampled source nodes (for big graphs);
        ``None``: exact.

    Raises
    ------
    InputError
        A value out of range (an unknown metric, a non-positive lead weight …).
    """

    city: str | None = None
    year: int | None = None
    theme: str | None = None
    role: str | None = None
    collectives: str = "exclude"
    lead_weight: float = 1.0
    graph_kind: str = "co-assignment"
    metric: str = "degree"
    seed: int = _DEFAULT_SEED
    betweenness_k: int | None = None

    def __post_init__(self):
        for name, value, allowed in (("graph kind", self.graph_kind, GRAPH_KINDS), ("metric", self.metric, METRICS),
                                     ("collectives", self.collectives, COLLECTIVES)):
            if value not in allowed:
                raise InputError(f"{name} is one of {', '.join(allowed)}, got {value!r}")
        if self.role is not None and self.role not in ROLES:
            raise InputError(f"role is one of {', '.join(ROLES)}, got {self.role!r}")
        if not (isinstance(self.lead_weight, (int, float)) and math.isfinite(self.lead_weight) and self.lead_weight > 0):
            raise InputError(f"lead weight must be a positive number, got {self.lead_weight!r}")
        if self.year is not None and not isinstance(self.year, int):
            raise InputError(f"year must be an integer, got {self.year!r}")
        if self.betweenness_k is not None and self.betweenness_k < 1:
            raise InputError(f"betweenness sample size must be at least 1, got {self.betweenness_k!r}")

    def query_values(self) -> dict[str, str]:
        """The filters as parameters of ``queries/centrality-edges.rq``."""
        values = {"city": self.city, "year": None if self.year is None else str(self.year),
                  "theme": self.theme, "role": self.role}
        return {k: v for k, v in values.items() if v is not None}

    def options(self) -> tuple[str, ...]:
        """Parameters other than city, year and graph kind that differ from the defaults, as ``name=value``."""
        defaults = CentralityParams()
        out = []
        for name in ("theme", "role", "collectives", "lead_weight", "seed", "betweenness_k"):
            value = getattr(self, name)
            if value != getattr(defaults, name):
                out.append(f"{name.replace('_', '-')}={_plain(value)}")
        return tuple(out)

    def describe(self) -> str:
        """One line naming the graph and every parameter, e.g. for a table's header."""
        return (f"{self.graph_kind} graph: city={self.city or 'all'} year={self.year or 'all'} theme={self.theme or 'all'} "
                f"role={self.role or 'all'} collectives={self.collectives} lead_weight={_plain(self.lead_weight)} "
                f"metric={self.metric} seed={self.seed}"
                + (f" betweenness_k={self.betweenness_k}" if self.betweenness_k else ""))


@dataclass(frozen=True)
class Assignment:
    """One unit's assignment to a task, as ``queries/centrality-edges.rq`` returns it."""

    task: str
    document: str
    unit: str
    label: str
    role: str
    collective: bool
    members: tuple[tuple[str, str], ...] = ()  # (IRI, label) of the collective's known members


@dataclass(frozen=True)
class UnitScore:
    """One unit's row: its score and rank by the chosen metric, its community and every metric."""

    unit: str
    label: str
    score: float
    rank: int
    community: int
    collective: bool
    tasks: int  # tasks it is assigned to in the graph's filters
    lead_tasks: int  # of which it leads
    degree: float | None = None
    weighted_degree: float | None = None
    betweenness: float | None = None
    closeness: float | None = None
    eigenvector: float | None = None
    pagerank: float | None = None


@dataclass(frozen=True)
class CentralityResult:
    """The scores of every unit of one graph, ranked by ``params.metric``.

    ``scores``, ``ranks`` and ``community_of`` hold every node (tasks and themes too,
    in the bipartite graphs); ``rows`` only the units, by rank.
    """

    params: CentralityParams
    rows: tuple[UnitScore, ...]
    nodes: int
    edges: int
    communities: int
    modularity: float | None
    documents: tuple[str, ...]
    scores: Mapping[str, Mapping[str, float]] = field(repr=False, compare=False)
    ranks: Mapping[str, Mapping[str, int]] = field(repr=False, compare=False)
    community_of: Mapping[str, int] = field(repr=False, compare=False)

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(m for m in METRICS if m in self.scores)

    def describe(self) -> str:
        """The parameters and the size of the graph, in one line."""
        modularity = "" if self.modularity is None else f", modularity {self.modularity:.3f}"
        return (f"{self.params.describe()} | {len(self.rows)} units, {self.nodes} nodes, {self.edges} edges, "
                f"{self.communities} communities{modularity}")

    def row(self, unit: str) -> UnitScore:
        """The row of a unit, by IRI or label."""
        for r in self.rows:
            if unit in (r.unit, r.label):
                return r
        raise InputError(f"no unit {unit!r} in the {self.params.graph_kind} graph")


@dataclass(frozen=True)
class RankChange:
    """A unit's score and rank in two years (``None`` where it has no assignment)."""

    unit: str
    label: str
    score_a: float | None
    rank_a: int | None
    score_b: float | None
    rank_b: int | None

    @property
    def change(self) -> int | None:
        """Places climbed from year a to year b (positive: more central)."""
        if self.rank_a is None or self.rank_b is None:
            return None
        return self.rank_a - self.rank_b


@dataclass(frozen=True)
class Comparison:
    """The same graph and metric in two years, unit by unit."""

    params: CentralityParams
    year_a: int
    year_b: int
    result_a: CentralityResult
    result_b: CentralityResult
    rows: tuple[RankChange, ...]

    def describe(self) -> str:
        params = replace(self.params, year=None).describe().replace("year=all", f"years={self.year_a},{self.year_b}")
        return f"{params} | {len(self.result_a.rows)} units in {self.year_a}, {len(self.result_b.rows)} in {self.year_b}"


# -- reading the store --------------------------------------------------------------


def assignments(store, params: CentralityParams) -> list[Assignment]:
    """The assignments that match the filters of ``params``, members of collectives attached.

    Parameters
    ----------
    store : kg.store.Store
    params : CentralityParams
        Its city, year, theme and role filter the rows.

    Returns
    -------
    list of Assignment
        One per (task, unit, role), sorted by task IRI, unit IRI and role.

    Notes
    -----
    One SPARQL query (``queries/centrality-edges.rq``), linear in its rows.
    """
    text = get_query("centrality-edges").bind(params.query_values())
    grouped: dict[tuple[str, str, str], dict] = {}
    for row in store.select(text):
        key = (row["task"].value, row["unit"].value, row["role"].value)
        entry = grouped.get(key)
        if entry is None:
            unit = row["unit"].value
            entry = grouped[key] = {"document": row["doc"].value, "label": set(), "members": {},
                                    "collective": row["collective"].value == "true"}
            if "label" not in row:
                entry["label"].add(_tail(unit))
        if "label" in row:
            entry["label"].add(row["label"].value)
        if "member" in row:
            member = row["member"].value
            label = row["member_label"].value if "member_label" in row else _tail(member)
            entry["members"][member] = min(label, entry["members"].get(member, label))
    return [Assignment(task, e["document"], unit, min(e["label"]), role, e["collective"], tuple(sorted(e["members"].items())))
            for (task, unit, role), e in sorted(grouped.items())]


def task_themes(store, params: CentralityParams) -> dict[str, dict[str, str]]:
    """Themes of the tasks in the city and year of ``params``: task IRI -> {theme IRI: label}."""
    values = {k: v for k, v in params.query_values().items() if k in ("city", "year")}
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(get_query("centrality-task-themes").bind(values)):
        theme = row["theme"].value
        out[row["task"].value][theme] = row["label"].value if "label" in row else _tail(theme)
    return dict(out)


def build_graph(store, params: CentralityParams) -> nx.Graph:
    """The graph of ``params.graph_kind`` over the assignments that match ``params``.

    Parameters
    ----------
    store : kg.store.Store
    params : CentralityParams

    Returns
    -------
    networkx.Graph
        See :func:`graph_from_assignments`.

    Raises
    ------
    InputError
        No assignment matches the filters (an unknown city, year or theme, or a year
        whose documents assign no units), or no task of them has a theme for the
        unit-theme graph.

    Examples
    --------
    >>> from kg.store import open_store
    >>> build_graph(open_store(None), CentralityParams(city="许昌市"))
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no assignments match city=许昌市 year=all theme=all role=all; `govkg query documents` lists what the store holds

    Notes
    -----
    Two queries (one for unit-theme) and :func:`graph_from_assignments`.
    """
    found = assignments(store, params)
    if not found:
        filters = " ".join(f"{k}={getattr(params, k) or 'all'}" for k in ("city", "year", "theme", "role"))
        raise InputError(f"no assignments match {filters}; `govkg query documents` lists what the store holds")
    themes = task_themes(store, params) if params.graph_kind == "unit-theme" else None
    graph = graph_from_assignments(found, params, themes=themes)
    if not any(kind == "unit" for _, kind in graph.nodes(data="kind")):
        raise InputError(f"the {params.graph_kind} graph has no units: "
                         + ("no task of these assignments has a theme" if themes is not None else "every unit is a collective"))
    return graph


def graph_from_assignments(found: Iterable[Assignment], params: CentralityParams,
                           themes: Mapping[str, Mapping[str, str]] | None = None) -> nx.Graph:
    """Build the graph of ``params.graph_kind`` from assignments (no store needed).

    Parameters
    ----------
    found : iterable of Assignment
    params : CentralityParams
        ``graph_kind``, ``collectives`` and ``lead_weight`` are used; the filters are
        assumed applied already.
    themes : mapping, optional
        Task IRI -> {theme IRI: label}; needed for the unit-theme graph.

    Returns
    -------
    networkx.Graph
        Nodes are IRIs with ``label``, ``kind`` (``unit``, ``task`` or ``theme``);
        units also ``collective``, ``tasks`` and ``lead_tasks``.  Edges have ``weight``
        (float) and ``shared_tasks`` (int; for unit-theme, the unit's tasks of the
        theme).  ``graph.graph`` holds the parameters and ``documents``.  Nodes and
        edges are added in sorted order, so the same data gives the same graph (and
        the same Louvain communities) whatever the order of the rows.

    Notes
    -----
    Co-assignment takes O(sum of k^2) for tasks of k units; the bipartite graphs are
    linear in the assignments.
    """
    per_task: dict[str, dict[str, bool]] = defaultdict(dict)  # task -> unit -> leads it
    labels: dict[str, str] = {}
    collective: dict[str, bool] = {}
    documents: set[str] = set()
    for a in found:
        if a.collective and params.collectives == "exclude":
            continue
        if a.collective and params.collectives == "expand" and a.members:
            targets = [(member, label, False) for member, label in a.members]
        else:
            targets = [(a.unit, a.label, a.collective)]
        documents.add(a.document)
        for unit, label, is_collective in targets:
            labels[unit] = min(label, labels.get(unit, label))
            collective[unit] = is_collective
            per_task[a.task][unit] = per_task[a.task].get(unit, False) or a.role == "lead"

    lead_weight = float(params.lead_weight)
    tasks_of: dict[str, int] = defaultdict(int)
    leads_of: dict[str, int] = defaultdict(int)
    for units in per_task.values():
        for unit, leads in units.items():
            tasks_of[unit] += 1
            leads_of[unit] += leads

    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str], list] = {}  # (u, v) sorted -> [weight, shared_tasks]

    def add_unit(unit):
        nodes[unit] = {"label": labels[unit], "kind": "unit", "collective": collective[unit],
                       "tasks": tasks_of[unit], "lead_tasks": leads_of[unit]}

    def add_edge(u, v, weight):
        key = (u, v) if u < v else (v, u)
        entry = edges.setdefault(key, [0.0, 0])
        entry[0] += weight
        entry[1] += 1

    if params.graph_kind == "co-assignment":
        for unit in labels:
            add_unit(unit)
        for units in per_task.values():
            members = sorted(units)
            for i, u in enumerate(members):
                for v in members[i + 1:]:
                    add_edge(u, v, lead_weight if units[u] or units[v] else 1.0)
    elif params.graph_kind == "bipartite":
        for task, units in per_task.items():
            nodes[task] = {"label": _task_label(task), "kind": "task"}
            for unit, leads in units.items():
                add_unit(unit)
                add_edge(unit, task, lead_weight if leads else 1.0)
    else:  # unit-theme
        if themes is None:
            raise InputError("the unit-theme graph needs the tasks' themes")
        for task, units in per_task.items():
            for theme, label in themes.get(task, {}).items():
                nodes[theme] = {"label": label, "kind": "theme"}
                for unit, leads in units.items():
                    add_unit(unit)
                    add_edge(unit, theme, lead_weight if leads else 1.0)

    graph = nx.Graph()
    graph.graph.update(_graph_attributes(params))
    graph.graph["documents"] = tuple(sorted(documents))
    graph.add_nodes_from(sorted(nodes.items()))
    graph.add_edges_from((u, v, {"weight": w, "shared_tasks": n}) for (u, v), (w, n) in sorted(edges.items()))
    return graph


# -- metrics ------------------------------------------------------------------------


def pagerank(graph: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight", tol: float = 1e-12,
             max_iter: int = 1000) -> dict:
    """PageRank of an undirected graph by power iteration, as ``networkx.pagerank`` defines it.

    Parameters
    ----------
    graph : networkx.Graph
    alpha : float
        Damping factor.
    weight : str or None
        Edge attribute holding the weight (``None``: every edge weighs 1).
    tol : float
        Stop when the L1 change of an iteration is below ``len(graph) * tol``.
    max_iter : int

    Returns
    -------
    dict
        Node -> score; the scores sum to 1.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        Not converged after ``max_iter`` iterations.

    Examples
    --------
    >>> round(pagerank(nx.path_graph(3))[1], 6)
    0.486486

    Notes
    -----
    O(iterations * (n + m)); a node without edges spreads its score uniformly.  Pure
    Python, so that govkg needs no SciPy (networkx's own ``pagerank`` does).
    """
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    neighbours = []
    for u in nodes:
        pairs = [(v, (d.get(weight, 1) if weight else 1)) for v, d in graph[u].items()]
        strength = sum(w for _, w in pairs)
        neighbours.append((u, [(v, w / strength) for v, w in pairs] if strength else None))
    dangling = [u for u, out in neighbours if out is None]
    x = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        last = x
        base = (alpha * sum(last[u] for u in dangling) + 1.0 - alpha) / n
        x = dict.fromkeys(nodes, base)
        for u, out in neighbours:
            if out:
                share = alpha * last[u]
                for v, w in out:
                    x[v] += share * w
        if sum(abs(x[u] - last[u]) for u in nodes) < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def metric_scores(graph: nx.Graph, metric: str, *, seed: int | None = _DEFAULT_SEED,
                  betweenness_k: int | None = None) -> dict:
    """One metric for every node of ``graph``.

    Parameters
    ----------
    graph : networkx.Graph
    metric : one of :data:`METRICS`
        ``degree``: number of neighbours; ``weighted_degree``: sum of edge weights;
        ``betweenness``: normalised shortest-path betweenness (hops); ``closeness``:
        closeness of hops (Wasserman–Faust for disconnected graphs); ``eigenvector``:
        weighted eigenvector centrality (unit Euclidean norm); ``pagerank``: weighted
        PageRank (:func:`pagerank`).
    seed : int, optional
        For sampled betweenness.
    betweenness_k : int, optional
        Sample this many source nodes for betweenness (``None``: exact).

    Returns
    -------
    dict
        Node -> score (int for degree, float otherwise).

    Notes
    -----
    Degree O(n + m); betweenness O(n m) (O(k m) sampled); closeness O(n (n + m));
    eigenvector and PageRank O(iterations * (n + m)).
    """
    if metric == "degree":
        return dict(graph.degree())
    if metric == "weighted_degree":
        return {node: float(value) for node, value in graph.degree(weight="weight")}
    if metric == "betweenness":
        k = betweenness_k if betweenness_k and betweenness_k < len(graph) else None
        return nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed if k else None)
    if metric == "closeness":
        return nx.closeness_centrality(graph)
    if metric == "eigenvector":
        try:
            return nx.eigenvector_centrality(graph, weight="weight", max_iter=1000, tol=1e-10)
        except nx.PowerIterationFailedConvergence as exc:
            raise GovkgError(f"eigenvector centrality did not converge: {exc}") from exc
    if metric == "pagerank":
        return pagerank(graph)
    raise InputError(f"metric is one of {', '.join(METRICS)}, got {metric!r}")


def _communities(graph: nx.Graph, seed: int) -> tuple[dict[str, int], float | None]:
    """Louvain communities numbered 1.. by size (units first), and their modularity."""
    if graph.number_of_nodes() == 0:
        return {}, None
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)

    def key(members):
        units = sorted(graph.nodes[n].get("label", n) for n in members if graph.nodes[n].get("kind") == "unit")
        return (-len(units), -len(members), units[:1] or sorted(members)[:1])

    numbered = {node: number for number, members in enumerate(sorted(found, key=key), 1) for node in members}
    modularity = nx.community.modularity(graph, found, weight="weight") if graph.number_of_edges() else None
    return numbered, modularity


def _ranks(units: Sequence[str], scores: Mapping[str, float], labels: Mapping[str, str]) -> dict[str, int]:
    order = sorted(units, key=lambda u: (-round(scores[u], 12), labels[u], u))
    return {unit: rank for rank, unit in enumerate(order, 1)}


def compute(graph: nx.Graph, params: CentralityParams, *, metrics: Iterable[str] | None = None) -> CentralityResult:
    """Score, rank and group the units of ``graph``.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`build_graph` or :func:`graph_from_assignments`.
    params : CentralityParams
        ``metric`` ranks the rows; ``seed`` fixes the communities.
    metrics : iterable of str, optional
        The metrics to compute (``params.metric`` always is); default all of :data:`METRICS`.

    Returns
    -------
    CentralityResult
        One row per unit, by rank: ordinal, by score descending, then label.

    Raises
    ------
    InputError
        The graph has no units.

    Notes
    -----
    The cost is that of the metrics (see :func:`metric_scores`) plus Louvain,
    about O(m log n).
    """
    units = [node for node, kind in graph.nodes(data="kind") if kind == "unit"]
    if not units:
        raise InputError(f"the {params.graph_kind} graph has no units to rank")
    wanted = set(METRICS if metrics is None else metrics) | {params.metric}
    unknown = wanted - set(METRICS)
    if unknown:
        raise InputError(f"metric is one of {', '.join(METRICS)}, got {', '.join(sorted(unknown))}")
    scores = {m: metric_scores(graph, m, seed=params.seed, betweenness_k=params.betweenness_k) for m in METRICS if m in wanted}
    labels = {u: graph.nodes[u]["label"] for u in units}
    ranks = {m: _ranks(units, s, labels) for m, s in scores.items()}
    community_of, modularity = _communities(graph, params.seed)
    primary = ranks[params.metric]
    rows = []
    for unit in sorted(units, key=primary.__getitem__):
        data = graph.nodes[unit]
        rows.append(UnitScore(unit=unit, label=labels[unit], score=scores[params.metric][unit], rank=primary[unit],
                              community=community_of[unit], collective=bool(data.get("collective")),
                              tasks=data.get("tasks", 0), lead_tasks=data.get("lead_tasks", 0),
                              **{m: s[unit] for m, s in scores.items()}))
    return CentralityResult(params=params, rows=tuple(rows), nodes=graph.number_of_nodes(), edges=graph.number_of_edges(),
                            communities=len(set(community_of.values())), modularity=modularity,
                            documents=tuple(graph.graph.get("documents", ())), scores=scores, ranks=ranks,
                            community_of=community_of)


def compare(store, params: CentralityParams, year_a: int, year_b: int) -> Comparison:
    """Each unit's score and rank by ``params.metric`` in two years, same city and filters.

    Parameters
    ----------
    store : kg.store.Store
    params : CentralityParams
        Its ``year`` is ignored.
    year_a, year_b : int

    Returns
    -------
    Comparison
        Units ranked in ``year_b`` first (by that rank), then those only in ``year_a``.

    Raises
    ------
    InputError
        A year with no assignments under the filters.

    Notes
    -----
    Units are matched by IRI, which is the city and the unit's canonical name
    (``id/unit/许昌市/发展和改革委员会``), so a renamed unit counts as two.  Two graphs,
    each scored by the one metric.
    """
    results = []
    for year in (year_a, year_b):
        year_params = replace(params, year=year)
        results.append(compute(build_graph(store, year_params), year_params, metrics=[params.metric]))
    a, b = ({r.unit: r for r in result.rows} for result in results)
    rows = [RankChange(unit, (b.get(unit) or a[unit]).label,
                       a[unit].score if unit in a else None, a[unit].rank if unit in a else None,
                       b[unit].score if unit in b else None, b[unit].rank if unit in b else None)
            for unit in set(a) | set(b)]
    rows.sort(key=lambda r: (r.rank_b is None, r.rank_b or r.rank_a, r.label))
    return Comparison(params, year_a, year_b, results[0], results[1], tuple(rows))


# -- export ---------------------------------------------------------------------------


def _graph_attributes(params: CentralityParams) -> dict:
    attributes = {f.name: getattr(params, f.name) for f in fields(params)}
    attributes["lead_weight"] = float(params.lead_weight)
    attributes["description"] = params.describe()
    return attributes


def _annotated(graph: nx.Graph, result: CentralityResult) -> nx.Graph:
    """A copy of ``graph`` with every metric, the community, score and rank on its nodes."""
    out = graph.copy()
    primary = result.params.metric
    for node, data in out.nodes(data=True):
        for metric, scores in result.scores.items():
            if node in scores:
                data[metric] = scores[node] if metric == "degree" else float(scores[node])
        if node in result.community_of:
            data["community"] = result.community_of[node]
        if node in result.ranks[primary]:
            data["score"] = float(result.scores[primary][node])
            data["rank"] = result.ranks[primary][node]
    attributes = _graph_attributes(result.params)
    attributes.update(description=result.describe(), units=len(result.rows), communities=result.communities,
                      documents=" ".join(result.documents))
    if result.modularity is not None:
        attributes["modularity"] = result.modularity
    out.graph = {k: v for k, v in attributes.items() if v is not None}
    return out


def to_graphml(graph: nx.Graph, result: CentralityResult, path: str | Path) -> None:
    """Write the graph with its scores as GraphML (opens in Gephi, yEd, igraph, networkx).

    Node attributes: ``label``, ``kind``, ``collective``, ``tasks``, ``lead_tasks``, each
    computed metric by name, ``community``, and for units ``score`` and ``rank`` by the
    chosen metric.  Edge attributes: ``weight``, ``shared_tasks``.  Graph attributes:
    the parameters (those given), ``description`` and ``documents``.

    Notes
    -----
    Linear in the size of the graph.
    """
    try:
        nx.write_graphml(_annotated(graph, result), str(path), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write GraphML: {exc.strerror}") from exc


def to_node_link(graph: nx.Graph, result: CentralityResult) -> dict:
    """The graph with its scores as node-link JSON data, for a web graph view.

    ``{"graph": {parameters}, "nodes": [{"id", "label", "kind", metrics…, "community",
    "rank", "score", "colour"}], "links": [{"source", "target", "weight", "shared_tasks"}]}``,
    the attributes of :func:`to_graphml` plus each node's community colour.

    Notes
    -----
    Linear in the size of the graph.
    """
    out = _annotated(graph, result)
    for _, data in out.nodes(data=True):
        data["colour"] = _colour(data.get("community", 0))
    data = nx.node_link_data(out, edges="links")
    data.pop("multigraph", None)
    data.pop("directed", None)
    return data


_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
            "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _colour(community: int) -> str:
    return _PALETTE[(community - 1) % len(_PALETTE)] if community else "#cccccc"


def to_gexf(graph: nx.Graph, result: CentralityResult, path: str | Path) -> None:
    """Write the graph with its scores as GEXF 1.2 for Gephi.

    The attributes are those of :func:`to_graphml`; besides, nodes are coloured by
    community and sized by score (``viz:color``, ``viz:size``), and the parameters are
    the graph's name and the file's ``meta/description`` (GEXF has no graph attributes).

    Notes
    -----
    Linear in the size of the graph.
    """
    out = _annotated(graph, result)
    description = out.graph["description"]
    top = max((abs(r.score) for r in result.rows), default=0) or 1
    for node, data in out.nodes(data=True):
        colour = _colour(data.get("community", 0))
        size = 4.0 + 36.0 * abs(data["score"]) / top if "score" in data else 2.0
        data["viz"] = {"color": {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0},
                       "size": size}
    out.graph = {"name": description}
    text = "\n".join(nx.generate_gexf(out, encoding="utf-8", version="1.2draft"))
    text = text.replace("</meta>", f"<description>{escape(description)}</description></meta>", 1)
    try:
        Path(path).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write GEXF: {exc.strerror}") from exc


_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Sans CJK", "Source Han Sans",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "AR PL UMing")


def find_cjk_font() -> Path:
    """A font file that has Chinese, as fontconfig finds it (``fc-list :lang=zh``).

    Prefers Noto Sans CJK (Debian's ``fonts-noto-cjk``), then Source Han Sans,
    WenQuanYi, a serif, and any other font fontconfig says covers Chinese; regular
    weight before others.

    Raises
    ------
    InputError
        fontconfig is missing or knows no Chinese font.
    """
    if shutil.which("fc-list") is None:
        raise InputError("a picture with Chinese labels needs fontconfig's fc-list and a Chinese font "
                         "(Debian: apt-get install fontconfig fonts-noto-cjk)")
    listing = subprocess.run(["fc-list", "--format", "%{file}\t%{family}\t%{style}\n", ":lang=zh"],
                             capture_output=True, text=True, check=False).stdout
    candidates = []
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0]:
            continue
        file, family, style = parts
        preference = next((i for i, name in enumerate(_CJK_FAMILIES) if name.lower() in family.lower()), len(_CJK_FAMILIES))
        regular = 0 if any(s in style for s in ("Regular", "Book", "Normal")) else 1
        candidates.append((preference, regular, "Mono" in family, file))
    if not candidates:
        raise InputError("no Chinese font found by fontconfig (fc-list :lang=zh); Debian: apt-get install fonts-noto-cjk")
    return Path(min(candidates)[3])


def _layout(graph: nx.Graph, seed: int) -> dict:
    """Positions: the largest component spread over the middle, smaller ones in a row below it.

    A spring layout of the whole graph throws small components to the edges and
    squeezes the main one into a corner; each component is laid out on its own
    instead.  An edge pulls by its damped weight (1 + log(w) / 2) over the geometric
    mean of its ends' degrees, so that hubs do not drag everything into one knot.
    """
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    positions = {}

    def spread(nodes, centre, radius):
        sub = nx.Graph()
        sub.add_nodes_from(sorted(nodes))
        part = graph.subgraph(nodes)
        sub.add_edges_from((u, v, {"pull": (1.0 + 0.5 * math.log(max(w, 1.0))) / math.sqrt(part.degree(u) * part.degree(v))})
                           for u, v, w in part.edges(data="weight", default=1.0))
        if len(sub) == 1:
            local = {next(iter(sub)): (0.0, 0.0)}
        else:
            local = nx.spring_layout(sub, weight="pull", seed=seed, k=2.5 / math.sqrt(len(sub)), iterations=500)
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        scale = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
        mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        for node, (x, y) in local.items():
            positions[node] = (centre[0] + radius * (x - mx) / scale, centre[1] + radius * (y - my) / scale)

    spread(components[0], (0.0, 0.0), 1.0)
    rest = components[1:]
    for i, nodes in enumerate(rest):
        step = 2.2 / max(len(rest), 1)
        spread(nodes, (-1.1 + step * (i + 0.5), -1.22), min(0.12 * math.sqrt(len(nodes)), step * 0.4))
    return positions


def _place_labels(figure, axes, labels: Sequence[tuple[tuple[float, float], str]], font) -> int:
    """Label points in order, each at the first of rings of offsets where it overlaps no earlier label.

    A label moved off its point gets a thin leader line; one that finds no free place
    is left out (the list is best first).  Returns how many were drawn.  Greedy,
    O(labels^2 * offsets).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    renderer = FigureCanvasAgg(figure).get_renderer()
    offsets = [(0, 5)] + [(round(r * math.cos(a * math.pi / 8)), round(r * math.sin(a * math.pi / 8)))
                          for r in (14, 26, 40, 56, 74, 94) for a in (4, 12, 0, 8, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15)]
    placed = []
    style = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    for (x, y), text in labels:
        for dx, dy in offsets:
            moved = (dx, dy) != offsets[0]
            label = axes.annotate(text, xy=(x, y), xytext=(dx, dy), textcoords="offset points", fontproperties=font,
                                  ha="center" if abs(dx) < 8 else ("left" if dx > 0 else "right"),
                                  va="bottom" if dy >= 0 else "top", zorder=5, bbox=style,
                                  arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.5,
                                              "shrinkA": 0, "shrinkB": 2} if moved else None)
            label.update_positions(renderer)
            box = Text.get_window_extent(label, renderer).expanded(1.04, 1.15)  # the text, not the leader line
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            label.remove()
    return len(placed)


def to_png(graph: nx.Graph, result: CentralityResult, path: str | Path, *, labels: int = 25,
           font: str | Path | None = None) -> None:
    """Draw the graph: nodes sized by score and coloured by community, the top units labelled.

    The format follows the file's suffix (``.png``, ``.svg``, ``.pdf``).  Labels use a
    Chinese font from fontconfig (:func:`find_cjk_font`) unless ``font`` names a file;
    SVG and PDF embed the glyphs, so the picture reads anywhere.

    Parameters
    ----------
    graph : networkx.Graph
    result : CentralityResult
    path : str or Path
    labels : int
        Label this many units, the best ranked.
    font : str or Path, optional
        A font file with Chinese glyphs.

    Raises
    ------
    InputError
        matplotlib is not installed (an optional extra), no Chinese font, or the file
        cannot be written.

    Notes
    -----
    Spring layout of each connected component (seeded with ``params.seed``), the
    largest in the middle: O(iterations * n^2).
    """
    try:
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
    except ImportError:
        raise InputError("drawing needs matplotlib, an optional extra: pip install 'govkg[plot]' (or pip install matplotlib)") from None
    font_path = Path(font) if font else find_cjk_font()
    if not font_path.is_file():
        raise InputError(f"{font_path}: no such font file")
    text_font = FontProperties(fname=str(font_path), size=8)
    title_font = FontProperties(fname=str(font_path), size=11)

    layout = _layout(graph, result.params.seed)
    primary = result.scores[result.params.metric]
    top = max((abs(r.score) for r in result.rows), default=0) or 1
    figure = Figure(figsize=(14, 11), dpi=150)
    axes = figure.subplots()
    axes.set_axis_off()
    heaviest = max((w for *_, w in graph.edges(data="weight", default=1.0)), default=1.0) or 1.0
    edges = list(graph.edges(data="weight", default=1.0))
    axes.add_collection(LineCollection([(layout[u], layout[v]) for u, v, _ in edges], colors="#999999", zorder=1,
                                       linewidths=[0.5 + 2.5 * max(w - 1, 0) / (heaviest - 1) if heaviest > 1 else 0.6
                                                   for *_, w in edges],
                                       alpha=0.35))
    others = [node for node, kind in graph.nodes(data="kind") if kind != "unit"]
    if others:
        axes.scatter([layout[o][0] for o in others], [layout[o][1] for o in others], s=8, marker="s", color="#bbbbbb", zorder=2)
    units = [r.unit for r in result.rows]
    axes.scatter([layout[u][0] for u in units], [layout[u][1] for u in units],
                 s=[30 + 900 * abs(primary[u]) / top for u in units],
                 c=[_colour(result.community_of.get(u, 0)) for u in units], edgecolors="white", linewidths=0.6, zorder=3)
    axes.set_title(result.describe().replace(" | ", "\n"), fontproperties=title_font)
    axes.set_xlim(-1.25, 1.25)
    axes.set_ylim(-1.5, 1.12)
    figure.tight_layout(rect=(0, 0.02, 1, 1))  # before the labels: placing them needs the final transforms
    shown = _place_labels(figure, axes, [(layout[row.unit], f"{row.rank}. {row.label}") for row in result.rows[:labels]],
                          text_font)
    figure.text(0.01, 0.01, f"size: {result.params.metric}; colour: Louvain community (seed {result.params.seed}); "
                f"labels: {shown} of the top {min(labels, len(result.rows))} units", fontproperties=text_font, color="#555555")
    try:
        figure.savefig(str(path))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot draw the graph: {exc}") from exc


# -- RDF -------------------------------------------------------------------------------


def result_quads(result: CentralityResult, params: CentralityParams | None = None,
                 when: _dt.date | None = None) -> tuple[NamedNode, list[Quad]]:
    """The result as RDF in a named graph of its own, with its parameters and date.

    The graph's IRI (:func:`kg.iri.centrality_result`) follows from the city, year,
    graph kind and the parameters that differ from their defaults, so storing the same
    computation again replaces it.  The graph holds one ``gov:CentralityResult`` (the
    graph IRI itself) with the parameters, and for each computed metric one
    ``gov:CentralityScore`` per unit::

        <…/centrality/许昌市/2026/co-assignment> a gov:CentralityResult ;
            gov:graphKind "co-assignment" ; gov:cityFilter "许昌市" ; gov:yearFilter 2026 ;
            gov:collectives "exclude" ; gov:leadWeight 1.0e0 ; gov:seed 42 ;
            gov:nodeCount 78 ; gov:edgeCount 512 ; dct:date "2026-03-01"^^xsd:date ;
            prov:wasDerivedFrom <…/doc/许昌市/2026/key-tasks> .
        <…/co-assignment/degree/1> a gov:CentralityScore ; gov:inResult <…/co-assignment> ;
            gov:metric "degree" ; gov:forUnit <…/unit/许昌市/发展和改革委员会> ;
            gov:score 40 ; gov:rank 1 ; gov:community 1 .

    Parameters
    ----------
    result : CentralityResult
    params : CentralityParams, optional
        Default ``result.params``.
    when : datetime.date, optional
        The date of the computation (default today).

    Returns
    -------
    (NamedNode, list of Quad)
    """
    params = params or result.params
    when = when or _dt.date.today()
    if isinstance(when, _dt.datetime):
        when = when.date()
    graph = iri.centrality_result(params.city, params.year, params.graph_kind, params.options())
    quads = []

    def add(subject, predicate, obj):
        quads.append(Quad(subject, predicate, obj, graph))

    add(graph, RDF.type, GOV.CentralityResult)
    add(graph, RDFS.label, Literal(result.describe()))
    add(graph, GOV.graphKind, Literal(params.graph_kind))
    for predicate, value in ((GOV.cityFilter, params.city), (GOV.themeFilter, params.theme), (GOV.roleFilter, params.role)):
        if value is not None:
            add(graph, predicate, Literal(value))
    if params.year is not None:
        add(graph, GOV.yearFilter, Literal(params.year))
    add(graph, GOV.collectives, Literal(params.collectives))
    add(graph, GOV.leadWeight, Literal(float(params.lead_weight)))
    add(graph, GOV.seed, Literal(params.seed))
    add(graph, GOV.nodeCount, Literal(result.nodes))
    add(graph, GOV.edgeCount, Literal(result.edges))
    if result.modularity is not None:
        add(graph, GOV.modularity, Literal(float(result.modularity)))
    add(graph, DCT.date, Literal(when.isoformat(), datatype=XSD.date))
    for document in result.documents:
        add(graph, PROV.wasDerivedFrom, NamedNode(document))
    for metric in result.metrics:
        for row in result.rows:
            rank = result.ranks[metric][row.unit]
            score = iri.centrality_score(graph, metric, rank)
            value = result.scores[metric][row.unit]
            add(score, RDF.type, GOV.CentralityScore)
            add(score, GOV.inResult, graph)
            add(score, GOV.metric, Literal(metric))
            add(score, GOV.forUnit, NamedNode(row.unit))
            add(score, GOV.score, Literal(value if metric == "degree" else float(value)))
            add(score, GOV.rank, Literal(rank))
            add(score, GOV.community, Literal(row.community))
    return graph, quads


def save_result(store, result: CentralityResult, params: CentralityParams | None = None,
                when: _dt.date | None = None) -> NamedNode:
    """Store the result in its named graph (replacing an earlier one); returns the graph's IRI."""
    graph, quads = result_quads(result, params, when)
    store.replace_graph(graph, quads)
    return graph


# -- formats ---------------------------------------------------------------------------

_COLUMNS = ("unit", "label", "score", "rank", "community")
_CSV_COLUMNS = _COLUMNS + ("collective", "tasks", "lead_tasks") + METRICS


def _comparison_columns(c: Comparison) -> tuple[str, ...]:
    return ("unit", "label", f"score_{c.year_a}", f"rank_{c.year_a}", f"score_{c.year_b}", f"rank_{c.year_b}", "change")


def _comparison_values(c: Comparison, r: RankChange) -> list:
    return [r.unit, r.label, r.score_a, r.rank_a, r.score_b, r.rank_b, r.change]


def format_table(result: CentralityResult | Comparison, *, limit: int | None = None) -> str:
    """A text table for a terminal, under a ``#`` line naming the graph and its parameters.

    Columns: unit, label, score, rank, community (a comparison: each year's score and
    rank and the change, positive for a unit that climbed).
    """
    if isinstance(result, Comparison):
        names = list(_comparison_columns(result))
        rows = [[_cell(v, signed=(i == 6)) for i, v in enumerate(_comparison_values(result, r))] for r in result.rows]
    else:
        names = list(_COLUMNS)
        rows = [[r.unit, r.label, _cell(r.score), str(r.rank), str(r.community)] for r in result.rows]
    shown = rows if limit is None else rows[:limit]
    widths = [max([_width(n)] + [_width(r[i]) for r in shown]) for i, n in enumerate(names)]

    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [f"# {result.describe()}", line(names), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in shown]
    more = f", {len(rows) - len(shown)} not shown" if len(shown) < len(rows) else ""
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{more})")
    return "\n".join(out) + "\n"


def format_csv(result: CentralityResult | Comparison) -> str:
    """CSV with a header row, numbers at full precision.

    Columns: unit, label, score, rank, community, collective, tasks, lead_tasks and every
    metric (empty when not computed); a comparison: unit, label, score_{year},
    rank_{year} for both years, change.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if isinstance(result, Comparison):
        writer.writerow(_comparison_columns(result))
        writer.writerows([_csv(v) for v in _comparison_values(result, r)] for r in result.rows)
    else:
        writer.writerow(_CSV_COLUMNS)
        writer.writerows([_csv(getattr(r, c)) for c in _CSV_COLUMNS] for r in result.rows)
    return buffer.getvalue()


def format_json(result: CentralityResult | Comparison) -> str:
    """JSON: ``{"graph": {parameters and size}, "rows": [...]}`` (a comparison: ``years`` too)."""
    if isinstance(result, Comparison):
        names = _comparison_columns(result)
        data = {"graph": {**_json_params(result.params), "year": None, "description": result.describe()},
                "years": [result.year_a, result.year_b],
                "rows": [dict(zip(names, _comparison_values(result, r))) for r in result.rows]}
    else:
        data = {"graph": {**_json_params(result.params), "description": result.describe(), "nodes": result.nodes,
                          "edges": result.edges, "units": len(result.rows), "communities": result.communities,
                          "modularity": result.modularity, "documents": list(result.documents)},
                "rows": [{k: v for k, v in asdict(r).items() if k in _CSV_COLUMNS} for r in result.rows]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _json_params(params: CentralityParams) -> dict:
    return {f.name: getattr(params, f.name) for f in fields(params)}


def _plain(value) -> str:
    """A number without a needless ``.0``; anything else as str."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(value, *, signed: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if signed:
        return f"{value:+d}" if value else "0"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.6g}"


def _csv(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tail(iri_text: str) -> str:
    from urllib.parse import unquote

    return unquote(iri_text.rstrip("/").rsplit("/", 1)[-1])


def _task_label(task: str) -> str:
    """``许昌市/2026/key-tasks/task/16`` for a task IRI under the data base."""
    from urllib.parse import unquote

    marker = "/doc/"
    return unquote(task.split(marker, 1)[1]) if marker in task else _tail(task)
