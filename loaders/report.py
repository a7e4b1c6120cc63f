"""Narrative documents: the 政府工作报告 and its summaries (sections now; work items later).

A work report has parts ``一、七届政府工作回顾`` and sections ``(一)促进经济稳中提升``
followed by topic paragraphs::

    三、2023年重点工作安排
    (一)促进经济稳中提升

A summary (markdown) has numbered themes, a bare number line then its heading::

    1
    聚焦制造业高质量发展 着力推动产业转型升级
"""

from __future__ import annotations

import re

from loaders.model import Section
from loaders.notice import CHAPTER, SECTION
from loaders.text import Line, is_furniture, squeeze, strip_furniture

__all__ = ["report_sections", "summary_sections", "looks_like_report", "looks_like_summary"]


def looks_like_report(lines: list[Line]) -> bool:
    text = "\n".join(l.stripped for l in lines[:400])
    squeezed = re.sub(r"\s+", "", text)
    markers = sum(m in squeezed for m in ("各位代表", "政府工作报告", "工作回顾", "总体要求", "主要预期目标", "重点工作安排"))
    chapters = sum(1 for l in lines if CHAPTER.match(l.stripped))
    return markers >= 2 and chapters >= 2


def looks_like_summary(lines: list[Line]) -> bool:
    bullets = sum(1 for l in lines if re.match(r"^[-*+]\s+\S", l.stripped))
    text = "".join(l.stripped for l in lines)
    return bullets >= 5 and ("政府工作报告" in text or "主要预期目标" in text)


def report_sections(lines: list[Line]) -> tuple[Section, ...]:
    sections: list[Section] = []
    chapter = None
    for line in lines:
        s = line.stripped
        if not s or is_furniture(s) or len(s) > 80:
            continue
        m = CHAPTER.match(s)
        if m:
            key = str(sum(1 for x in sections if x.level == 1) + 1)
            chapter = Section(key, m.group(1), _title(m.group(2)), 1, None, line.content_start, line.content_end, line.number)
            sections.append(chapter)
            continue
        m = SECTION.match(s)
        if m and chapter is not None:
            n = sum(1 for x in sections if x.parent == chapter.key) + 1
            sections.append(Section(f"{chapter.key}.{n}", m.group(1), _title(m.group(2)), 2, chapter.key,
                                    line.content_start, line.content_end, line.number))
    return tuple(sections)


def summary_sections(lines: list[Line]) -> tuple[Section, ...]:
    sections: list[Section] = []
    pending: Line | None = None
    for line in lines:
        s = line.stripped
        if not s:
            continue
        if re.fullmatch(r"\d{1,2}", s):
            pending = line
            continue
        if pending is not None and not s.startswith(("-", "*")):
            key = str(len(sections) + 1)
            sections.append(Section(key, pending.stripped, _title(s), 1, None, line.content_start, line.content_end, pending.number))
        pending = None
    return tuple(sections)


def _title(text: str) -> str:
    return squeeze(strip_furniture(text)).rstrip("。.")
