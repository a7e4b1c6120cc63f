"""Targets and quantities in the running text of work plans (pure: no RDF, no store).

A work report states its 主要预期目标 in one paragraph; a key-task notice gives them as
the tasks of a chapter titled 主要预期目标; a report's summary puts them, in markdown,
under a heading::

    主要预期目标:经济增长7%,常住人口城镇化率提高1.2个百分点左右,研发经费投入强度2%以上,…
    生产总值增长**7.5%**以上,…,城镇新增就业**4.9万人**,…,主要污染物排放量继续下降。

and every task counts things::

    4.大力推进许港产业带建设,…,实施重大项目210个,完成投资700亿元以上。

:func:`target_statements` splits a target paragraph into one :class:`TargetStatement`
per target (indicator as written, value, measure, qualifier); :func:`quantities` finds
the numbers with a measure word in a task's text (:class:`Quantity`);
:func:`target_paragraphs` finds the target paragraphs of a :class:`~loaders.model.Document`
and :func:`task_span` where a task's text lies in the source.

>>> [(s.indicator, s.value, s.measure, s.qualifier) for s in target_statements(
...     "经济增长5.5%左右,在实际工作中努力争取更好结果;居民收入增长与经济增长同步,粮食产量285万吨以上")]
[('经济增长', Decimal('5.5'), '%', '左右'), ('居民收入增长', None, None, '与经济增长同步'), ('粮食产量', Decimal('285'), '万吨', '以上')]
>>> [(q.noun, q.value, q.measure, q.qualifier, q.phrase) for q in quantities("实施重大项目210个,完成投资700亿元以上。")]
[('重大项目', Decimal('210'), '个', None, '实施重大项目210个'), ('投资', Decimal('700'), '亿元', '以上', '完成投资700亿元以上')]

The text
    Either as written or folded (:func:`loaders.text.fold`): both are folded here, which
    keeps every offset, so full-width digits and punctuation (５．５％, ，) read like
    half-width ones.  Markdown emphasis markers (``**``) are skipped: they never split a
    number from its measure, and phrases leave them out.
Offsets
    ``start``/``end`` are offsets into the text given plus ``offset``: pass the source
    text of a document (or a slice of it and the slice's start) and they point into
    ``Document.text``; ``source[start:end]`` is the phrase, with any ``**`` inside it.
Values
    Exactly as written (``Decimal``): 5万人 is value 5, measure 万人.  A range (1—2个,
    3—5所, 5%—6%) has ``value`` the low end and ``high`` the high end; other values
    have ``high`` None.  余 and 多 (2000余张, 300多个) are qualifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from loaders.model import Document, Task
from loaders.text import fold

__all__ = [
    "TargetStatement",
    "Quantity",
    "TargetParagraph",
    "target_statements",
    "quantities",
    "target_paragraphs",
    "document_targets",
    "task_span",
    "MEASURES",
    "QUALIFIERS",
]

# -- the vocabulary of numbers ---------------------------------------------------------

_UNITS = (
    "个百分点 百分点 个工作日 个月 个 人次 人 户 名 家 所 座 条 张 项 处 台 辆 套 间 批 场次 场 次 件 栋 幢 "
    "只 头 株 棵 元 美元 吨标准煤 吨 公斤 千克 亩 公顷 平方公里 平方米 立方米 公里 千米 米 千瓦时 千瓦 兆瓦 千伏安 千伏 "
    "天 小时 倍 标箱 微克/立方米 % ‰"
).split()
_MULTIPLIERS = ("万", "亿", "千", "百")
MEASURES = tuple(sorted(_UNITS, key=len, reverse=True))
"""Measure words a number may carry (万/亿/千/百 may precede them: 万人, 亿元, 万平方米)."""

_PREFIXES = ("不低于", "不少于", "不超过", "不高于", "超过", "突破", "超", "逾", "约", "近")
_SUFFIXES = ("以上", "左右", "以内", "以下", "上下", "之内", "之上")
_INFIXES = ("余", "多")
QUALIFIERS = _SUFFIXES + _PREFIXES + _INFIXES
"""Words that qualify a value: after it (以上, 左右 …), before it (超过, 不低于 …) or inside it (2000余张)."""

_NUMBER = r"\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?P<pre>{'|'.join(_PREFIXES)})?"
    rf"(?<![\d.A-Za-z第])(?P<low>{_NUMBER})(?![\d.])"
    rf"(?:(?P<lowpct>%)?(?:[-—–~]{{1,2}}|至|到)(?P<high>{_NUMBER}))?"
    rf"(?P<infix1>{'|'.join(_INFIXES)})?"
    rf"(?:(?P<mult>{'|'.join(_MULTIPLIERS)})?(?P<infix2>{'|'.join(_INFIXES)})?(?P<unit>{'|'.join(map(re.escape, MEASURES))})"
    rf"|(?P<bare>万|亿)(?![\d]))"
    rf"(?P<post>{'|'.join(_SUFFIXES)})?"
)

# Verbs before the thing counted (实施重大项目210个, 完成投资700亿元): the noun follows the last of them.
_VERBS = sorted(
    """实施 完成 新建 建成 建设 改造 改扩建 改建 新增 新开工 开工 续建 培育 引进 招引 签约 落地 打造 达到 累计
    争取 发放 培训 创建 创成 整治 治理 修复 推广 安置 吸纳 提供 组织 举办 抓好 储备 谋划 申报 认定 开展 实现
    解决 资助 救助 保持 设置 拟设置 满足 复制推广 覆盖 通车 建成通车 营造 造林 惠及 带动 帮扶 接待 形成 筹集
    化解 处置 盘活 供应 出让 收储 铺设 安装 配备 布设 开通 启动 支持 扶持 奖励 补贴 发行 新创建 入选 获批
    增长 提高 提升 降低 下降 减少 增加 全年 年内 力争 全部 确保 推进 推动""".split(),
    key=len,
    reverse=True,
)
_VERB = re.compile("|".join(_VERBS))
# What is done, not what is counted: a word after the measure starting with one is no noun
# (投资100亿元建设…), and a noun after the measure ends before one (4条高速公路建设工程).
_ACTION = re.compile("实施|完成|新建|建成|建设|改造|开工|推进|开展|打造|实现|达到|用于|带动|惠及|增长|提高|提升|降低|下降|减少|增加"
                     "|分别|全部|基本|顺利|入选|获评|退出")
_NOUN_BEFORE = re.compile(r"[\u4e00-\u9fff“”《》()A-Za-z]{1,16}$")
_NOUN_AFTER = re.compile(r"[“”]?[\u4e00-\u9fff][\u4e00-\u9fff“”《》A-Za-z0-9]{1,11}")
_NOUN_STOP = re.compile(r"[的和与等并]|及(?!以上)")  # a noun before the number starts after these
_AFTER_STOP = re.compile(r"[的和与等并为于超达]|及(?!以上)")  # a noun after the measure ends before these

# Target clauses: a number and measure, or one of these qualitative predicates.
_QUALITATIVE = re.compile(
    r"[与和同][^,;。]{1,24}?(?:协调|基本)?同步"
    r"|与[^,;。]{1,30}?(?:统筹)?衔接"
    r"|(?:保持|实现)?(?:稳定|平稳|稳步|持续|继续|合理|较快|稳中有?)(?:增长|下降|提升|提高|回升|向好|降低|减少|改善)"
    r"|稳量提质|提质增效|只增不减|完成省(?:定|下达)的?(?:目标|任务)|控制在省(?:定|下达)的?目标(?:以内)?"
)
_LINKING = re.compile(r"(?:控制在|稳定在|保持在|达到|达|为|在|到|至)$")
_LEAD_IN = re.compile(r"\s*[^,;。:\n]{0,30}?(?:预期目标|主要目标)(?:是|为)?\s*:\s*")
_CLAUSE_END = ",;。!?\n"


@dataclass(frozen=True)
class TargetStatement:
    """One target of a target paragraph: 经济增长5.5%左右, 居民收入增长与经济增长同步."""

    indicator: str  # as written, the verb kept: 经济增长, 常住人口城镇化率提高, 规上工业增加值增长
    value: Decimal | None  # None for a qualitative target (进出口总值稳量提质)
    measure: str | None  # %, 个百分点, 万人, 万吨 …
    qualifier: str | None  # 左右, 以上, 以内, 以下 …, or the predicate of a qualitative target
    phrase: str  # the clause as written (markdown markers left out)
    start: int
    end: int
    high: Decimal | None = None  # the high end of a range (增长5%—6%)

    def as_json(self) -> dict:
        """A JSON-ready dict (values as numbers)."""
        return {"indicator": self.indicator, "value": _number(self.value), "high": _number(self.high),
                "measure": self.measure, "qualifier": self.qualifier, "phrase": self.phrase,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Quantity:
    """A number with a measure word in a task's text: 实施重大项目210个."""

    value: Decimal  # the value, or the low end of a range (1—2个)
    measure: str  # 个, 亿元, 万亩, %, 个百分点 …
    qualifier: str | None  # 以上, 左右, 超, 余 …
    phrase: str  # from the verb or the noun to the last qualifier, as written: 完成投资700亿元以上
    start: int
    end: int
    noun: str | None = None  # what it counts, when easy to tell: 重大项目, 投资, 床位
    high: Decimal | None = None  # the high end of a range

    def as_json(self) -> dict:
        return {"value": _number(self.value), "high": _number(self.high), "measure": self.measure,
                "qualifier": self.qualifier, "noun": self.noun, "phrase": self.phrase,
                "start": self.start, "end": self.end}


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class _View:
    """The text without markdown emphasis markers, folded, with each character's offset in the text given."""

    def __init__(self, text: str, offset: int):
        keep = []
        i = 0
        while i < len(text):
            if text.startswith("**", i):
                i += 2
                continue
            keep.append(i)
            i += 1
        self.index = keep
        self.raw = "".join(text[i] for i in keep)
        self.folded = fold(self.raw)
        self.offset = offset

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offset + self.index[start], self.offset + self.index[end - 1] + 1


