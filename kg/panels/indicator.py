"""The indicator panel: the targets set for an indicator across cities and years, as a chart and a table.

Query: ``panel-indicator-values``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kg.namespaces import GOV
from kg.panels import panel
from kg.queries import rows
from kg.store import Store

__all__ = ["indicator_panel", "chart", "number"]


def number(value: str | None) -> int | float | None:
    """A target's value as a JSON number (``None`` for a qualitative target).

    >>> number("5.5"), number("8"), number(None)
    (5.5, 8, None)
    """
    if value is None:
        return None
    try:
        d = Decimal(value)
    except InvalidOperation:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def chart(targets: list[dict]) -> dict:
    """A grouped bar chart of the numeric targets: one dataset per city and measure, years on the x axis.

    A city and year with two numeric targets in one measure (two documents) show the first.

    >>> c = chart([{"city": "许昌市", "year": 2021, "value": "7.5", "measure": "%"},
    ...            {"city": "许昌市", "year": 2026, "value": "5.5", "measure": "%"},
    ...            {"city": "济源市", "year": 2021, "value": "8", "measure": "%"}])
    >>> c["labels"], [(d["label"], d["data"]) for d in c["datasets"]]
    ([2021, 2026], [('济源市', [8, None]), ('许昌市', [7.5, 5.5])])
    """
    numeric = [t for t in targets if number(t["value"]) is not None]
    years = sorted({t["year"] for t in numeric})
    measures = sorted({t["measure"] or "" for t in numeric})
    series: dict[tuple[str, str], list] = {}
    for t in numeric:
        data = series.setdefault((t["city"], t["measure"] or ""), [None] * len(years))
        slot = years.index(t["year"])
        if data[slot] is None:
            data[slot] = number(t["value"])
    datasets = [{"label": city if len(measures) == 1 else f"{city} ({measure})", "city": city, "measure": measure, "data": data}
                for (city, measure), data in sorted(series.items())]
    return {"kind": "bar", "labels": years, "datasets": datasets, "x": "年份 year",
            "y": " / ".join(m for m in measures if m), "anchor": "indicator-"}


@panel("indicator", GOV.Indicator.value)
def indicator_panel(store: Store, iri: str) -> dict | None:
    """The targets of an indicator by city and year, with their source, and the chart of their values."""
    targets = rows(store, "panel-indicator-values", indicator=iri)
    if not targets:
        return None
    seen = set()
    for t in targets:
        if t["source"] == t["doc"] or t["source"] is None:
            t["source_label"] = t["doc_title"]
        elif t["source_title"]:
            t["source_label"] = t["source_title"]
        else:
            t["source_label"] = f"任务 {t['source_number']}"
        key = (t["city"], t["year"])
        t["anchor"] = key not in seen  # the first row of a city and year carries the chart's anchor id
        seen.add(key)
    return {"targets": targets, "chart": chart(targets), "cities": sorted({t["city"] for t in targets}),
            "years": sorted({t["year"] for t in targets})}
