"""HTML pages saved from government sites: visible text, one block per line.

>>> html_to_text("<html><body><p>1.任务</p><script>x</script><div>责任单位:市财政局</div></body></html>")
'1.任务\\n责任单位:市财政局'
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["looks_like_html", "html_to_text"]

_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul", "ol", "dd", "dt"}
_SKIP = {"script", "style", "noscript", "head", "title", "iframe"}
_CELL = {"td", "th"}


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or len(re.findall(r"</?(?:p|div|td|br|span)\b", head)) >= 5


class _Extractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in _CELL:
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"[\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ ]{2,}", " ", l).strip(" ") for l in text.split("\n")]
    lines = [l.strip("\t") if not l.strip("\t ").count("\t") else l.strip() for l in lines]
    return "\n".join(l for l in lines if l.strip())
