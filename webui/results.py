"""Choosing a SPARQL result format for a request: ``format=``/``output=``/``results=`` or Accept.

The formats and their writers are :mod:`kg.results` (pure, so the query process of
:mod:`kg.runner` writes answers without importing the web layer).  Without an Accept
header (or with ``*/*``) the first format of each table is used.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable

from kg.results import GRAPH_FORMATS, SOLUTION_FORMATS, ResultFormat

__all__ = ["ResultFormat", "SOLUTION_FORMATS", "GRAPH_FORMATS", "choose_format"]


def choose_format(table: tuple[ResultFormat, ...], requested: list[str], accept: MIMEAccept) -> ResultFormat:
    """The format to answer in: the first recognised ``requested`` value, else the best Accept match.

    Raises ``NotAcceptable`` (406) when the client asked only for formats this table lacks.
    """
    for value in requested:
        for fmt in table:
            if fmt.answers(value):
                return fmt
    if not requested:
        if not accept:
            return table[0]
        offers = [media for fmt in table for media in fmt.accepts]
        best = accept.best_match(offers)
        if best is not None:
            return next(fmt for fmt in table if best in fmt.accepts)
    available = ", ".join(fmt.content_type.split(";")[0] for fmt in table)
    asked = ", ".join(requested) if requested else ", ".join(value for value, _ in accept)
    raise NotAcceptable(f"cannot answer this query as {asked}; available: {available}")
