"""Keyword discovery: candidate theme keywords in a document that govkg does not know yet.

``govkg keywords FILE`` ranks a document's nouns by TF-IDF or by TextRank
(jieba.analyse, segmenting with :func:`kg.text.tokenizer`), and leaves out every word
already known: the theme labels of ``ontology/themes.ttl`` (keywords and hidden
labels), unit and place names, words added with :func:`kg.text.add_words`, and the
administrative filler of work plans (工作, 机制, 体系 …).  What remains are terms a
curator may add to a theme as an altLabel, or ignore.

>>> [word for word, _ in keywords("支持发制品企业开拓非洲市场,办好发制品跨境电商大会,扩大发制品出口。", top=2)]
['发制品', '非洲']

(跨境电商 and 出口 are keywords of 对外开放, 企业 and 市场 filler.)

Notes
-----
The IDF of a word is jieba's (general Chinese text) times how rare the word is among
the sentences of the bundled work plans (``data/``, between 0 and 1): words that are
rare in general but in every plan (着力, 提质, 大力) sink.  The extractors are
jieba.analyse's with govkg's tokenizer; jieba's module-level extractors are never
changed (their IDF and word-tag tables are shared read-only).  The first call takes
about a second (jieba.analyse's tables, the tokenizer, the plans' word counts).
"""

from __future__ import annotations

import copy
import math
import re
from collections import ChainMap
from functools import lru_cache

from kg.errors import InputError

__all__ = ["METHODS", "FILLER", "keywords", "document_keywords", "known_words"]

METHODS = ("tfidf", "textrank")
_NOUNS = ("n", "nz", "vn", "nt", "ns", "nr", "nrt", "l", "j", "an", "x")
_HAN = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff0-9A-Za-z]*$")

# Words of every work plan that name no theme: administrative filler, not candidates.
FILLER = frozenset("""
工作 机制 体系 能力 水平 行动 工程 政策 措施 任务 目标 重点 领域 方面 建设 发展 质量 效益
服务 管理 制度 标准 规划 方案 计划 项目 企业 单位 部门 市场 产业 经济 社会 全面 全市
群众 人民 基层 示范 试点 创建 提升 推进 实施 加强 加快 完善 健全 深化 推动 支持 开展
落实 强化 优化 培育 打造 保障 确保 力争 持续 积极 全力 有效 高质量 新型 特色 优势 综合
功能 作用 环境 资源 要素 平台 载体 主体 模式 品牌 活动 专项 年度 省级 国家级 以上 左右
提质 提质增效 提档 升级 转型 着力 大力 大力发展 力度 管控 监测 监管 整治 综合治理 攻坚 突破
设施 启动 新建 投用 营造 施策 多渠道 普惠 优质 高品质 高标准 高水平 规范 常态 动态 评估
国家 全国 全省 市级 县级 区域 整体 规模 中心 基地 站点 组团 集群 融合 体制 服务体系
服务中心 示范区 示范园区 示范县 行动计划 试点工作 联合攻关 智能化 资源优势 专班 中小
""".split())


def known_words() -> frozenset[str]:
    """Words that are not news to the curator: theme labels (all kinds), units, places, added words."""
    from kg.text import user_words

    return _theme_labels() | user_words()


@lru_cache(maxsize=1)
def _theme_labels() -> frozenset[str]:
    from kg.themes import themes

    return frozenset(label for theme in themes() for label in theme.labels + theme.keywords + theme.context)


@lru_cache(maxsize=1)
def _plan_document_frequency() -> tuple[int, dict[str, int]]:
    """In how many sentences of the bundled work plans each word occurs, and how many sentences there are."""
    from kg.config import DATA_DIR
    from kg.text import words

    sentences = []
    for path in sorted(DATA_DIR.iterdir()):
        if path.suffix in (".txt", ".md"):
            sentences += [s for s in re.split(r"[。;；\n]", path.read_text(encoding="utf-8", errors="replace")) if s.strip()]
    frequency: dict[str, int] = {}
    for sentence in sentences:
        for word in set(words(sentence)):
            frequency[word] = frequency.get(word, 0) + 1
    return len(sentences), frequency


@lru_cache(maxsize=1)
def _extractors():
    import jieba.analyse
    import jieba.posseg

    from kg.text import tokenizer

    # POSTokenizer(tokenizer()) would read jieba's dictionary again (0.3 s) for a word-tag table
    # equal to that of jieba.posseg.dt: share that table (read only: govkg's words carry no tags).
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pos.__dict__.update(tokenizer=tokenizer(), word_tag_tab=jieba.posseg.dt.word_tag_tab)
    general = jieba.analyse.default_tfidf
    # IDF of a word = jieba's (general Chinese) times how rare it is in work plans (0..1]:
    # 着力, 提质, 大力 are rare in news but in every plan, so they sink.
    n, frequency = _plan_document_frequency()
    scale = math.log(n + 1)
    plan_idf = {word: general.idf_freq.get(word, general.median_idf) * math.log((n + 1) / (df + 1)) / scale
                for word, df in frequency.items()}
    tfidf = copy.copy(general)  # shares jieba's IDF table read-only; jieba's own extractor is not changed
    tfidf.idf_freq = ChainMap(plan_idf, general.idf_freq)
    tfidf.tokenizer, tfidf.postokenizer = tokenizer(), pos
    tfidf.stop_words = set(tfidf.stop_words)
    textrank = jieba.analyse.TextRank()
    textrank.tokenizer = textrank.postokenizer = pos
    textrank.stop_words = set(textrank.stop_words)
    return {"tfidf": tfidf.extract_tags, "textrank": textrank.textrank}


def keywords(text: str, *, top: int = 20, method: str = "tfidf") -> list[tuple[str, float]]:
    """The ``top`` candidate terms of ``text`` with their weights, best first; known words left out.

    Parameters
    ----------
    text
        A document's text (or any part of it).
    top
        How many terms to return.
    method
        ``tfidf`` (term frequency in the text times jieba's IDF) or ``textrank``
        (co-occurrence graph within a window of five words).

    Raises
    ------
    InputError
        For an unknown ``method`` or a ``top`` below 1.
    """
    if method not in METHODS:
        raise InputError(f"keyword method is one of {', '.join(METHODS)}, got {method!r}")
    if top < 1:
        raise InputError(f"--top must be at least 1, got {top}")
    known = known_words()
    ranked = _extractors()[method](text, topK=None, withWeight=True, allowPOS=_NOUNS)
    out = [(word, round(float(weight), 4)) for word, weight in ranked
           if len(word) >= 2 and _HAN.match(word) and word not in known and word not in FILLER]
    return out[:top]


def document_keywords(document, *, top: int = 20, method: str = "tfidf") -> list[tuple[str, float]]:
    """:func:`keywords` of a parsed document (``loaders.Document``): its title, section titles and task texts.

    Unit lists, page furniture and the preamble are not part of it, so unit names and
    boilerplate (按职责分工负责) do not crowd out the terms.
    """
    parts = [document.title] + [section.title for section in document.sections] + [task.text for task in document.tasks]
    return keywords("\n".join(parts), top=top, method=method)
