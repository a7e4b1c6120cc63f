"""Entity resolution: spelling variants meet inside a city, never across cities; places found in text."""

from __future__ import annotations

import pytest

from kg.authority import AuthorityPlace, AuthorityUnit
from kg.resolve import PlaceMatcher, Resolver, match_key

U = "https://w3id.org/govkg/id/unit/"
P = "https://w3id.org/govkg/id/place/"

SAME = [
    ("许昌市", "市发展和改革委员会", "市发展改革委"),
    ("许昌市", "市发展和改革委员会", "许昌市发展和改革委员会"),
    ("许昌市", "市市场监督管理局", "市市场监管局"),
    ("许昌市", "市政务服务和大数据管理局", "市政务服务和大数据局"),
    ("许昌市", "市住房和城乡建设局", "市住房城乡建设局"),
    ("许昌市", "市卫生健康委员会", "市卫生健康委"),
    ("许昌市", "长葛市人民政府", "长葛市政府"),
    ("许昌市", "市 财政局", "市财政局"),
    ("许昌市", "各县〔市、区〕政府〔管委会〕", "各县(市、区)政府(管委会)"),
    ("济源市", "市场监督管理局", "市场监管局"),
    ("济源市", "济源市卫生健康委员会", "卫生健康委员会"),
]
DIFFERENT = [
    ("许昌市", "市财政局", "市税务局"),
    ("许昌市", "市行政服务中心", "市政务服务和大数据管理局"),
    ("许昌市", "市民政局", "市场监督管理局"),
    ("济源市", "市场监督管理局", "民政局"),
]


@pytest.mark.parametrize("city, a, b", SAME, ids=[f"{a}={b}" for _, a, b in SAME])
def test_spelling_variants_meet(city, a, b):
    assert match_key(city, a) == match_key(city, b)


@pytest.mark.parametrize("city, a, b", DIFFERENT, ids=[f"{a}!={b}" for _, a, b in DIFFERENT])
def test_different_units_stay_apart(city, a, b):
    assert match_key(city, a) != match_key(city, b)


def _unit(city, key, labels, collective=False):
    return AuthorityUnit(f"{U}{city}/{key}", city, labels[0], tuple(labels), collective, None, None)


AUTHORITY = [
    _unit("许昌市", "财政局", ["市财政局", "许昌市财政局"]),
    _unit("许昌市", "科学技术局", ["市科学技术局", "市科技局"]),
    _unit("许昌市", "发展和改革委员会", ["市发展和改革委员会", "市发展改革委", "市发改委"]),
    _unit("济源市", "财政金融局", ["财政金融局", "济源市财政金融局"]),
]


@pytest.mark.parametrize(
    "city, name, expected, known",
    [
        ("许昌市", "市科技局", "许昌市/科学技术局", True),
        ("许昌市", "市 科学技术局", "许昌市/科学技术局", True),
        ("许昌市", "许昌市发展和改革委员会", "许昌市/发展和改革委员会", True),
        ("许昌市", "市发展和改革委", "许昌市/发展和改革委员会", True),
        ("济源市", "财政金融局", "济源市/财政金融局", True),
        ("济源市", "市财政局", "济源市/财政局", False),  # 许昌's 市财政局 is not 济源's 财政金融局
        ("许昌市", "财政金融局", "许昌市/财政金融局", False),
        ("许昌市", "市新设局", "许昌市/新设局", False),
    ],
    ids=["alias", "stray-space", "city-prefix", "variant", "jiyuan", "not-across-cities", "not-across-cities-2", "unknown"],
)
def test_resolver(city, name, expected, known):
    found = Resolver(AUTHORITY).resolve(city, name)
    assert (found.unit.value, found.known) == (U + expected, known)


def test_ambiguous_variant_is_not_guessed():
    twins = [_unit("许昌市", "甲局", ["市甲局", "市甲乙局"]), _unit("许昌市", "甲乙管理局", ["市甲乙管理局"])]
    found = Resolver(twins).resolve("许昌市", "市甲和乙局")  # meets both under the match key
    assert not found.known


PLACES = [
    AuthorityPlace(P + "许昌市", "许昌市", ("许昌市", "许昌"), "City", None, "许", None),
    AuthorityPlace(P + "郑州市", "郑州市", ("郑州市", "郑州"), "City", None, "郑", None),
    AuthorityPlace(P + "许昌市/长葛市", "长葛市", ("长葛市", "长葛"), "County", P + "许昌市", None, None),
    AuthorityPlace(P + "郑州市/东城区", "东城区", ("东城区",), "County", P + "郑州市", None, None),
    AuthorityPlace(P + "新郑机场", "新郑机场", ("新郑机场", "新郑国际机场"), "Place", P + "郑州市", None, None),
    AuthorityPlace(P + "黄河", "黄河", ("黄河",), "Place", None, None, None, "https://w3id.org/govkg/ontology#River"),
]


@pytest.mark.parametrize(
    "text, city, expected",
    [
        ("支持长葛市发挥“融郑”作用,实现郑许市域铁路与新郑机场零距离换乘", "许昌市", ["许昌市/长葛市", "新郑机场"]),
        ("主动融入郑州都市圈", "许昌市", ["郑州市"]),
        ("推进许昌东城区建设", "许昌市", []),  # 郑州's 东城区 is not named in 许昌's text; 许昌 itself is skipped
        ("推进东城区建设", "郑州市", ["郑州市/东城区"]),
        ("全面加强黄河及其主要支流自然湿地保护治理", "许昌市", ["黄河"]),
        ("加快黄河旋风超硬材料产业园建设", "许昌市", []),
        ("支持许继、远东、黄河等龙头企业联合高校", "许昌市", []),
        ("开工建设黄河大道西延工程", "许昌市", []),
        ("深化与郑州大学合作", "许昌市", []),
    ],
    ids=["county-and-airport", "other-city", "other-citys-district", "own-district", "river", "company-brand",
         "enterprise-list", "road-named-after-river", "university"],
)
def test_place_matcher(text, city, expected):
    assert PlaceMatcher(PLACES).find(text, P + city) == [P + e for e in expected]