def _qualifier(m: re.Match) -> str | None:
    return m.group("post") or m.group("pre") or m.group("infix1") or m.group("infix2")


def _measure(m: re.Match) -> str:
    if m.group("bare"):
        return m.group("bare")
    return (m.group("mult") or "") + m.group("unit")


# -- quantities -------------------------------------------------------------------------


def quantities(text: str, offset: int = 0) -> list[Quantity]:
    """The numbers with a measure word in ``text``, in order.

    Parameters
    ----------
    text
        A task's text, as written or folded; may contain markdown ``**``.
    offset
        Added to every ``start``/``end`` (the offset of ``text`` in the document).

    Returns
    -------
    list[Quantity]
        Ordinals (第3位), years (2021年), codes (5G, G107) and bare numbers are not quantities.

    Examples
    --------
    >>> [(q.value, q.high, q.measure, q.qualifier, q.noun) for q in quantities("拟设置2000余张床位,培育3—5所省、市级特色高中")]
    [(Decimal('2000'), None, '张', '余', '床位'), (Decimal('3'), Decimal('5'), '所', None, None)]
    >>> q = quantities("复制推广**２０**条支持政策", offset=100)[0]
    >>> q.value, q.measure, q.noun, q.phrase, (q.start, q.end)
    (Decimal('20'), '条', '支持政策', '２０条支持政策', (106, 115))
    """
    view = _View(text, offset)
    f = view.folded
    out = []
    previous = 0
    for m in _QUANTITY.finditer(f):
        measure = _measure(m)
        noun, begin, end = _noun(f, m, measure, previous)
        previous = end
        start, stop = view.span(begin, end)
        out.append(Quantity(Decimal(m.group("low")), measure, _qualifier(m), view.raw[begin:end], start, stop, noun,
                            Decimal(m.group("high")) if m.group("high") else None))
    return out


