"""Unit lists: the part of a notice that says who does a task.

Reads the annotation family: ``牵头单位:…;责任单位:…;配合单位:…`` (labels in any
order), unlabelled lists ending in ``按职责分工负责`` / ``负责``, ``X牵头,Y配合``
clauses; splits on 、 , ; outside brackets and quotes; expands distributive suffixes
(``长葛市、建安区政府`` -> 长葛市政府, 建安区政府); turns ``等`` endings into a
collective; keeps collective phrases (``各县(市、区)政府(管委会)``) whole.

Input is *folded* text (see loaders.text.fold) plus the original, so mentions are
exact substrings of the source while matching ignores character width.

>>> src = "市发展和改革委员会、市财政局等相关部门,长葛市、建安区政府按职责分工负责"
>>> [(a.name, a.role, a.position, a.mention) for a in parse_units(src, src, 0).assignments]
[('市发展和改革委员会', 'responsible', 1, '市发展和改革委员会'), ('市财政局', 'responsible', 2, '市财政局'), ('相关部门', 'responsible', 3, '等相关部门'), ('长葛市政府', 'responsible', 4, '长葛市'), ('建安区政府', 'responsible', 5, '建安区政府')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.model import Assignment
from loaders.text import squeeze

__all__ = ["parse_units", "UnitList", "ROLE_LABEL", "looks_like_units", "DEADLINE_LABEL"]

_LABELS = {
    "lead": "牵头单位|牵头部门|牵头领导单位|主办单位|主责单位|主责部门|牵头",
    "responsible": "责任单位|责任部门|承办单位|落实单位|实施单位|主体单位|责任主体",
    "cooperating": "配合单位|配合部门|协办单位|协作单位|参与单位|协同单位|协助单位",
}
ROLE_LABEL = re.compile(
    "(?P<label>" + "|".join(f"(?P<{role}>{alts})" for role, alts in _LABELS.items()) + r")\s*[:]"
)
DEADLINE_LABEL = re.compile(r"(?:完成时限|完成时间|时间节点|时限要求|办结时限|时限)\s*[:]")
_ANY_LABEL = re.compile(ROLE_LABEL.pattern + "|" + DEADLINE_LABEL.pattern)

_OPEN, _CLOSE = "([“《{<", ")]”》}>"
_SEPARATORS = "、,;"

# Trailing verbs of an unlabelled list, and the role a clause-final verb implies.
_TAIL = re.compile(
    r"(?:按照?职责分工|按职责|分工|共同|具体|牵头)?(?:负责落实|负责实施|负责推进|负责|落实)$|(?P<lead>牵头(?:负责|抓总)?)$|"
    r"(?P<coop>(?:协助|配合|参与)(?:落实|实施|推进)?)$"
)
_ETC = re.compile(
    r"等(?P<collective>(?:市直|县直|区直|市政府|市)?(?:各|有关|相关|其他)(?:有关|相关)?(?:部门|单位|成员单位|企业)|"
    r"市直各单位|单位|部门)?$"
)
_COLLECTIVE = re.compile(
    r"^(?:各.+|(?:市直|县直|区直|省直|市政府|市委|市属|有关|相关|其他)(?:各|有关|相关|其他)?(?:有关|相关)?"
    r"(?:部门|单位|成员单位|责任单位|企业|国有投资公司|国有企业|.*公司)|(?:有关|相关)(?:部门|单位)|"
    r"(?:街道办事处|镇人民政府|乡镇人民政府|乡镇政府|镇政府|社区|村委会|县\(市、区\)政府.*))$"
)
_PLACE_END = re.compile(r"(?:市|县|区|镇|乡|街道|新区|片区|示范区|开发区|高新区|经开区|产业集聚区)$")
_UNIT_END = re.compile(
    r"(?:局|委|办|办公室|政府|管委会|委员会|中心|公司|集团|院|校|学院|大学|法院|检察院|海关|支行|分行|分局|支队|大队|"
    r"部|会|联|厅|所|站|队|处|社|馆|室|指挥部|小组|军分区|团市委|团委|总队|银行|营业部|研究院|基地|党校)$"
)
_DISTRIBUTIVE = ("人民政府", "街道办事处", "管理委员会", "管委会", "办事处", "政府", "党委", "党工委")
_ALIAS = re.compile(r"^(?P<base>.+?)\((?P<alias>[^()]+)\)$")


@dataclass(frozen=True)
class UnitList:
    assignments: tuple[Assignment, ...]
    deadline: str | None
    leftovers: tuple[str, ...]  # clauses that named no unit (reported, not dropped)


@dataclass
class _Piece:
    text: str  # folded
    start: int  # absolute offset of text[0]
    group: int  # comma group index within its clause


def _split(text: str, start: int, seps: str) -> list[tuple[str, int, str]]:
    """Split at top-level separators; returns (piece, absolute start, separator that ended it)."""
    out, depth, begin = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            out.append((text[begin:i], start + begin, ch))
            begin = i + 1
    out.append((text[begin:], start + begin, ""))
    return out


def _trim(text: str, start: int) -> tuple[str, int]:
    lead = len(text) - len(text.lstrip(" \t\n。.:"))
    text = text.strip(" \t\n。.:")
    return text, start + lead


def looks_like_units(folded: str) -> bool:
    """Whether a bracket's content reads as a unit annotation rather than prose."""
    body = folded.strip()
    if not body:
        return False
    if ROLE_LABEL.search(body):
        return True
    clauses = [c for c, _, _ in _split(body, 0, ",;") if c.strip() and not _is_deadline(c)]
    if not clauses:
        return False
    if re.search(r"(?:负责|牵头|配合)(?:落实|实施)?[。.]?$", clauses[-1].strip()):
        return True
    items = [p for c in clauses for p, _, _ in _split(c, 0, _SEPARATORS) if p.strip()]
    if not items:
        return False
    names = [_strip_etc(squeeze(p)) for p in items]
    distributive = any(n.endswith(_DISTRIBUTIVE) for n in names)  # 梁园区、睢阳区人民政府: bare places count
    unitish = sum(1 for n in names if _UNIT_END.search(n) or _COLLECTIVE.match(n) or (distributive and _PLACE_END.search(n)))
    return unitish == len(items) and any(len(squeeze(p)) >= 4 for p in items)


