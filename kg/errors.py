"""The one error hierarchy of govkg: library code raises, the CLI and web layer translate."""

from __future__ import annotations

__all__ = [
    "GovkgError",
    "InputError",
    "DocumentError",
    "QueryError",
    "QueryTimeout",
    "StoreError",
    "ValidationFailed",
]


class GovkgError(Exception):
    """Base class; ``exit_code`` is what the CLI returns, ``status`` what HTTP answers."""

    exit_code = 2
    status = 500


class InputError(GovkgError):
    """Bad input or usage: a missing file, an unknown parameter, a malformed value."""

    exit_code = 2
    status = 400


class DocumentError(InputError):
    """A document that cannot be read whole.

    Carries the file, the 1-based line where parsing gave up and what was expected,
    so the message is one line a user can act on.

    >>> str(DocumentError("a.txt", 3, "a numbered task such as '1.…'", found="hello"))
    "a.txt:3: expected a numbered task such as '1.…', found 'hello'"
    """

    def __init__(self, source: str, line: int | None, expected: str, *, found: str | None = None):
        self.source = source
        self.line = line
        self.expected = expected
        self.found = found
        where = f"{source}:{line}" if line else source
        message = f"{where}: expected {expected}"
        if found is not None:
            shown = found if len(found) <= 40 else found[:39] + "…"
            message += f", found {shown!r}"
        super().__init__(message)


class QueryError(GovkgError):
    """A SPARQL query that cannot be parsed, bound or run."""

    exit_code = 2
    status = 400


class QueryTimeout(QueryError):
    """A SPARQL query stopped because it ran longer than the time limit.

    HTTP 503, as Fuseki answers a query it stopped: the query was valid, the service
    would not spend more time on it.

    >>> QueryTimeout(3).status, str(QueryTimeout(3))[:39]
    (503, 'the query ran longer than the limit 3 s')
    """

    status = 503

    def __init__(self, seconds: float):
        self.seconds = seconds
        shown = f"{seconds:g}"
        super().__init__(
            f"the query ran longer than the limit {shown} s and was stopped; narrow it (more specific "
            f"patterns, LIMIT, fewer OPTIONAL/cross joins) or run it on your own copy with `govkg query`"
        )


class StoreError(GovkgError):
    """The store cannot be opened or written (locked, missing, corrupt)."""

    exit_code = 2
    status = 503


class ValidationFailed(GovkgError):
    """SHACL validation found violations."""

    exit_code = 1
    status = 422
