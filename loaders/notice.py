"""Key-task notices (重点工作任务分解): numbered tasks, each with the units that carry it.

The family, not five files.  Tasks are numbered ``1.`` ``1、`` ``1 .`` or ``(一)``,
under chapters ``一、`` and sections ``(一)``; numbering may continue across chapters
or restart in each.  Units follow a task as a trailing bracket, as ``牵头单位:`` /
``责任单位:`` / ``配合单位:`` lines in any order, as a ``由…负责落实`` line, or in the
columns of a flattened table (``序号 任务 牵头单位 配合单位 完成时限``)::

    4.大力推进许港产业带建设……(市发展和改革委员会,长葛市、建安区政府按职责分工负责)
    1.坚持“外防输入、内防反弹”总体防控策略……
    责任单位:市疫情防控指挥部办公室、市卫生健康委等,各县(市、区)政府(管委会)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from loaders.errors import DocumentError
from loaders.model import Assignment, Section, Task
from loaders.text import Line, cn_to_int, is_furniture, squeeze, strip_furniture
from loaders.units import DEADLINE_LABEL, ROLE_LABEL, looks_like_units, parse_units

__all__ = ["parse_tasks", "count_task_lines", "ParsedTasks"]

_CN = "一二三四五六七八九十百零〇两"
CHAPTER = re.compile(rf"^([{_CN}]{{1,4}})\s*[、.]\s*(\S.*)$")
SECTION = re.compile(rf"^\(\s*([{_CN}]{{1,4}})\s*\)\s*[、.]?\s*(\S.*)$")
ARABIC = re.compile(r"^(?:(\d{1,3})\s*(?:[.、]|\s+(?=\S))|\(\s*(\d{1,3})\s*\)\s*[.、]?)\s*(?!\d)(\S.*)$")
ARABIC_STRICT = re.compile(r"^(?:(\d{1,3})\s*[.、]|\(\s*(\d{1,3})\s*\)\s*[.、]?)\s*(?!\d)(\S.*)$")
UNIT_LINE = re.compile(ROLE_LABEL.pattern)
BY_LINE = re.compile(r"^由\s*(?P<body>.+?)\s*[。.]?\s*$")
TABLE_HEADER = re.compile(r"序\s*号.*(?:牵头|责任|配合)")
_TRAILING_BRACKET_END = re.compile(r"\)\s*[。.;]?\s*$")


@dataclass
class _Open:
    number: str
    value: int
    chapter: str | None
    section: str | None
    line: Line
    parts: list[tuple[int, int]] = field(default_factory=list)  # (start, end) spans of task text
    annotations: list[tuple[list[tuple[int, int]], str]] = field(default_factory=list)  # (spans, default role)
    deadline: tuple[int, int] | None = None
    table_cells: list[Line] | None = None  # for a table row: its continuation lines


@dataclass(frozen=True)
class ParsedTasks:
    sections: tuple[Section, ...]
    tasks: tuple[Task, ...]
    problems: tuple[str, ...]


def count_task_lines(lines: list[Line]) -> int:
    """How many lines look like numbered tasks with a unit annotation (for format detection)."""
    count = 0
    for i, line in enumerate(lines):
        s = line.stripped
        if TABLE_HEADER.search(s):
            following = [l.stripped for l in lines[i + 1: i + 4]]
            count += 2 if any(ARABIC.match(f) for f in following) else 1
        elif UNIT_LINE.match(s):
            count += 1
        elif (ARABIC_STRICT.match(s) or SECTION.match(s)) and _trailing_annotation(s) is not None:
            count += 1
    return count


def _trailing_annotation(s: str) -> tuple[int, int] | None:
    """(start, end) of a final bracket that reads as a unit annotation, within s."""
    m = _TRAILING_BRACKET_END.search(s)
    if not m:
        return None
    close = m.start()
    depth = 0
    for i in range(close, -1, -1):
        if s[i] == ")":
            depth += 1
        elif s[i] == "(":
            depth -= 1
            if depth == 0:
                body = s[i + 1: close]
                return (i, close + 1) if looks_like_units(body) else None
    return None


def parse_tasks(lines: list[Line], folded: str, original: str, *, source: str) -> ParsedTasks:
    """Read chapters, sections and tasks from a notice's lines."""
    has_arabic = any(ARABIC_STRICT.match(l.stripped) for l in lines)
    sections: list[Section] = []
    finished: list[_Open] = []
    problems: list[str] = []
    chapter: Section | None = None
    section: Section | None = None
    current: _Open | None = None
    table: list[tuple[str, str]] | None = None  # [(column key, separator)]
    last_value = 0

    def close_task():
        nonlocal current
        if current is not None:
            finished.append(current)
            current = None

    def open_section(number: str, title: str, level: int, line: Line):
        nonlocal chapter, section
        close_task()
        if level == 1:
            key = str(len([s for s in sections if s.level == 1]) + 1)
            parent = None
        else:
            parent = chapter.key if chapter else None
            siblings = [s for s in sections if s.level == 2 and s.parent == parent]
            key = f"{parent}.{len(siblings) + 1}" if parent else f"0.{len(siblings) + 1}"
        sec = Section(key, number, squeeze(strip_furniture(title)).rstrip("。."), level, parent,
                      line.content_start, line.content_end, line.number)
        sections.append(sec)
        if level == 1:
            chapter, section = sec, None
        else:
            section = sec

    for index, line in enumerate(lines):
        s = line.stripped
        if not s or is_furniture(s):
            continue
        if TABLE_HEADER.search(s) and not ARABIC_STRICT.match(s):
            table = _table_columns(s)
            close_task()
            continue
        m = CHAPTER.match(s)
        if m and _trailing_annotation(s) is None and not (current and current.table_cells is not None and not _is_heading(s)):
            open_section(m.group(1), m.group(2), 1, line)
            continue
        m = SECTION.match(s)
        if m and not _section_is_task(s, lines, index, has_arabic):
            open_section(m.group(1), m.group(2), 2, line)
            continue
        if m:  # a task numbered (一)
            close_task()
            value = cn_to_int(m.group(1))
            current = _Open(m.group(1), value, chapter.key if chapter else None, _sec_key(chapter, section), line)
            body_start = line.start + line.text.index(m.group(2), line.text.index(")"))
            current.parts.append((body_start, line.content_end))
            last_value = value
            continue
        m = (ARABIC if table else ARABIC_STRICT).match(s)
        number = (m.group(1) or m.group(2)) if m else None
        if m and _plausible_next(int(number), last_value):
            close_task()
            value = int(number)
            current = _Open(number, value, chapter.key if chapter else None, _sec_key(chapter, section), line)
            body_start = line.content_start + m.start(3)
            if table:
                current.table_cells = []
                body_start = line.content_start
            current.parts.append((body_start, line.content_end))
            last_value = value
            continue
        if current is None or not re.search(r"[\w\u4e00-\u9fff]", s):
            continue  # preamble, addressees, closing remarks; stray punctuation
        if UNIT_LINE.match(s) or DEADLINE_LABEL.match(s):
            current.annotations.append(([(line.content_start, line.content_end)], "responsible"))
            continue
        if current.annotations and _wraps(current.annotations[-1], folded) and looks_like_units(s):
            current.annotations[-1][0].append((line.content_start, line.content_end))  # a unit line wrapped
            continue
        by = BY_LINE.match(s)
        if by and re.search(r"(?:负责|牵头|配合)", s):
            body_start = line.content_start + by.start("body")
            current.annotations.append(([(body_start, body_start + len(by.group("body")))], "responsible"))
            continue
        if current.table_cells is None and (current.annotations or _closed_by_bracket(current, folded) or _not_task_text(s)):
            continue  # prose after a task's units, a signature, a repeated title: no task's text
        if current.table_cells is not None:
            current.table_cells.append(line)
            continue
        current.parts.append((line.content_start, line.content_end))
    close_task()

    tasks = []
    for item in finished:
        task, problem = _finish(item, table, folded, original, source)
        tasks.append(task)
        if problem:
            problems.append(problem)
    tasks = _qualify_keys(tasks, [item.chapter for item in finished])
    return ParsedTasks(tuple(sections), tuple(tasks), tuple(problems))