def _noun(f: str, m: re.Match, measure: str, previous: int) -> tuple[str | None, int, int]:
    """What the number counts, and the extent of the phrase (in the folded view; not before ``previous``)."""
    after = _NOUN_AFTER.match(f, m.end())
    if after and measure not in ("%", "‰", "个百分点", "百分点") and not _ACTION.match(after.group(0)):
        word = after.group(0)
        stop = _AFTER_STOP.search(word) or _ACTION.search(word, 2)
        word = word[: stop.start()] if stop else word
        noun = _tidy(word)
        if noun:
            return noun, m.start(), m.end() + len(word)
    run = _NOUN_BEFORE.search(f, max(previous, m.start() - 16), m.start())
    if not run:
        return None, m.start(), m.end()
    words, offset = run.group(0), run.start()
    stop = list(_NOUN_STOP.finditer(words))
    if stop:  # 占全省总数的8.8%: nothing after 的
        words, offset = words[stop[-1].end():], offset + stop[-1].end()
    verbs = list(_VERB.finditer(words))
    if verbs:
        last = verbs[-1]
        noun, begin = words[last.end():], offset + last.start()
        if not noun:  # 完成企业改造200家, 研发投入增长10%: the noun is before the last verb
            if len(verbs) >= 2:
                noun, begin = words[verbs[-2].end(): last.start()], offset + verbs[-2].start()
            else:
                noun, begin = words[: last.start()], offset
    else:
        noun, begin = words, offset
    noun = _tidy(_LINKING.sub("", noun))
    return (noun, begin, m.end()) if noun else (None, m.start(), m.end())


