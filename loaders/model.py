"""The documents loaders produce: frozen dataclasses, no RDF, no store.

Offsets (``start``/``end``) are character offsets into ``Document.text``, the decoded
source as written (end exclusive); ``line`` numbers are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Assignment", "Task", "Section", "Document", "ROLES", "KINDS"]

ROLES = ("lead", "responsible", "cooperating")
KINDS = ("key-tasks", "work-report", "work-report-summary")


@dataclass(frozen=True)
class Assignment:
    """One unit named in a task's unit list."""

    mention: str  # exact substring of the source, as listed
    name: str  # expanded full name (distributive suffixes applied, stray spaces removed)
    role: str  # lead | responsible | cooperating
    position: int  # 1-based position within this role's list
    start: int
    end: int
    collective: bool = False  # 各县(市、区)政府, 市直各单位, 相关部门 …


@dataclass(frozen=True)
class Section:
    """A chapter (``一、``, level 1) or section (``(一)``, level 2)."""

    key: str  # "2" or "2.1": unique within the document
    number: str  # the numeral as written, without punctuation: "二", "一"
    title: str
    level: int
    parent: str | None
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Task:
    """A numbered task of a notice, or a work item of a report (a topic paragraph, a —— or 一是 item, a bullet)."""

    key: str  # unique within the document: the number, qualified by chapter if numbering restarts
    number: str  # as written, without punctuation: "16", "一"
    text: str  # the task text, page furniture and the unit annotation removed
    section: str | None  # key of the innermost enclosing section
    assignments: tuple[Assignment, ...]
    start: int
    end: int
    line: int
    deadline: str | None = None
    units_text: str | None = None  # the unit annotation as written
    title: str | None = None  # a report item's topic sentence (积极扩大有效投资); None for notice tasks


@dataclass(frozen=True)
class Document:
    source: str  # file name or label used in messages
    text: str  # the decoded text every offset points into
    encoding: str
    kind: str
    city: str
    year: int
    title: str
    doc_number: str | None = None
    issued: str | None = None  # ISO date
    publisher: str | None = None
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()
    problems: tuple[str, ...] = field(default=())  # non-fatal findings, one line each

    @property
    def id(self) -> str:
        """``{city}/{year}/{kind}``: the document's identifier and IRI path."""
        return f"{self.city}/{self.year}/{self.kind}"