def _wraps(annotation: tuple[list[tuple[int, int]], str], folded: str) -> bool:
    """Whether a unit line ends with a separator, so that the next line continues its list."""
    a, b = annotation[0][-1]
    return bool(re.search(r"[、,;]\s*$", folded[a:b]))


def _closed_by_bracket(task: _Open, folded: str) -> bool:
    """Whether the task's text so far already ends with its unit annotation."""
    if not task.parts:
        return False
    a, b = task.parts[-1]
    return _trailing_annotation(folded[a:b]) is not None


_SIGNATURE = re.compile(r"^(?:\S{2,12}(?:人民政府|人民政府办公室|政府办公室|办公厅|办公室)|(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\(此件公开发布\)|附件\s*[:\d]*.*)$")


def _not_task_text(s: str) -> bool:
    """Signature lines, dates, repeated notice titles: never the continuation of a task."""
    squeezed = re.sub(r"\s+", "", s)
    return bool(_SIGNATURE.match(squeezed)) or bool(re.search(r"关于.{2,60}的通知$", squeezed))


def _is_heading(s: str) -> bool:
    return len(s) < 60 and not re.search(r"[\t|]", s)


def _sec_key(chapter: Section | None, section: Section | None) -> str | None:
    return section.key if section else chapter.key if chapter else None


