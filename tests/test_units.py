"""Unit lists, one parametrized golden table: annotation as written -> (role, name, mention)."""

from __future__ import annotations

import pytest

from loaders.text import fold
from loaders.units import looks_like_units, parse_units

CASES = [
    ("trailing-bracket-fullwidth", "市发展改革委、市财政局，各县〔市、区〕政府〔管委会〕按职责分工负责",
     [("responsible", "市发展改革委", "市发展改革委"), ("responsible", "市财政局", "市财政局"),
      ("responsible", "各县〔市、区〕政府〔管委会〕", "各县〔市、区〕政府〔管委会〕")]),
    ("lead-responsible", "牵头单位：市商务局；责任单位：市财政局、市税务局",
     [("lead", "市商务局", "市商务局"), ("responsible", "市财政局", "市财政局"), ("responsible", "市税务局", "市税务局")]),
    ("lead-cooperating", "牵头单位:市教育局;配合单位:市财政局、市人力资源和社会保障局",
     [("lead", "市教育局", "市教育局"), ("cooperating", "市财政局", "市财政局"),
      ("cooperating", "市人力资源和社会保障局", "市人力资源和社会保障局")]),
    ("cooperating-before-lead", "配合单位：市财政局；牵头单位：市教育局",
     [("lead", "市教育局", "市教育局"), ("cooperating", "市财政局", "市财政局")]),
    ("plain-fuze", "市农业农村局负责", [("responsible", "市农业农村局", "市农业农村局")]),
    ("qiantou-peihe-clauses", "市教育局牵头，市财政局配合",
     [("lead", "市教育局", "市教育局"), ("cooperating", "市财政局", "市财政局")]),
    ("deadline-in-annotation", "市交通运输局负责，2022年底前完成", [("responsible", "市交通运输局", "市交通运输局")]),
    ("etc-bare", "市卫生健康委等", [("responsible", "市卫生健康委", "市卫生健康委"), ("responsible", "相关单位", "等")]),
    ("etc-related-departments", "市农业农村局等相关部门",
     [("responsible", "市农业农村局", "市农业农村局"), ("responsible", "相关部门", "等相关部门")]),
    ("etc-units", "财政金融局、发展改革和统计局等有关单位",
     [("responsible", "财政金融局", "财政金融局"), ("responsible", "发展改革和统计局", "发展改革和统计局"),
      ("responsible", "有关单位", "等有关单位")]),
    ("etc-municipal-units", "市财政局等市直各单位",
     [("responsible", "市财政局", "市财政局"), ("responsible", "市直各单位", "等市直各单位")]),
    ("distributive-government", "长葛市、建安区政府",
     [("responsible", "长葛市政府", "长葛市"), ("responsible", "建安区政府", "建安区政府")]),
    ("distributive-committees", "市城乡一体化示范区、经济技术开发区、东城区管委会",
     [("responsible", "市城乡一体化示范区管委会", "市城乡一体化示范区"),
      ("responsible", "经济技术开发区管委会", "经济技术开发区"), ("responsible", "东城区管委会", "东城区管委会")]),
    ("distributive-people-government", "宛城区、卧龙区人民政府",
     [("responsible", "宛城区人民政府", "宛城区"), ("responsible", "卧龙区人民政府", "卧龙区人民政府")]),
    ("quotes-protect", "市“四个一百”专项行动联席会议办公室、市发展改革委",
     [("responsible", "市“四个一百”专项行动联席会议办公室", "市“四个一百”专项行动联席会议办公室"),
      ("responsible", "市发展改革委", "市发展改革委")]),
    ("bracket-alias", "市住房和城乡建设局(市供热办)等",
     [("responsible", "市住房和城乡建设局", "市住房和城乡建设局(市供热办)"), ("responsible", "相关单位", "等")]),
    ("ji-collective", "市医疗保障局及市直有关部门",
     [("responsible", "市医疗保障局", "市医疗保障局"), ("responsible", "市直有关部门", "市直有关部门")]),
    ("stray-spaces", "市 财政局、市税 务局",
     [("responsible", "市财政局", "市 财政局"), ("responsible", "市税务局", "市税 务局")]),
    ("collective-townships", "各镇人民政府、街道办事处",
     [("responsible", "各镇人民政府", "各镇人民政府"), ("responsible", "街道办事处", "街道办事处")]),
    ("no-unit-after-label", "责任单位：", []),
]


@pytest.mark.parametrize("annotation, expected", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_unit_list(annotation, expected):
    source = "前文" + annotation + "。"
    parsed = parse_units(fold(annotation), source, 2)
    assert [(a.role, a.name, a.mention) for a in parsed.assignments] == expected
    for a in parsed.assignments:
        assert source[a.start:a.end] == a.mention
    positions = {}
    for a in parsed.assignments:
        positions[a.role] = positions.get(a.role, 0) + 1
        assert a.position == positions[a.role]


def test_deadline_read_from_annotation():
    text = "市交通运输局负责，2022年底前完成"
    assert parse_units(fold(text), text, 0).deadline == "2022年底前"


def test_collectives_are_flagged():
    text = "市财政局，各县(市、区)人民政府，市政府各部门"
    flags = [(a.name, a.collective) for a in parse_units(fold(text), text, 0).assignments]
    assert flags == [("市财政局", False), ("各县(市、区)人民政府", True), ("市政府各部门", True)]


@pytest.mark.parametrize(
    "body, expected",
    [("市财政局、市税务局", True), ("牵头单位:市商务局", True), ("厂区、街区", False), ("车间", False),
     ("职业技术学院新校区", False), ("市发展和改革委员会按职责分工负责", True)],
    ids=["units", "labelled", "prose-list", "prose-word", "place", "fuze"],
)
def test_looks_like_units(body, expected):
    assert looks_like_units(body) is expected