def _strip_etc(name: str) -> str:
    m = _ETC.search(name)
    return name[: m.start()] if m and m.start() > 0 else name


def _clauses(text: str, start: int) -> list[tuple[str | None, str, int]]:
    """Cut an annotation into (role or 'deadline' or None, body, start) by its labels."""
    marks = list(_ANY_LABEL.finditer(text))
    if not marks:
        return [(None, text, start)]
    out = []
    if text[: marks[0].start()].strip(" ;,。."):
        out.append((None, text[: marks[0].start()], start))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        role = next((r for r in ("lead", "responsible", "cooperating") if m.group(r)), "deadline")
        out.append((role, text[m.end():end], start + m.end()))
    return out


_DEADLINE_CLAUSE = re.compile(
    r"^(?:(?:\d{4}年)?(?:\d{1,2}月)?(?:底|末|中旬|上旬|下旬|\d{1,2}日)?前?(?:完成|办结|建成|实现)?|年底前(?:完成)?|年内(?:完成)?|"
    r"长期坚持|持续推进|全年|每季度|\d{4}年(?:\d{1,2}月)?(?:底|末)?前(?:完成)?)$"
)


def _deadline_phrase(text: str) -> str:
    """A deadline as written, without the verb: '2022年底前完成' -> '2022年底前'."""
    return re.sub(r"(?<=前)(?:完成|办结|建成|实现)$", "", text.strip(" ;,。.；，"))


def _is_deadline(text: str) -> bool:
    body = text.strip(" ;,。.")
    return bool(body) and bool(_DEADLINE_CLAUSE.match(body)) and bool(re.search(r"\d|年|月|季|长期|持续", body))


