"""The document panel: metadata, counts, chapters and sections with their tasks, and the document's graph.

Queries: ``queries/panel-document-*.rq``.  Each task is listed with its lead units, or,
where the notice names no lead, with the units of its first role listed (a 2026
许昌 task has only 责任单位).  ``graph`` and ``quads`` describe the document's named
graph (whose IRI is the document's), which the web UI offers as Turtle and TriG.

>>> from kg.store import open_store
>>> document_panel(open_store(None), "https://w3id.org/govkg/id/doc/x/2026/key-tasks") is None
True
"""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import NamedNode

from kg.namespaces import GOV
from kg.panels import panel
from kg.queries import rows
from kg.panels.unit import ROLES
from kg.store import Store

__all__ = ["document_panel"]


def _front_units(assignments: list[dict]) -> tuple[str | None, list[dict]]:
    """The role listed first (lead before responsible before cooperating) and its units in list order."""
    for role in ROLES:
        chosen = [a for a in assignments if a["role"] == role]
        if chosen:
            chosen.sort(key=lambda a: a["position"] if isinstance(a["position"], int) else 0)
            return role, [{"iri": a["unit"], "label": a["label"]} for a in chosen]
    return None, []


@panel("document", GOV.Document.value)
def document_panel(store: Store, iri: str) -> dict | None:
    """Metadata, counts, sections with tasks and the named graph of document ``iri``; None if it is no gov:Document."""
    about = rows(store, "panel-document-about", doc=iri)
    if not about:
        return None
    a = about[0]
    assignments = rows(store, "panel-document-assignments", doc=iri)
    by_task: dict[str, list[dict]] = defaultdict(list)
    for r in assignments:
        by_task[r["task"]].append(r)
    task_rows = rows(store, "panel-document-tasks", doc=iri)
    section_rows = rows(store, "panel-document-sections", doc=iri)
    counts = rows(store, "panel-document-counts", doc=iri)[0]
    tasks_by_section: dict[str | None, list[dict]] = defaultdict(list)
    for t in task_rows:
        role, units = _front_units(by_task.get(t["task"], []))
        tasks_by_section[t["section"]].append({
            "iri": t["task"], "number": t["number"], "order": t["order"], "text": t["text"], "title": t["title"],
            "role": role, "units": units, "assignments": len(by_task.get(t["task"], [])),
        })
    sections = [{"iri": s["section"], "number": s["number"], "title": s["title"], "level": s["level"],
                 "parent": s["parent"], "tasks": tasks_by_section.pop(s["section"], [])}
                for s in section_rows]
    loose = [t for tasks in tasks_by_section.values() for t in tasks]  # tasks outside any section
    if loose:
        loose.sort(key=lambda t: t["order"] if isinstance(t["order"], int) else 0)
        sections.insert(0, {"iri": None, "number": None, "title": None, "level": 1, "parent": None, "tasks": loose})
    has_graph = store.has_graph(NamedNode(iri))
    return {
        "title": a["title"],
        "kind": a["kind"],
        "year": a["year"],
        "city": {"iri": a["city"], "label": a["city_label"]} if a["city"] else None,
        "doc_number": a["doc_number"],
        "issued": a["issued"],
        "issuer": {"iri": a["issuer"], "label": a["issuer_label"]} if a["issuer"] else None,
        "source_file": a["source_file"],
        "counts": {"sections": len(section_rows), "tasks": len(task_rows), "assignments": len(assignments),
                   "units": len({r["unit"] for r in assignments}), "themes": counts["themes"], "targets": counts["targets"]},
        "sections": sections,
        "graph": iri if has_graph else None,
        "quads": rows(store, "panel-document-graph", doc=iri)[0]["quads"] if has_graph else 0,
    }
