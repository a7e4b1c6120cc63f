"""``/units``: every unit of a city and year with its tasks by role, as a table, a bar chart, CSV and JSON.

Filters are GET parameters, so every view is a URL to share: ``city`` (as written,
许昌市), ``year``, ``role`` (lead, responsible, cooperating), ``theme`` (its Chinese
name or IRI) and ``collectives`` (``include``: a collective such as 各县(市、区)政府
counts as one unit; ``exclude``; ``expand``: credit its known members).  A city or
year left out of the URL defaults to the latest year with assignments; given empty
(``city=``) it means "all".  ``sort`` (a column) and ``order`` (``asc``/``desc``) sort
the table on the server, so it sorts without JavaScript.

The table, the chart's data, ``?format=csv`` and ``?format=json`` (or ``Accept:
text/csv`` / ``application/json``) hold the same rows in the same order: the rows of
``queries/workload-units.rq`` for the filters, sorted.  A filter value the graph does
not know is a 400 naming the values it does know.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from webui.db import named_rows, snapshot_cached
from webui.entities import local_path
from webui.negotiate import accept

__all__ = ["bp", "Filters", "COLUMNS", "SORTABLE", "ROLES", "COLLECTIVES", "city_years", "themes",
           "one_of", "parse_year", "city_and_year", "page_format", "read_filters", "workload_rows", "sort_rows", "chart_data"]

bp = Blueprint("workload", __name__)

COLUMNS = ("unit", "label", "tasks", "lead", "responsible", "cooperating", "collective")
SORTABLE = ("label", "tasks", "lead", "responsible", "cooperating", "collective")
ROLES = ("lead", "responsible", "cooperating")
COLLECTIVES = ("include", "exclude", "expand")
_NUMBERS = ("tasks", "lead", "responsible", "cooperating")
_FORMATS = {"html": "text/html", "json": "application/json", "csv": "text/csv"}


@dataclass(frozen=True)
class Filters:
    """What the table shows; ``None`` is "any" (``collectives`` is always one of :data:`COLLECTIVES`)."""

    city: str | None = None
    year: int | None = None
    role: str | None = None
    theme: str | None = None
    collectives: str = "include"

    def query_values(self) -> dict[str, str]:
        """The filters as parameters of ``queries/workload-units.rq``.

        >>> Filters(city="许昌市", year=2026, theme="郑许一体化").query_values()
        {'city': '许昌市', 'year': '2026', 'theme': '郑许一体化', 'collectives': 'include'}
        """
        values = {"city": self.city, "year": None if self.year is None else str(self.year), "role": self.role,
                  "theme": self.theme, "collectives": self.collectives}
        return {k: v for k, v in values.items() if v is not None}

    def url_values(self) -> dict[str, str]:
        """The filters as URL parameters ("" for "any", so that a link keeps the choice)."""
        return {k: "" if v is None else str(v) for k, v in asdict(self).items()}


def city_years() -> list[dict]:
    """Cities and years whose documents assign tasks (``queries/workload-years.rq``), latest year first per city."""
    return snapshot_cached("workload-years", lambda: named_rows("workload-years"))


def themes(**values: str) -> list[dict]:
    """Themes with their tagged tasks (``queries/network-themes.rq``), most tasks first."""
    return snapshot_cached(("network-themes", tuple(sorted(values.items()))), lambda: named_rows("network-themes", **values))


def one_of(name: str, raw: str, allowed, shown=None) -> str:
    """``raw`` if it is in ``allowed``, else a 400 naming the choices (``shown``, or ``allowed``)."""
    if raw not in allowed:
        listed = ", ".join(map(str, shown if shown is not None else allowed)) or "none"
        abort(400, f"{name} {raw!r} is not known here; choose one of: {listed}")
    return raw


def parse_year(raw: str, years) -> int | None:
    """A year parameter: ``None`` if empty, else one of ``years`` (400 otherwise)."""
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400, f"year must be a whole number such as {max(years, default=2026)}, got {raw!r}")
    return int(one_of("year", raw, [str(y) for y in sorted(years, reverse=True)]))


def city_and_year(choices: list[dict]) -> tuple[str | None, int | None]:
    """The ``city`` and ``year`` of the request, checked against ``choices`` (rows of :func:`city_years`).

    Left out of the URL, they default to the latest year with assignments (and the
    city with the most of them that year); given empty, they mean "any".
    """
    args = request.args
    latest = max(choices, key=lambda c: (c["year"], c["assignments"]), default=None)
    city: str | None = latest["city"] if latest else None
    year: int | None = latest["year"] if latest else None
    if "city" in args:
        city = one_of("city", args["city"], sorted({c["city"] for c in choices})) if args["city"] else None
    if "year" in args:
        year = parse_year(args["year"], {c["year"] for c in choices})
    return city, year


def page_format(formats: dict[str, str]) -> str:
    """The name of the format to answer in, by ``?format=`` or else Accept, among ``formats`` (name -> media type; the first is the default).

    An unknown ``?format=`` is a 406.
    """
    asked = request.args.get("format")
    if asked:
        if asked.lower() not in formats:
            abort(406, f"format {asked!r}: expected {', '.join(formats)}")
        return asked.lower()
    best = accept().best_match(list(formats.values()), default=next(iter(formats.values())))
    return next(name for name, media in formats.items() if media == best)


def read_filters(choices: list[dict], theme_choices: list[dict] | None = None) -> Filters:
    """The filters of the request, checked against the graph's ``choices`` (400 if one is unknown)."""
    args = request.args
    city, year = city_and_year(choices)
    role = args.get("role") or None
    if role is not None:
        one_of("role", role, ROLES)
    collectives = one_of("collectives", args.get("collectives") or "include", COLLECTIVES)
    theme = args.get("theme") or None
    if theme is not None and theme_choices is not None:
        known = {t["label"] for t in theme_choices} | {t["theme"] for t in theme_choices}
        one_of("theme", theme, known, [t["label"] for t in theme_choices])
    return Filters(city, year, role, theme, collectives)