def _tidy(noun: str) -> str | None:
    """The noun without quotes and unbalanced brackets; None unless 2 to 16 characters starting with a Chinese one."""
    noun = noun.strip("“”")
    if noun.count("(") != noun.count(")"):
        noun = noun.strip("()")
    if not (2 <= len(noun) <= 16) or not re.match(r"[\u4e00-\u9fff]", noun):
        return None
    return noun


# -- targets ------------------------------------------------------------------------------


def target_statements(text: str, offset: int = 0) -> list[TargetStatement]:
    """Split a target paragraph into its targets.

    Parameters
    ----------
    text
        The paragraph (or one target task's text), as written or folded; a lead-in such
        as ``主要预期目标:`` is skipped, markdown ``**`` is allowed.
    offset
        Added to every ``start``/``end``.

    Returns
    -------
    list[TargetStatement]
        One per clause (between ``,`` ``;`` ``。``) that has an indicator and either a
        number with a measure word or a qualitative predicate (与经济增长同步, 稳量提质,
        稳步增长, 继续下降, 与“十五五”考核目标统筹衔接 …); other clauses
        (在实际工作中努力争取更好结果) and bracketed text are skipped.

    Examples
    --------
    >>> s = target_statements("主要预期目标:城镇调查失业率控制在5.5%以内,常住人口城镇化率提高1.2个百分点左右。")
    >>> [(t.indicator, t.value, t.measure, t.qualifier, t.phrase) for t in s]
    [('城镇调查失业率', Decimal('5.5'), '%', '以内', '城镇调查失业率控制在5.5%以内'), ('常住人口城镇化率提高', Decimal('1.2'), '个百分点', '左右', '常住人口城镇化率提高1.2个百分点左右')]
    >>> t = target_statements("x\\n生产总值增长**7.5%**以上,城镇新增就业**4.9万人**", offset=10)
    >>> [(s.indicator, s.value, s.measure, s.qualifier, s.start, s.end) for s in t]
    [('生产总值增长', Decimal('7.5'), '%', '以上', 12, 28), ('城镇新增就业', Decimal('4.9'), '万人', None, 29, 42)]
    """
    view = _View(text, offset)
    f = view.folded
    lead = _LEAD_IN.match(f)
    pos = lead.end() if lead else 0
    out = []
    for begin, end in _clauses(f, pos):
        statement = _statement(view, begin, end)
        if statement:
            out.append(statement)
    return out