def parse_units(folded: str, original: str, offset: int, *, default_role: str = "responsible") -> UnitList:
    """Parse one unit annotation.

    ``folded`` is the annotation (folded text), ``original`` the whole source text,
    ``offset`` where the annotation starts in it.  Positions count per role.
    """
    by_role: dict[str, list[_Piece]] = {}
    deadline, leftovers = None, []
    for role, body, start in _clauses(folded, offset):
        if role == "deadline":
            d = _deadline_phrase(body)
            deadline = deadline or (original[start + body.find(d): start + body.find(d) + len(d)] if d else None)
            continue
        clauses = []  # (text, start, role or None when the clause has no verb of its own)
        for clause, cstart, _sep in _split(body, start, ";") if role else _split(body, start, ";,"):
            clause_text, cstart = _trim(clause, cstart)
            if not clause_text:
                continue
            if _is_deadline(clause_text):
                deadline = deadline or _deadline_phrase(original[cstart: cstart + len(clause_text)])
                continue
            clause_role = role
            tail = _TAIL.search(clause_text)
            if tail:
                if not role:
                    clause_role = "lead" if tail.group("lead") else "cooperating" if tail.group("coop") else default_role
                clause_text = clause_text[: tail.start()].rstrip(" ,")
            clauses.append((clause_text, cstart, clause_role))
        # "A牵头,B、C,D配合": a clause without a verb shares the verb of the next clause that has one.
        following = default_role
        for i in range(len(clauses) - 1, -1, -1):
            text, cstart, clause_role = clauses[i]
            following = clause_role or following
            clauses[i] = (text, cstart, following)
        for clause_text, cstart, clause_role in clauses:
            pieces = by_role.setdefault(clause_role, [])
            group = (pieces[-1].group + 1) if pieces else 0
            for text, pstart, sep in _split(clause_text, cstart, ","):
                for item, istart, _ in _split(text, pstart, "、"):
                    item, istart = _trim(item, istart)
                    if item:
                        pieces.append(_Piece(item, istart, group))
                group += 1
    assignments = []
    for role in ("lead", "responsible", "cooperating"):
        position = 0
        for name, start, end, collective in _expand(by_role.get(role, []), original):
            mention = original[start:end]
            if not name:
                leftovers.append(mention)
                continue
            position += 1
            assignments.append(Assignment(mention, name, role, position, start, end, collective))
    return UnitList(tuple(assignments), deadline, tuple(leftovers))


def _expand(pieces: list[_Piece], original: str) -> list[tuple[str, int, int, bool]]:
    """Items -> (name, start, end, collective): 等 endings, 及, aliases, distributive suffixes.

    Matching runs on folded text; names are taken from the original (as written, stray
    spaces removed), so full-width brackets stay full-width.
    """
    items: list[tuple[str, int, int, int]] = []  # (folded text, start, end, group)
    for p in pieces:
        for text, start in _split_ji(p.text, p.start):
            etc = _ETC.search(text)
            if etc and etc.start() > 0:
                head = text[: etc.start()].rstrip()
                items.append((head, start, start + len(head), p.group))
                items.append((text[etc.start():], start + etc.start(), start + len(text), -1))
            else:
                items.append((text, start, start + len(text), p.group))
    names = []
    for text, start, end, group in items:
        folded_name = squeeze(text)
        if group == -1:  # an 等 ending: a collective of the unnamed others
            m = _ETC.search(folded_name)
            collective = m.group("collective") if m else None
            if collective:
                at = text.rindex(collective[-2:]) + 2 - len(collective) if collective[-2:] in text else 1
                collective = squeeze(original[start + at: end]) if at > 0 else collective
            names.append([collective or "相关单位", start, end, True, group])
            continue
        name = squeeze(original[start:end])
        collective = bool(_COLLECTIVE.match(folded_name))
        alias = _ALIAS.match(folded_name)
        if not collective and alias and _UNIT_END.search(alias.group("base")) and _UNIT_END.search(alias.group("alias")):
            name = name[: len(alias.group("base"))]
        names.append([name, start, end, collective, group])
    # Distributive suffix: a run of bare place names followed by place+suffix in the same group.
    for i, (name, _s, _e, collective, group) in enumerate(names):
        suffix = next((s for s in _DISTRIBUTIVE if name.endswith(s) and _PLACE_END.search(name[: -len(s)])), None)
        if not suffix or collective:
            continue
        j = i - 1
        while j >= 0 and names[j][4] == group and _bare_place(names[j][0]):
            names[j][0] = names[j][0] + suffix
            j -= 1
    return [(n, s, e, c) for n, s, e, c, _g in names]


def _bare_place(name: str) -> bool:
    return bool(_PLACE_END.search(name)) and not _COLLECTIVE.match(name) and not name.endswith("军分区")


def _split_ji(text: str, start: int) -> list[tuple[str, int]]:
    """Split ``A及B`` at 及 when a collective follows it or both sides name units."""
    for m in re.finditer(r"及", text):
        left, right = text[: m.start()], text[m.end():]
        follows_collective = re.match(r"(?:市直|有关|相关|各|其他)\S*(?:部门|单位)$", right)
        both_units = _UNIT_END.search(squeeze(left)) and (_UNIT_END.search(squeeze(right)) or _COLLECTIVE.match(squeeze(right)))
        if follows_collective or both_units:
            return [(left, start), (right, start + m.end())]
    return [(text, start)]
