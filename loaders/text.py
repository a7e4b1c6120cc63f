"""Text helpers shared by the loaders: width folding with offsets kept, lines, furniture.

``fold`` maps the text character for character (same length), so an offset found in
the folded text is an offset into the source as written.

>>> fold("（牵头单位：市财政局；责任单位：市税务局）")
'(牵头单位:市财政局;责任单位:市税务局)'
>>> [(l.number, l.start, l.text) for l in lines(fold("a\\r\\nb"))]
[(1, 0, 'a '), (2, 3, 'b')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["fold", "Line", "lines", "squeeze", "is_furniture", "strip_furniture", "CN_DIGITS", "cn_to_int"]

_MAP = {0x3000: " ", 0xA0: " ", 0x200B: " ", 0xFEFF: " ", 0x2002: " ", 0x2003: " ",
        0x3014: "(", 0x3015: ")", 0xFE5D: "(", 0xFE5E: ")", 0x3010: "[", 0x3011: "]",
        0x2236: ":", 0xFF64: "、", 0x2027: "·", 0x2022: "·", 0x30FB: "·"}
_TABLE = {i: chr(i - 0xFEE0) for i in range(0xFF01, 0xFF5F)}
_TABLE.update({k: v for k, v in _MAP.items()})


def fold(text: str) -> str:
    """Full-width ASCII to half-width, 〔〕 to (), odd spaces to ' ', lone CR to LF; same length."""
    folded = text.translate(_TABLE)
    if "\r" in folded:
        folded = re.sub(r"\r(?=\n)", " ", folded).replace("\r", "\n")
    return folded


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int  # offset of the first character
    text: str  # folded, without the line break

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def content_start(self) -> int:
        """Offset of the first non-space character."""
        return self.start + len(self.text) - len(self.text.lstrip())

    @property
    def content_end(self) -> int:
        return self.start + len(self.text.rstrip())


def lines(folded: str) -> list[Line]:
    """Split folded text into lines with offsets."""
    out, pos = [], 0
    for number, raw in enumerate(folded.split("\n"), 1):
        out.append(Line(number, pos, raw))
        pos += len(raw) + 1
    return out


_CJK = "\u4e00-\u9fff"
_SPACE_IN_WORD = re.compile(rf"(?<=[{_CJK}“”()、])[ \t]+(?=[{_CJK}“”()、])")


def squeeze(text: str) -> str:
    """Remove stray spaces between CJK characters ("市 财政局" -> "市财政局")."""
    return _SPACE_IN_WORD.sub("", text.strip())


_FURNITURE_LINE = re.compile(
    r"^\s*(?:索引号|发布时间|发文日期|成文日期|发布机构|发文机关|主题分类|文\s*号|来源|文章来源|信息来源|阅读量|浏览次数|"
    r"点击数|访问量|编辑|责编|责任编辑|审核|校对|分享到|分享|打印|关闭|字号|【|\[?(?:打印|关闭)|当前位置|扫一扫|"
    r"相关链接|附件下载)\s*(?:[:|]|$|\]|\s)"
)
_FURNITURE_ANYWHERE = re.compile(r"(?:\[\s*(?:大|中|小|打印|关闭|打印本页|关闭窗口)\s*\]\s*)+|分享到\s*[::]?")


_PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[/,]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")


def is_furniture(stripped: str) -> bool:
    """Whether a whole line is page furniture (索引号, 发布时间, 分享到, 编辑, page numbers …)."""
    if not stripped:
        return False
    if _FURNITURE_LINE.match(stripped) or _PAGE_NUMBER.match(stripped):
        return True
    return not _FURNITURE_ANYWHERE.sub("", stripped).strip()


# A page header pasted into running text by a careless copy: "许昌市人民政府文件许政〔2020〕21号"
PAGE_HEADER = re.compile(rf"[{_CJK}]{{2,8}}?(?:人民政府|政府办公室|人民政府办公室)文件\s*[{_CJK}]{{1,4}}\s*[(\[]\s*\d{{4}}\s*[)\]]\s*\d+\s*号")


def strip_furniture(text: str) -> str:
    """Remove page headers pasted mid-sentence and inline furniture from running text."""
    return _FURNITURE_ANYWHERE.sub("", PAGE_HEADER.sub("", text))


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(numeral: str) -> int:
    """Chinese numeral up to 999 to int.

    >>> [cn_to_int(n) for n in ("一", "十", "十二", "二十", "二十三", "一百零五")]
    [1, 10, 12, 20, 23, 105]
    """
    total, current = 0, 0
    for ch in numeral:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(numeral)
    return total + current
