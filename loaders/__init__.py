"""Pure parsers: bytes or text -> ``Document``; format detection for the document family.

No store, no RDF, no I/O besides reading and decoding the file.

>>> doc = parse("许昌市人民政府关于2026年重点工作任务分解的通知\\n一、目标\\n1.经济增长5.5%左右。(市发展和改革委员会负责)", source="t.txt")
>>> doc.id, doc.tasks[0].number, doc.tasks[0].assignments[0].name
('许昌市/2026/key-tasks', '1', '市发展和改革委员会')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from loaders.decode import decode
from loaders.errors import DocumentError
from loaders.webpage import html_to_text, looks_like_html
from loaders.meta import CityName, doc_number, find_city, find_issued, find_title, find_year, publisher_for
from loaders.model import KINDS, ROLES, Assignment, Document, Section, Task
from loaders.notice import count_task_lines, fail_no_tasks, parse_tasks
from loaders.report import looks_like_report, looks_like_summary, read_report, read_summary
from loaders.text import fold, lines as split_lines

__all__ = ["load", "parse", "detect_kind", "Document", "Task", "Section", "Assignment", "ROLES", "KINDS", "DocumentError", "PARSER_VERSION"]

PARSER_VERSION = "1"
_TITLES = {
    "key-tasks": "{city}{year}年政府工作报告重点工作任务分解",
    "work-report": "{city}{year}年政府工作报告",
    "work-report-summary": "{city}{year}年政府工作报告摘要",
}


def load(path: str | Path, *, cities: Sequence[CityName] = ()) -> Document:
    """Read, decode and parse one file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), None, "a readable file", found=exc.strerror or str(exc)) from exc
    text, encoding = decode(data, source=str(path))
    return parse(text, source=str(path), encoding=encoding, cities=cities)


def detect_kind(lines, *, source: str) -> str:
    """key-tasks, work-report or work-report-summary; DocumentError for anything else."""
    head = "".join(l.stripped for l in lines[:60])
    noticeish = bool(re.search(r"重点工作|任务分解|任务分工|责任单位|牵头单位", head))
    tasks = count_task_lines(lines)
    if tasks >= 2 or (tasks == 1 and noticeish):
        return "key-tasks"
    if looks_like_summary(lines):
        return "work-report-summary"
    if looks_like_report(lines):
        return "work-report"
    if noticeish:
        raise fail_no_tasks(lines, source)
    first = next((l for l in lines if l.stripped), None)
    raise DocumentError(source, first.number if first else None,
                        "a key-task notice (numbered tasks with 牵头/责任单位), a 政府工作报告 or its summary",
                        found=first.stripped if first else "nothing")


def parse(text: str, *, source: str, encoding: str = "utf-8", cities: Sequence[CityName] = ()) -> Document:
    """Parse decoded text into a Document, or raise DocumentError naming file and line."""
    if looks_like_html(text):
        text = html_to_text(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DocumentError(source, None, "a non-empty text document", found="only blank lines")
    folded = fold(text)
    lines = split_lines(folded)
    kind = detect_kind(lines, source=source)
    city = find_city(folded, cities)
    if not city:
        raise DocumentError(source, 1, "the name of the city the document belongs to (e.g. 许昌市人民政府)")
    year = find_year(folded)
    if not year:
        raise DocumentError(source, 1, "the plan year (e.g. 2026年重点工作)")
    number = doc_number(folded)
    problems: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    if kind == "key-tasks":
        parsed = parse_tasks(lines, folded, text, source=source)
        if not parsed.tasks:
            raise fail_no_tasks(lines, source)
        sections, tasks, problems = parsed.sections, parsed.tasks, parsed.problems
    elif kind == "work-report":
        sections, tasks = read_report(lines, text)
    else:
        sections, tasks = read_summary(lines, text)
    if kind != "key-tasks" and not sections:
        raise DocumentError(source, len(lines), "sections headed 一、 or (一) (or numbered themes in a summary)")
    title = find_title([l.text for l in lines]) or _TITLES[kind].format(city=city, year=year)
    if kind != "key-tasks" and title == "政府工作报告":
        title = _TITLES[kind].format(city=city, year=year)
    return Document(
        source=source, text=text, encoding=encoding, kind=kind, city=city, year=year, title=title,
        doc_number=number, issued=find_issued(folded, year), publisher=publisher_for(city, number),
        sections=sections, tasks=tasks, problems=problems,
    )
