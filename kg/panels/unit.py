"""The unit panel: a government unit's workload by year and role, its tasks, co-units, themes, names and renames.

Queries: ``queries/panel-unit-*.rq``.  Workload counts assignments (a task in which the
unit holds two roles counts once per role, once in the year's total); tasks that only
name the unit in their text (``gov:mentionsUnit``) are listed with role ``mentioned``
but are not workload.

>>> from kg.store import open_store
>>> unit_panel(open_store(None), "https://w3id.org/govkg/id/unit/nowhere") is None
True
"""

from __future__ import annotations

from collections import defaultdict

from kg.namespaces import GOV
from kg.panels import panel
from kg.panels._rows import rows
from kg.store import Store

__all__ = ["unit_panel", "ROLES"]

ROLES = ("lead", "responsible", "cooperating")  # the skos:notation of gov:Lead, gov:Responsible, gov:Cooperating


def _workload(workload_rows: list[dict], tasks: list[dict]) -> dict:
    """Per (year, city): tasks in each role and in all roles (distinct tasks), oldest year first."""
    by_key: dict[tuple, dict] = {}
    for r in workload_rows:
        entry = by_key.setdefault((r["year"], r["city"]), {"year": r["year"], "city": r["city"], **{role: 0 for role in ROLES}})
        entry[r["role"]] = r["tasks"]
    totals: dict[tuple, set] = defaultdict(set)
    for t in tasks:
        if t["role"] in ROLES:
            totals[t["year"], t["city"]].add(t["task"])
    table = []
    for key in sorted(by_key, key=lambda k: (k[0] if isinstance(k[0], int) else 0, str(k[1]))):
        entry = by_key[key]
        entry["total"] = len(totals.get(key, ()))
        table.append(entry)
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
def unit_panel(store: Store, iri: str) -> dict | None:
    """Workload, tasks, co-units, themes, names, city and renames of the unit ``iri``; None if the graph knows none of it."""
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
        "workload": _workload(rows(store, "panel-unit-workload", unit=iri), tasks),
        "tasks": tasks,
        "co_units": rows(store, "panel-unit-co-units", unit=iri),
        "themes": rows(store, "panel-unit-themes", unit=iri),
        "renames": renames,
    }