def _clauses(f: str, pos: int) -> list[tuple[int, int]]:
    """Spans of the clauses of ``f`` from ``pos``, stripped; bracketed text is one clause of its own."""
    spans, depth, begin = [], 0, pos
    for i in range(pos, len(f) + 1):
        ch = f[i] if i < len(f) else "\n"
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _CLAUSE_END:
            spans.append((begin, i))
            begin = i + 1
    out = []
    for b, e in spans:
        while b < e and f[b].isspace():
            b += 1
        while e > b and f[e - 1].isspace():
            e -= 1
        if b < e and f[b] != "(":
            out.append((b, e))
    return out


def _statement(view: _View, begin: int, end: int) -> TargetStatement | None:
    f = view.folded
    clause = f[begin:end]
    m = _QUANTITY.search(clause)
    if m:
        indicator = _LINKING.sub("", clause[: m.start()])
        if not _is_indicator(indicator):
            return None
        value, high = Decimal(m.group("low")), Decimal(m.group("high")) if m.group("high") else None
        measure, qualifier = _measure(m), _qualifier(m)
    else:
        q = _QUALITATIVE.search(clause)
        if not q:
            return None
        indicator = clause[: q.start()]
        if not _is_indicator(indicator):
            return None
        value = high = measure = None
        qualifier = view.raw[begin + q.start(): end]
    start, stop = view.span(begin, end)
    return TargetStatement(view.raw[begin: begin + len(indicator)], value, measure, qualifier, view.raw[begin:end],
                           start, stop, high)


def _is_indicator(text: str) -> bool:
    return 2 <= len(text) <= 30 and bool(re.match(r"[\u4e00-\u9fffA-Za-z]", text))


# -- finding the targets of a document ----------------------------------------------------

_TARGET_TITLE = re.compile(r"预期目标|主要目标")


@dataclass(frozen=True)
class TargetParagraph:
    """A stretch of a document that states targets."""

    text: str  # Document.text[start:end], as written
    start: int
    end: int
    task: str | None  # key of the task that states it (a notice's target task)
    section: str | None  # key of the section it stands in, None before the first


def target_paragraphs(doc: Document) -> list[TargetParagraph]:
    """The paragraphs of ``doc`` that state its 主要预期目标, in document order.

    Three places are read:

    1. the tasks of a notice under a chapter or section whose title contains 预期目标 or
       主要目标 (许昌 2026 task 1, 济源 2021 tasks 1–8);
    2. a line that starts with a lead-in ending in 预期目标: or 主要目标: (是/为 allowed),
       the text after the colon (a work report's 主要预期目标:经济增长7%,…);
    3. the line after a heading that names 预期目标 (a summary's
       我市2021年经济社会发展主要预期目标), when it holds at least two numeric targets.

    Examples
    --------
    >>> from loaders import parse
    >>> doc = parse("政府工作报告\\n许昌市人民政府\\n各位代表:\\n一、回顾\\n去年经济增长5%。\\n二、2023年工作总体要求和主要目标\\n"
    ...             "主要预期目标:经济增长7%,城镇新增就业5万人。\\n三、重点工作\\n(一)稳增长。\\n稳增长。实施项目100个。", source="r.txt")
    >>> [(p.text, p.task, p.section) for p in target_paragraphs(doc)]
    [('经济增长7%,城镇新增就业5万人。', None, '2')]
    """
    sections = {s.key: s for s in doc.sections}
    found: list[TargetParagraph] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, task: str | None) -> None:
        if start >= end or any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(TargetParagraph(doc.text[start:end], start, end, task, _section_at(doc, start)))

    if doc.kind == "key-tasks":
        for task in doc.tasks:
            if _under_target_title(task.section, sections):
                span = task_span(doc, task) or (task.start, task.end)
                add(*span, task.key)
    folded = fold(doc.text)
    lines = folded.split("\n")
    pos = 0
    heading_lines = {s.line for s in doc.sections if any(t.section == s.key for t in doc.tasks)}
    for number, line in enumerate(lines, 1):
        plain = line.replace("**", "  ")
        lead = _LEAD_IN.match(plain)
        stripped = plain.strip(" #-*")
        if lead and lead.end() < len(line.rstrip()):
            add(pos + lead.end(), pos + len(line.rstrip()), _task_at(doc, pos + lead.end()))
        elif (number not in heading_lines and "预期目标" in stripped and len(stripped) <= 40
              and not re.search(r"[,。;:]", stripped)):
            following = _next_line(lines, number, pos + len(line) + 1)
            if following:
                start, end = following
                numeric = [s for s in target_statements(folded[start:end], start) if s.value is not None]
                if len(numeric) >= 2:
                    add(start, end, _task_at(doc, start))
        pos += len(line) + 1
    return sorted(found, key=lambda p: p.start)


