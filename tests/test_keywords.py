"""Keyword discovery (govkg keywords): new candidate terms, never words govkg already knows."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.keywords import FILLER, document_keywords, keywords, known_words

TEXT = "支持发制品企业开拓非洲市场,办好发制品跨境电商大会,扩大发制品出口。推广胖东来经验,由市发展改革委牵头。"


@pytest.mark.parametrize("method", ["tfidf", "textrank"])
def test_suggests_new_terms_only(method):
    found = keywords(TEXT, method=method)
    assert found and found[0][0] == "发制品"
    assert all(isinstance(word, str) and isinstance(weight, float) for word, weight in found)
    assert not {word for word, _ in found} & (known_words() | FILLER)
    assert [w for _, w in found] == sorted((w for _, w in found), reverse=True)


def test_known_words_cover_themes_units_places():
    assert {"胖东来", "跨境电商", "都市圈", "市发展改革委", "鄢陵县"} <= known_words()


def test_top_limits_the_list():
    assert len(keywords(TEXT, top=1)) == 1


@pytest.mark.parametrize(("kwargs", "message"), [({"method": "lda"}, "one of tfidf, textrank"), ({"top": 0}, "at least 1")],
                         ids=["method", "top"])
def test_bad_arguments(kwargs, message):
    with pytest.raises(InputError, match=message):
        keywords(TEXT, **kwargs)


def test_document_keywords_leave_out_unit_lists(corpus):
    found = [word for word, _ in document_keywords(corpus["xuchang-2026-key-tasks.txt"], top=30)]
    assert "许继" in found
    assert not {"职责", "分工负责", "管委会"} & set(found)


def test_jieba_global_extractor_is_untouched():
    import jieba
    import jieba.analyse

    keywords(TEXT)
    assert jieba.analyse.default_tfidf.tokenizer is jieba.dt
    assert isinstance(jieba.analyse.default_tfidf.idf_freq, dict)
