"""Chinese word segmentation: one jieba tokenizer per process, with govkg's own words.

jieba's base dictionary splits the names this project cares about: 市发展改革委
becomes 市/发展/改革/委 and 胖东来 becomes 胖/东来.  :func:`tokenizer` builds a private
``jieba.Tokenizer`` (never jieba's global one), once, and adds the theme keywords of
``ontology/themes.ttl``, the unit names and aliases and the place names of the
authority data; :func:`add_words` adds more (project names).  Nothing here touches
jieba's module-level state, so another library using ``jieba.cut`` is not affected.

>>> words("推广胖东来经验,由市发展改革委牵头,深化郑许一体化发展")
['推广', '胖东来', '经验', ',', '由', '市发展改革委', '牵头', ',', '深化', '郑许一体化', '发展']

Notes
-----
Building the tokenizer takes 0.5–0.9 s (jieba reads its 350,000-word dictionary, or
a marshal cache of it); the user words take a few milliseconds more.  jieba caches
the base dictionary in ``$TMPDIR/govkg-jieba-{uid}.cache``: a file of our own, so a
cache written by another user or another jieba version is never read or overwritten.
Segmentation runs with jieba's HMM off (deterministic, ~2x faster, no guessed words).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable
from functools import lru_cache

import jieba

__all__ = ["tokenizer", "add_words", "words", "lexicon", "user_words"]

_LOCK = threading.Lock()
_WORD_FREQ = 2_000  # of jieba's 6.3e7: far likelier as one word than as its parts (发展 is 68,664, 东来 141)
_ADDED: set[str] = set()  # words given to add_words


def _cache_file() -> str:
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return os.path.join(tempfile.gettempdir(), f"govkg-jieba-{uid}.cache")


@lru_cache(maxsize=1)
def lexicon() -> tuple[str, ...]:
    """The words govkg adds to jieba: theme keywords, unit and place labels (sorted, unique)."""
    from kg.authority import places, units
    from kg.themes import themes

    found: set[str] = set()
    for theme in themes():
        found.update(theme.keywords)
    for unit in units():
        found.update(unit.labels)
    for place in places():
        found.update(place.labels)
    return tuple(sorted(w for w in found if len(w) >= 2))


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """The process's tokenizer: jieba's base dictionary plus :func:`lexicon` (built on first use)."""
    tok = jieba.Tokenizer()
    tok.cache_file = _cache_file()
    jieba_log = logging.getLogger("jieba")
    level = jieba_log.level
    jieba_log.setLevel(logging.WARNING)  # jieba announces every build on stderr at DEBUG
    try:
        tok.initialize()
    finally:
        jieba_log.setLevel(level)
    _add(tok, lexicon())
    return tok


def _add(tok: jieba.Tokenizer, new_words: Iterable[str]) -> set[str]:
    added = set()
    with _LOCK:
        for word in new_words:
            word = word.strip()
            if len(word) >= 2:
                added.add(word)
                if tok.FREQ.get(word, 0) < _WORD_FREQ:
                    tok.add_word(word, freq=_WORD_FREQ)
    return added


def add_words(new_words: Iterable[str]) -> None:
    """Add words (project names, enterprise names …) to the process's tokenizer.

    >>> words("加快智能配网产业园建设")
    ['加快', '智能', '配', '网', '产业园', '建设']
    >>> add_words(["智能配网产业园"]); words("加快智能配网产业园建设")
    ['加快', '智能配网产业园', '建设']
    """
    _ADDED.update(_add(tokenizer(), new_words))


def user_words() -> frozenset[str]:
    """Every word govkg gave the tokenizer: :func:`lexicon` and the words of :func:`add_words`."""
    return frozenset(lexicon()) | frozenset(_ADDED)


def words(text: str) -> list[str]:
    """``text`` segmented into words by :func:`tokenizer` (HMM off)."""
    return tokenizer().lcut(text, HMM=False)