def workload_rows(filters: Filters) -> list[dict]:
    """The rows of ``queries/workload-units.rq`` for ``filters``: unit, label, the counts, collective."""
    return snapshot_cached(("workload-units", filters), lambda: named_rows("workload-units", **filters.query_values()))


def sort_rows(rows: list[dict], column: str | None, order: str) -> list[dict]:
    """``rows`` sorted by ``column`` (``None``: as the query ordered them); ties keep the query's order.

    >>> rows = [{"label": "乙", "lead": 1}, {"label": "甲", "lead": 0}, {"label": "丙", "lead": 1}]
    >>> [r["label"] for r in sort_rows(rows, "lead", "desc")], [r["label"] for r in sort_rows(rows, "lead", "asc")]
    (['乙', '丙', '甲'], ['甲', '乙', '丙'])
    """
    if column is None:
        return list(rows)
    return sorted(rows, key=lambda r: r[column], reverse=(order == "desc"))


def _sort_order() -> tuple[str | None, str]:
    column = request.args.get("sort") or None
    if column is not None:
        one_of("sort column", column, SORTABLE)
    default = "desc" if column in _NUMBERS else "asc"
    order = request.args.get("order") or default
    one_of("order", order, ("asc", "desc"))
    return column, order


def chart_data(rows: list[dict]) -> dict:
    """The bar chart's data: one bar per row, in the table's order, a series per role."""
    return {
        "labels": [r["label"] for r in rows],
        "units": [r["unit"] for r in rows],
        "hrefs": [local_path(r["unit"]) for r in rows],
        "tasks": [r["tasks"] for r in rows],
        "series": [{"role": role, "data": [r[role] for r in rows]} for role in ROLES],
    }


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([[r[c] for c in COLUMNS] for r in rows])
    return buffer.getvalue()


@bp.route("/units")
def units() -> Response:
    """The workload page, or its CSV or JSON twin."""
    fmt = page_format(_FORMATS)
    choices = city_years()
    theme_choices = themes()
    filters = read_filters(choices, theme_choices)
    column, order = _sort_order()
    rows = sort_rows(workload_rows(filters), column, order)
    here = {**filters.url_values(), **({"sort": column, "order": order} if column else {})}
    if fmt == "csv":
        name = "workload-{}-{}.csv".format(filters.year or "all", filters.role or "all")
        response = Response(_csv(rows), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    elif fmt == "json":
        response = jsonify({
            "filters": asdict(filters), "sort": column, "order": order, "columns": list(COLUMNS), "rows": rows,
            "choices": {"cities": sorted({c["city"] for c in choices}),
                        "years": sorted({c["year"] for c in choices}, reverse=True),
                        "themes": [t["label"] for t in theme_choices], "roles": list(ROLES), "collectives": list(COLLECTIVES)},
            "csv": url_for("workload.units", **here, format="csv", _external=True),
        })
    else:
        links = {c: url_for("workload.units", **filters.url_values(), sort=c,
                            order=("asc" if order == "desc" else "desc") if c == column else ("desc" if c in _NUMBERS else "asc"))
                 for c in SORTABLE}
        response = Response(render_template(
            "workload.html", rows=rows, filters=filters, sort=column, order=order, sort_links=links,
            cities=sorted({c["city"] for c in choices}), years=sorted({c["year"] for c in choices}, reverse=True),
            themes=theme_choices, roles=ROLES, collectives=COLLECTIVES, chart=chart_data(rows),
            csv_link=url_for("workload.units", **here, format="csv"), json_link=url_for("workload.units", **here, format="json"),
        ), content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response
