"""Decoding: bytes of any encoding these documents come in -> text, detected not guessed.

Order of evidence: a byte-order mark (UTF-8, UTF-16, UTF-32); the NUL pattern of
BOM-less UTF-16; strict UTF-8; strict GB18030 (a superset of GBK and GB2312) checked
for plausibility.  Binary data (NULs, control characters, undecodable bytes) is refused.

>>> decode("许昌".encode("gb18030"), source="a.txt")
('许昌', 'gb18030')
>>> decode(b"\\xef\\xbb\\xbf\\xe8\\xae\\xb8", source="a.txt")
('许', 'utf-8-sig')
"""

from __future__ import annotations

import codecs
import re

from loaders.errors import DocumentError

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ASCII_TEXT = re.compile(r"[A-Za-z0-9 \n\t.,;:()]")
_RARE = re.compile(r"[\ue000-\uf8ff\U00020000-\U0010ffff]")


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul = data[0::2].count(0) / (len(data) // 2)
    odd_nul = data[1::2].count(0) / (len(data) // 2)
    # ASCII-heavy UTF-16 has NULs in one half; CJK-heavy UTF-16 has none at all but
    # then fails UTF-8 and GB18030 plausibility, so try it last (see decode()).
    if odd_nul > 0.2 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.2 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    """Text, not binary: almost no control characters, and some CJK or ASCII letters."""
    if not text.strip():
        return True
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        return False
    cjk = len(_CJK.findall(text))
    ascii_letters = len(_ASCII_TEXT.findall(text))
    rare = len(_RARE.findall(text))  # private use area, CJK extension B and beyond
    return (cjk + ascii_letters) / len(text) > 0.5 and rare / len(text) < 0.01


def decode(data: bytes, *, source: str) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)``; raise DocumentError if it is not text."""
    if not data.strip(b" \t\r\n\x00"):
        raise DocumentError(source, None, "a non-empty text document", found="an empty file")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec) if codec != "utf-8-sig" else data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _undecodable(data, source, name, exc) from exc
            return _checked(text, source), name
    candidates = []
    utf16 = _utf16_without_bom(data)
    if utf16:
        candidates.append(utf16)
    candidates += ["utf-8", "gb18030"]
    first_error = None
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            first_error = first_error or (codec, exc)
            continue
        if _plausible(text):
            return text, codec
    if b"\x00" in data[:4096] or first_error is None:
        raise DocumentError(source, None, "a text document (UTF-8, GB18030/GBK or UTF-16)", found="binary data")
    codec, exc = first_error
    raise _undecodable(data, source, "UTF-8, GB18030/GBK or UTF-16", exc)


def _undecodable(data: bytes, source: str, tried: str, exc: UnicodeDecodeError) -> DocumentError:
    line = data[: exc.start].count(b"\n") + 1
    return DocumentError(source, line, f"text in {tried}", found=f"undecodable bytes {data[exc.start:exc.start + 4].hex(' ')}")


def _checked(text: str, source: str) -> str:
    if not _plausible(text):
        raise DocumentError(source, None, "a text document", found="binary data")
    return text
