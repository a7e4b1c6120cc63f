"""The unit panel: a government unit's workload by year and role, its tasks, co-units, themes, names and renames.

Queries: ``queries/panel-unit-*.rq``.  Workload counts assignments (a task in which the
unit holds two roles counts once per role, once in the year's total); tasks that only
name the unit in their text (``gov:mentionsUnit``) are listed with role ``mentioned``
but are not workload.  The workload is counted from the rows of ``panel-unit-tasks``
(the same tasks ``panel-unit-workload`` counts, which the page thus need not run: half a
second for a unit of 3,000 assignments).  A unit's task list is paged: the panel shows
the first :data:`TASKS_SHOWN` rows, says how many there are (``tasks_total``) and
whether it is cut (``tasks_paged``); ``unit_panel(..., all_tasks=True)`` lists them all.

>>> from kg.store import open_store
>>> unit_panel(open_store(None), "https://w3id.org/govkg/id/unit/nowhere") is None
True
"""

from __future__ import annotations

from collections import defaultdict

from kg.namespaces import GOV
from kg.panels import panel
from kg.queries import rows
from kg.store import Store

__all__ = ["unit_panel", "ROLES", "TASKS_SHOWN"]

ROLES = ("lead", "responsible", "cooperating")  # the skos:notation of gov:Lead, gov:Responsible, gov:Cooperating
TASKS_SHOWN = 100  # rows of a unit's task list shown unless all are asked for


def _workload(tasks: list[dict]) -> dict:
    """Per (year, city): tasks in each role and in all roles (distinct tasks), oldest year first.

    >>> w = _workload([{"task": "t1", "year": 2026, "city": "许昌市", "role": "lead"},
    ...                {"task": "t1", "year": 2026, "city": "许昌市", "role": "cooperating"},
    ...                {"task": "t2", "year": 2026, "city": "许昌市", "role": "mentioned"}])
    >>> [(r["lead"], r["responsible"], r["cooperating"], r["total"]) for r in w["rows"]]
    [(1, 0, 1, 1)]
    """
    by_role: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for t in tasks:
        if t["role"] in ROLES:
            by_role[t["year"], t["city"]][t["role"]].add(t["task"])
    table = []
    for key in sorted(by_role, key=lambda k: (k[0] if isinstance(k[0], int) else 0, str(k[1]))):
        roles = by_role[key]
        table.append({"year": key[0], "city": key[1], **{role: len(roles.get(role, ())) for role in ROLES},
                      "total": len(set().union(*roles.values()))})
    several_cities = len({e["city"] for e in table}) > 1
    return {
        "roles": list(ROLES),
        "rows": table,
        "chart": {
            "labels": [f"{e['year']} {e['city']}" if several_cities else str(e["year"]) for e in table],
            "series": [{"role": role, "values": [e[role] for e in table]} for role in ROLES],
        },
    }


@panel("unit", GOV.Unit.value)
@panel("unit", GOV.CollectiveUnit.value)
def unit_panel(store: Store, iri: str, all_tasks: bool = False) -> dict | None:
    """Workload, tasks, co-units, themes, names, city and renames of the unit ``iri``; None if the graph knows none of it.

    The task list holds the first :data:`TASKS_SHOWN` tasks, or all of them if ``all_tasks``.
    """
    about = rows(store, "panel-unit-about", unit=iri)
    tasks = rows(store, "panel-unit-tasks", unit=iri)
    renames = rows(store, "panel-unit-renames", unit=iri)
    if not about and not tasks and not renames:
        return None
    facts: dict[str, list[dict]] = defaultdict(list)
    for r in about:
        facts[r["kind"]].append({"iri": r["value"], "label": r["label"]} if r["kind"] not in ("label", "alias", "written") else r["value"])

    def one(kind: str) -> dict | None:
        return facts[kind][0] if facts.get(kind) else None

    return {
        "label": one("label"),
        "aliases": facts.get("alias", []),
        "names_as_written": facts.get("written", []),
        "city": one("city"),
        "type": one("type"),
        "parent": one("parent"),
        "members": facts.get("member", []),
        "member_of": facts.get("member-of", []),
        "workload": _workload(tasks),
        "tasks": tasks if all_tasks else tasks[:TASKS_SHOWN],
        "tasks_total": len(tasks),
        "tasks_paged": not all_tasks and len(tasks) > TASKS_SHOWN,
        "co_units": rows(store, "panel-unit-co-units", unit=iri),
        "themes": rows(store, "panel-unit-themes", unit=iri),
        "renames": renames,
    }
