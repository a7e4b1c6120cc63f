"""Decoding and width folding: the same notice in every encoding reads the same."""

from __future__ import annotations

import codecs

import pytest

from kg.errors import DocumentError
from loaders import parse
from loaders.decode import decode
from tests.conftest import TEST_DATA

SMALL = (TEST_DATA / "variants" / "notice-small.txt").read_text(encoding="utf-8")

ENCODINGS = [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("gb18030", lambda t: t.encode("gb18030"), "gb18030"),
    ("gbk", lambda t: t.encode("gbk"), "gb18030"),
    ("utf-16-bom", lambda t: t.encode("utf-16"), "utf-16"),
    ("utf-16-be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    ("utf-8-crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ("gbk-crlf", lambda t: t.replace("\n", "\r\n").encode("gbk"), "gb18030"),
]


def _summary(doc):
    return [(t.number, [(a.role, a.name) for a in t.assignments]) for t in doc.tasks]


@pytest.mark.parametrize("encode, codec", [(e[1], e[2]) for e in ENCODINGS], ids=[e[0] for e in ENCODINGS])
def test_every_encoding_reads_the_same(encode, codec):
    text, detected = decode(encode(SMALL), source="n.txt")
    assert detected == codec
    doc = parse(text, source="n.txt", encoding=detected)
    reference = parse(SMALL, source="n.txt")
    assert _summary(doc) == _summary(reference)
    assert (doc.city, doc.year, doc.doc_number, doc.issued) == ("洛阳市", 2022, "洛政〔2022〕5号", "2022-03-01")
    for task in doc.tasks:
        for a in task.assignments:
            assert doc.text[a.start:a.end] == a.mention  # offsets point into the text as decoded


def test_full_width_punctuation_is_kept_in_mentions_and_folded_for_parsing():
    doc = parse(SMALL, source="n.txt")
    first = doc.tasks[0]
    assert [(a.role, a.name, a.mention) for a in first.assignments] == [
        ("lead", "市发展改革委", "市发展改革委"),
        ("responsible", "市财政局", "市财政局"),
        ("responsible", "瀍河区政府", "瀍河区"),
        ("responsible", "老城区政府", "老城区政府"),
    ]
    assert first.text == "扩大有效投资，实施重大项目300个。"


def test_html_page_is_read_as_text():
    body = "".join(f"<p>{line}</p>" for line in SMALL.splitlines())
    html = f"<!DOCTYPE html><html><head><title>x</title><script>var a=1;</script></head><body>{body}<div>分享到：</div></body></html>"
    doc = parse(html, source="n.html")
    assert _summary(doc) == _summary(parse(SMALL, source="n.txt"))


@pytest.mark.parametrize(
    "data, found",
    [(b"", "an empty file"), (b"\n\n  \n", "an empty file"), (bytes(range(256)) * 4, "binary data"),
     (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary data")],
    ids=["empty", "blank", "all-bytes", "png"],
)
def test_not_text_is_refused(data, found):
    with pytest.raises(DocumentError) as info:
        decode(data, source="x.bin")
    assert "x.bin" in str(info.value) and found in str(info.value)