def document_targets(doc: Document) -> list[tuple[TargetParagraph, TargetStatement]]:
    """Every target statement of ``doc`` with the paragraph that states it; offsets into ``doc.text``.

    >>> from loaders import parse
    >>> doc = parse("济源市人民政府关于2021年重点工作的通知\\n一、今年经济社会发展主要预期目标\\n1.生产总值增长8%。(责任单位:发展改革和统计局)\\n"
    ...             "2.城镇调查失业率控制在5.5%以内。(责任单位:人力资源和社会保障局)\\n二、稳增长\\n3.实施项目500个。(责任单位:发展改革和统计局)", source="n.txt")
    >>> [(p.task, s.indicator, str(s.value), doc.text[s.start:s.end]) for p, s in document_targets(doc)]
    [('1', '生产总值增长', '8', '生产总值增长8%'), ('2', '城镇调查失业率', '5.5', '城镇调查失业率控制在5.5%以内')]
    """
    return [(p, s) for p in target_paragraphs(doc) for s in target_statements(p.text, p.start)]


def _under_target_title(key: str | None, sections: dict) -> bool:
    while key and key in sections:
        if _TARGET_TITLE.search(sections[key].title):
            return True
        key = sections[key].parent
    return False


def _section_at(doc: Document, offset: int) -> str | None:
    """The key of the last section heading before ``offset``."""
    before = [s for s in doc.sections if s.start <= offset]
    return max(before, key=lambda s: s.start).key if before else None


def _task_at(doc: Document, offset: int) -> str | None:
    return next((t.key for t in doc.tasks if t.start <= offset < t.end), None)


def _next_line(lines: list[str], number: int, pos: int) -> tuple[int, int] | None:
    """Span of the content of the first non-blank line after line ``number`` (1-based), starting at ``pos``."""
    for line in lines[number:]:
        if line.strip():
            lead = len(line) - len(line.lstrip())
            return pos + lead, pos + len(line.rstrip())
        pos += len(line) + 1
    return None


_SKIPPABLE = set("* \t\r\n\u3000")


def task_span(doc: Document, task: Task) -> tuple[int, int] | None:
    """Where ``task.text`` lies in ``doc.text``: ``(start, end)``, or None if it cannot be aligned.

    The task's text leaves out the number, the unit annotation and markdown; the span
    found covers the text as written (``**`` inside it included), so offsets found in
    ``doc.text[start:end]`` are offsets into the document.  None when the text was
    changed beyond that (page furniture removed from the middle of a task).

    >>> from loaders import parse
    >>> doc = parse("许昌市人民政府关于2026年重点工作任务分解的通知\\n一、目标\\n12.新建学校20所。(市教育局负责)", source="t.txt")
    >>> start, end = task_span(doc, doc.tasks[0])
    >>> doc.text[start:end]
    '新建学校20所。'
    """
    text = fold(task.text)
    if not text:
        return None
    source = fold(doc.text[task.start: task.end])  # fold keeps offsets: index i is task.start + i
    first = text[0]
    for begin in range(min(len(source), 40)):
        if source[begin] != first:
            continue
        i, j = begin, 0
        while j < len(text) and i < len(source):
            if text[j].isspace():
                j += 1
            elif source[i] == text[j]:
                i += 1
                j += 1
            elif source[i] in _SKIPPABLE:
                i += 1
            else:
                break
        if j == len(text):
            return task.start + begin, task.start + i
    return None