def _plausible_next(value: int, last: int) -> bool:
    return value == 1 or last == 0 or 1 <= value - last <= 3


def _section_is_task(s: str, lines: list[Line], index: int, has_arabic: bool) -> bool:
    """A '(一)…' line is a task when it carries units or units follow it; a heading otherwise."""
    if _trailing_annotation(s) is not None:
        return True
    for nxt in lines[index + 1: index + 4]:
        t = nxt.stripped
        if not t or is_furniture(t):
            continue
        if UNIT_LINE.match(t) or (BY_LINE.match(t) and re.search(r"负责|牵头", t)):
            return True
        if ARABIC_STRICT.match(t) or SECTION.match(t) or CHAPTER.match(t):
            break
    return not has_arabic and len(s) > 40


_COLUMN_NAMES = (
    ("number", r"序号|编号"),
    ("lead", r"牵头单位|牵头部门|主责单位"),
    ("cooperating", r"配合单位|配合部门|协办单位|参与单位"),
    ("responsible", r"责任单位|责任部门|承办单位"),
    ("deadline", r"完成时限|时间节点|完成时间|时限"),
    ("task", r"任务|工作内容|主要内容|具体内容|内容|事项|措施"),
)


def _table_columns(header: str) -> list[tuple[str, str]]:
    sep = "|" if "|" in header else "\t" if "\t" in header else "  " if "  " in header.strip() else " "
    cells = _cells(header, sep)
    columns = []
    for cell in cells:
        key = next((k for k, pattern in _COLUMN_NAMES if re.search(pattern, cell)), "other")
        columns.append((key, sep))
    return columns


def _cells(text: str, sep: str) -> list[str]:
    text = text.strip().strip("|")
    if sep == "|":
        return [c.strip() for c in text.split("|")]
    if sep == "\t":
        return [c.strip() for c in re.split(r"\t+", text)]
    if sep == "  ":
        return [c.strip() for c in re.split(r"\s{2,}|\t", text)]
    return [c for c in re.split(r"\s+", text) if c]


def _finish(item: _Open, table, folded: str, original: str, source: str) -> tuple[Task, str | None]:
    start = item.line.content_start
    annotations = list(item.annotations)
    deadline = None
    if item.table_cells is not None and table:
        columns = _table_row(item, table, folded)
        text_spans = columns.get("task", [])
        for role in ("lead", "responsible", "cooperating"):
            spans = [(a, b) for a, b in columns.get(role, []) if folded[a:b].strip() not in ("", "-", "—", "/", "无")]
            if spans:
                annotations.append((spans, role))
        if columns.get("deadline"):
            deadline = "".join(original[a:b].strip() for a, b in columns["deadline"])
    else:
        text_spans = list(item.parts)
        # A final bracket of the task text (possibly wrapped over lines) is its unit annotation.
        offsets = [i for a, b in text_spans for i in range(a, b)]
        joined = "".join(folded[i] for i in offsets)
        bracket = _trailing_annotation(joined)
        if bracket:
            b0, b1 = bracket
            annotations.insert(0, ([(offsets[b0 + 1], offsets[b1 - 2] + 1)], "responsible"))
            cut = offsets[b0]
            text_spans = [(a, min(b, cut)) for a, b in text_spans if a < cut]
    ends = [e for _, e in text_spans] + [item.line.content_end] + [l.content_end for l in item.table_cells or []]
    end = max(ends + [b for spans, _ in annotations for _, b in spans])
    text = "".join(strip_furniture(original[a:b]) for a, b in text_spans).strip()
    text = re.sub(r"[ \t]*\n[ \t]*", "", text)
    assignments: list[Assignment] = []
    units_text = []
    leftovers = []
    positions: dict[str, int] = {}
    for spans, role in annotations:
        parsed = _parse_spans(spans, folded, original, role)
        units_text.append("".join(original[a:b] for a, b in spans))
        for a in parsed.assignments:  # renumber positions across several annotation lines
            positions[a.role] = positions.get(a.role, 0) + 1
            assignments.append(Assignment(a.mention, a.name, a.role, positions[a.role], a.start, a.end, a.collective))
        deadline = deadline or parsed.deadline
        leftovers += parsed.leftovers
    problem = None
    if not assignments:
        problem = f"{source}:{item.line.number}: task {item.number}: no unit list could be read" + (
            f" in {units_text[0]!r}" if units_text else "")
    elif leftovers:
        problem = f"{source}:{item.line.number}: task {item.number}: unreadable part of the unit list {leftovers[0]!r}"
    task = Task(_number_key(item.number), item.number, text, item.section, tuple(assignments), start, end,
                item.line.number, deadline, "\n".join(units_text) or None)
    return task, problem


