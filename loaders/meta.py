"""Document metadata found in the text: city, year, document number, issue date, title, publisher.

>>> doc_number("许政 [2020] 20号\\n…")
'许政〔2020〕20号'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from loaders.text import squeeze

__all__ = ["CityName", "find_city", "find_year", "doc_number", "find_issued", "find_title", "publisher_for"]

_CJK = r"\u4e00-\u9fff"
_DOC_NUMBER = re.compile(rf"([{_CJK}]{{1,6}}?)\s*[(\[]\s*(\d{{4}})\s*[)\]]\s*(\d{{1,4}})\s*号")
_GENERIC_CITY = {"本市", "全市", "各市", "该市", "我市", "城市", "县级市", "地级市", "省辖市", "直辖市", "设区市", "一市", "省直管市"}

CityName = tuple[str, Sequence[str], str | None]  # (full name, short names, abbreviation)


def doc_number(folded: str) -> str | None:
    """The first document number in the first lines (许政〔2020〕20号, also written 许政 [2020] 20号)."""
    head = folded[:600]
    m = _DOC_NUMBER.search(head)
    if not m or not m.group(1).endswith(("政", "府", "办", "发", "文", "函", "字")):
        return None
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"


def find_city(folded: str, known: Sequence[CityName] = ()) -> str | None:
    """The city a document belongs to.

    Evidence, strongest first: ``X市人民政府``/``X市政府`` as issuer; the 简称 of the
    document number (许政 -> 许昌市) among known cities; the most frequent known city
    name; the most frequent ``X市`` naming a government.
    """
    scores: Counter[str] = Counter()
    for m in re.finditer(r"市(?:人民政府|政府|人民代表大会)", folded):
        name = _city_before(folded, m.start())
        if name:
            scores[name] += 5 if m.start() < 400 else 2
    number = doc_number(folded)
    for full, shorts, abbreviation in known:
        if number and abbreviation and number.startswith(abbreviation + "政"):
            scores[full] += 8
        count = folded.count(full) + sum(folded.count(s) for s in shorts if s != full)
        if count:
            scores[full] += min(count, 10)
    if not scores:
        return None
    best = scores.most_common(1)[0][0]
    # "许昌" written without 市: map to the known full name.
    for full, shorts, _ in known:
        if best in shorts:
            return full
    return best


_NOT_IN_NAME = set("向由全本各我该县省和、及对与在为把将从到给请市区的了是")


def _city_before(folded: str, end: int) -> str | None:
    """The most likely city name ending at ``end`` (the 市): 2–4 characters, chosen by
    how often the bare name recurs in the text (许昌 recurs; 季度末向 does not)."""
    best, best_count = None, 1
    for size in (2, 3, 4):
        start = end - size
        if start < 0:
            break
        bare = folded[start:end]
        if not re.fullmatch(rf"[{_CJK}]+", bare) or bare[0] in _NOT_IN_NAME or bare[-1] in _NOT_IN_NAME:
            continue
        count = folded.count(bare)
        if count > best_count or (count == best_count and best is None and size == 2):
            best, best_count = bare, count
    if best is None or best + "市" in _GENERIC_CITY:
        return None
    return best + "市"


_YEAR_CONTEXT = re.compile(r"(20\d\d)\s*年(?:度)?\s*(?:政府工作报告)?(?:重点工作|经济社会发展|工作总体要求|主要预期目标|工作安排|重点任务|政府工作)")


def find_year(folded: str) -> int | None:
    """The plan year: '2026年重点工作', else the document number's year, else the commonest year."""
    m = _YEAR_CONTEXT.search(folded)
    if m:
        return int(m.group(1))
    number = _DOC_NUMBER.search(folded[:600])
    if number:
        return int(number.group(2))
    years = Counter(re.findall(r"(20\d\d)\s*年", folded[:3000]))
    return int(years.most_common(1)[0][0]) if years else None


_CN_YEAR_DIGITS = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_NUMBER = "〇零一二三四五六七八九十"
_SIGNATURE_DATE = re.compile(
    rf"(?m)^\s*(?:(20\d\d)\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日|([{_CN_NUMBER}]{{4}})\s*年\s*([{_CN_NUMBER}]{{1,2}})\s*月\s*([{_CN_NUMBER}]{{1,3}})\s*日)\s*$"
)


def find_issued(folded: str, year: int | None) -> str | None:
    """The issue date as ISO: the date line under the signature (二〇二〇年二月二十六日 too), else a
    发布时间 line, else 'M月D日…印发' in a news lead."""
    m = None
    for m in _SIGNATURE_DATE.finditer(folded):
        pass
    if m:
        if m.group(1):
            return _iso(m.group(1), m.group(2), m.group(3))
        from loaders.text import cn_to_int

        y = "".join(_CN_YEAR_DIGITS[c] for c in m.group(4))
        return _iso(y, str(cn_to_int(m.group(5))), str(cn_to_int(m.group(6))))
    m = re.search(r"(?:发布时间|发布日期|发文日期|成文日期|印发日期)\s*[:]?\s*(20\d\d)[-./年](\d{1,2})[-./月](\d{1,2})", folded)
    if m:
        return _iso(m.group(1), m.group(2), m.group(3))
    m = re.search(r"(\d{1,2})月(\d{1,2})日\s*[,,]?\s*\S{0,12}?(?:印发|发布|下发)", folded[:400])
    if m and year:
        return _iso(str(year), m.group(1), m.group(2))
    return None


def _iso(y: str, mo: str, d: str) -> str | None:
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def find_title(lines: Sequence[str]) -> str | None:
    """A title line near the top: '…关于…的通知', '政府工作报告' (stray spaces removed)."""
    for raw in lines[:15]:
        s = squeeze(raw)
        s2 = re.sub(r"\s+", "", s)
        if re.search(r"关于.{2,60}(?:通知|意见|方案)$", s2) or re.fullmatch(r"(?:.{0,12})政府工作报告(?:.{0,12})", s2):
            return s2
    return None


def publisher_for(city: str, number: str | None) -> str:
    """Who issued the document: the city government, or its general office for 政办 numbers."""
    if number and re.match(rf"[{_CJK}]+政办", number):
        return f"{city}人民政府办公室"
    return f"{city}人民政府"
