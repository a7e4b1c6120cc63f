"""Narrative documents: the 政府工作报告 and its summaries, read into sections and work items.

A work report has parts ``一、七届政府工作回顾`` and sections ``(一)促进经济稳中提升``,
under which each paragraph is a work item whose first sentence is its topic::

    三、2023年重点工作安排
    (一)促进经济稳中提升
    积极扩大有效投资。深入开展“项目建设年”活动……

The review lists achievements as ``——综合实力大幅跃升。……`` and ``一是着力抓调度、稳大盘,
……。`` items.  A summary (markdown) has numbered themes, a bare number line then its
heading, and ``- `` bullets with **bold** figures::

    1
    聚焦制造业高质量发展 着力推动产业转型升级
    - 加快发展现代工业,实施鲲鹏计算、5G等新兴产业链现代化提升计划……
"""

from __future__ import annotations

import re

from loaders.model import Section, Task
from loaders.notice import CHAPTER, SECTION
from loaders.text import Line, is_furniture, squeeze, strip_furniture

__all__ = ["read_report", "read_summary", "looks_like_report", "looks_like_summary"]

_DASH_ITEM = re.compile(r"^[—–-]{2}\s*(\S.*)$")
_YISHI_ITEM = re.compile(r"^([一二三四五六七八九十]{1,3})是\s*(\S.*)$")
_BULLET = re.compile(r"^[-*+]\s+(\S.*)$")
_NOT_ITEMS = re.compile(r"^(?:各位代表|同志们|各位政协委员|各位委员)(?:[!!,,:。]|$)")  # addresses and closing words
_TARGETS = re.compile(r"^(?:\*\*)?主要预期目标")


def looks_like_report(lines: list[Line]) -> bool:
    text = "\n".join(l.stripped for l in lines[:400])
    squeezed = re.sub(r"\s+", "", text)
    markers = sum(m in squeezed for m in ("各位代表", "政府工作报告", "工作回顾", "总体要求", "主要预期目标", "重点工作安排"))
    chapters = sum(1 for l in lines if CHAPTER.match(l.stripped))
    return markers >= 2 and chapters >= 2


def looks_like_summary(lines: list[Line]) -> bool:
    bullets = sum(1 for l in lines if _BULLET.match(l.stripped))
    text = "".join(l.stripped for l in lines)
    return bullets >= 5 and ("政府工作报告" in text or "主要预期目标" in text)


def _title(text: str) -> str:
    return squeeze(strip_furniture(text)).rstrip("。.")


def _topic(body: str, *, limit: int = 30) -> str | None:
    """The topic sentence of a paragraph: its first sentence when short and comma-free."""
    m = re.match(r"^([^。!?;]{2,%d})[。!?]" % limit, body)
    if m and "," not in m.group(1):
        return m.group(1)
    return None


def _clean(text: str) -> str:
    return strip_furniture(text.replace("**", "")).strip()


def read_report(lines: list[Line], original: str) -> tuple[tuple[Section, ...], tuple[Task, ...]]:
    """Sections and work items of a work report."""
    sections: list[Section] = []
    items: list[Task] = []
    chapter: Section | None = None
    section: Section | None = None
    counter: dict[str, int] = {}
    for line in lines:
        s = line.stripped
        if not s or is_furniture(s):
            continue
        m = CHAPTER.match(s)
        if m and len(s) <= 60:
            key = str(sum(1 for x in sections if x.level == 1) + 1)
            chapter, section = Section(key, m.group(1), _title(m.group(2)), 1, None, line.content_start, line.content_end, line.number), None
            sections.append(chapter)
            continue
        m = SECTION.match(s)
        if m and chapter is not None and len(s) <= 60:
            n = sum(1 for x in sections if x.parent == chapter.key) + 1
            section = Section(f"{chapter.key}.{n}", m.group(1), _title(m.group(2)), 2, chapter.key,
                              line.content_start, line.content_end, line.number)
            sections.append(section)
            continue
        if chapter is None or _NOT_ITEMS.match(s) or _TARGETS.match(s):
            continue
        owner = section or chapter
        dash, yishi = _DASH_ITEM.match(s), _YISHI_ITEM.match(s)
        if dash:
            body, number, title = dash.group(1), None, _topic(dash.group(1))
        elif yishi:
            body, number = yishi.group(2), yishi.group(1)
            title = re.split(r"[。]", body, maxsplit=1)[0]
        elif section is not None:
            body, number, title = s, None, _topic(s)
        else:
            continue  # prose of a part without sections: not a work item
        counter[owner.key] = counter.get(owner.key, 0) + 1
        n = counter[owner.key]
        key = f"{owner.key}.{n}"
        items.append(Task(key, number or str(n), _clean(original[line.content_start:line.content_end]), owner.key, (),
                          line.content_start, line.content_end, line.number, title=_clean(title) if title else None))
    return tuple(sections), tuple(items)


def read_summary(lines: list[Line], original: str) -> tuple[tuple[Section, ...], tuple[Task, ...]]:
    """Numbered themes of a summary and their bullets as work items."""
    sections: list[Section] = []
    items: list[Task] = []
    pending: Line | None = None
    for line in lines:
        s = line.stripped
        if not s:
            continue
        if re.fullmatch(r"\d{1,2}", s):
            pending = line
            continue
        bullet = _BULLET.match(s)
        if pending is not None and not bullet:
            key = str(len(sections) + 1)
            sections.append(Section(key, pending.stripped, _title(s), 1, None, line.content_start, line.content_end, pending.number))
            pending = None
            continue
        pending = None
        if bullet and sections:
            owner = sections[-1]
            n = sum(1 for t in items if t.section == owner.key) + 1
            body = bullet.group(1)
            items.append(Task(f"{owner.key}.{n}", str(n), _clean(body), owner.key, (), line.content_start, line.content_end,
                              line.number, title=_topic(_clean(body))))
    return tuple(sections), tuple(items)