def _number_key(number: str) -> str:
    return number if number.isdigit() else str(cn_to_int(number))


def _qualify_keys(tasks: list[Task], chapters: list[str | None]) -> list[Task]:
    """Keys are the numbers, unless numbering restarts: then ``chapter.number``."""
    if len({t.key for t in tasks}) == len(tasks):
        return tasks
    return [replace(t, key=f"{chapter or 0}.{t.key}") for t, chapter in zip(tasks, chapters)]


_SEPARATOR = {"|": r"\s*\|\s*", "\t": r"[ ]*\t[\t ]*", "  ": r"\s{2,}|\s*\t\s*"}
_UNIT_COLUMNS = ("lead", "responsible", "cooperating")


def _fragments(line: Line, sep: str, folded: str) -> list[tuple[int, int]]:
    """Non-empty cells of one table line as absolute (start, end) spans, in order."""
    text = folded[line.start: line.end]
    pattern = _SEPARATOR.get(sep, r"\s+")
    out, last = [], 0
    for m in re.finditer(pattern, text):
        out.append((last, m.start()))
        last = m.end()
    out.append((last, len(text)))
    return [(line.start + a, line.start + b) for a, b in out if text[a:b].strip(" |")]


def _table_row(item: _Open, table, folded: str) -> dict[str, list[tuple[int, int]]]:
    """The spans of each column of a table row, its continuation lines included.

    The row's own line is split by position; a fragment on a continuation line goes
    where its content belongs: dates to the deadline, unit lists to the unit column
    whose list is still open (ends with 、 or ,), prose to the task text.  Alignment by
    separators or spaces is not trusted: wrapped cells in real notices rarely line up.
    """
    sep = table[0][1]
    keys = [k for k, _ in table]
    first = _fragments(item.line, sep, folded)
    if len(first) > len(keys) and "task" in keys:  # spaces inside the task text: merge the middle
        ti = keys.index("task")
        extra = len(first) - len(keys)
        first = first[:ti] + [(first[ti][0], first[ti + extra][1])] + first[ti + extra + 1:]
    columns: dict[str, list[tuple[int, int]]] = {}
    for i, span in enumerate(first):
        columns.setdefault(keys[i] if i < len(keys) else "other", []).append(span)
    for line in item.table_cells or []:
        for a, b in _fragments(line, sep, folded):
            columns.setdefault(_column_for(folded[a:b], columns, folded, keys), []).append((a, b))
    return columns


def _column_for(fragment: str, columns: dict, folded: str, keys: list[str]) -> str:
    text = fragment.strip()
    if "deadline" in keys and _DEADLINE_CELL.match(text):
        return "deadline"
    if looks_like_units(text) or _UNIT_NAME.search(text):
        present = [k for k in _UNIT_COLUMNS if k in keys]
        open_ = [k for k in present if columns.get(k) and re.search(r"[、,;]\s*$", folded[slice(*columns[k][-1])])]
        if open_:
            return open_[0]
        if present:
            return present[-1]
    return "task" if "task" in keys else keys[-1]


_DEADLINE_CELL = re.compile(r"^(?:(?:19|20)\d\d年)?(?:\d{1,2}月)?(?:\d{1,2}日|底|末|中旬|上旬|下旬)?前?(?:完成)?$|^年底前|^长期|^持续")
_UNIT_NAME = re.compile(r"^[^。,]{2,30}(?:局|委|办|政府|管委会|中心|公司|集团|海关|支行|分行|分局)$")


def _parse_spans(spans: list[tuple[int, int]], folded: str, original: str, role: str):
    """Parse a unit annotation, possibly spread over several spans (a wrapped table cell), as one list."""
    from loaders.units import UnitList

    offsets = [i for a, b in spans for i in range(a, b)]
    joined_folded = "".join(folded[i] for i in offsets)
    joined_original = "".join(original[i] for i in offsets)
    parsed = parse_units(joined_folded, joined_original, 0, default_role=role)
    moved = tuple(
        Assignment(original[offsets[a.start]: offsets[a.end - 1] + 1], a.name, a.role, a.position,
                   offsets[a.start], offsets[a.end - 1] + 1, a.collective)
        for a in parsed.assignments
    )
    return UnitList(moved, parsed.deadline, parsed.leftovers)


def fail_no_tasks(lines: list[Line], source: str) -> DocumentError:
    """The error for a notice-like file in which no task could be found."""
    last = next((l for l in reversed(lines) if l.stripped), None)
    return DocumentError(source, last.number if last else None, "a numbered task such as '1.…(…负责)'",
                         found=last.stripped if last else "nothing")
