"""Targets and quantities read from text (loaders.quantities): golden tables of real phrases.

Every phrase below is copied from a document of the bundled corpus (the id names it):
the 许昌 2026 notice (task 1 and others), the 许昌 2023 report, the 许昌 2021 summary
(markdown) and the 济源 2021 notice.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.quantities import document_targets, quantities, target_paragraphs, target_statements, task_span

# (id, phrase as written, indicator, value, measure, qualifier)
TARGETS = [
    ("xc2026-economy", "经济增长5.5%左右", "经济增长", "5.5", "%", "左右"),
    ("xc2026-industry", "规上工业增加值增长7.5%左右", "规上工业增加值增长", "7.5", "%", "左右"),
    ("xc2026-trade-qualitative", "进出口总值稳量提质", "进出口总值", None, None, "稳量提质"),
    ("xc2026-jobs", "城镇新增就业5万人以上", "城镇新增就业", "5", "万人", "以上"),
    ("xc2026-income-in-step", "居民收入增长与经济增长同步", "居民收入增长", None, None, "与经济增长同步"),
    ("xc2026-grain", "粮食产量285万吨以上", "粮食产量", "285", "万吨", "以上"),
    ("xc2026-carbon", "单位生产总值碳排放与“十五五”考核目标统筹衔接", "单位生产总值碳排放", None, None,
     "与“十五五”考核目标统筹衔接"),
    ("xc2023-economy", "经济增长7%", "经济增长", "7", "%", None),
    ("xc2023-urbanisation", "常住人口城镇化率提高1.2个百分点左右", "常住人口城镇化率提高", "1.2", "个百分点", "左右"),
    ("xc2023-rnd", "研发经费投入强度2%以上", "研发经费投入强度", "2", "%", "以上"),
    ("xc2023-unemployment", "城镇调查失业率5.5%以下", "城镇调查失业率", "5.5", "%", "以下"),
    ("xc2023-income-coordinated", "居民收入增长和经济增长协调同步", "居民收入增长", None, None, "和经济增长协调同步"),
    ("xc2023-grain-held", "粮食产量稳定在280万吨以上", "粮食产量", "280", "万吨", "以上"),
    ("xc2023-trade-steady", "进出口总值保持平稳增长", "进出口总值", None, None, "保持平稳增长"),
    ("xc2021-md-gdp", "生产总值增长**7.5%**以上", "生产总值增长", "7.5", "%", "以上"),
    ("xc2021-md-jobs", "城镇新增就业**4.9万人**", "城镇新增就业", "4.9", "万人", None),
    ("xc2021-md-unemployment", "城镇调查失业率控制在**5.5%**左右", "城镇调查失业率", "5.5", "%", "左右"),
    ("xc2021-md-energy", "单位国内生产总值能耗降低**3%**左右", "单位国内生产总值能耗降低", "3", "%", "左右"),
    ("xc2021-income-steady", "居民收入稳步增长", "居民收入", None, None, "稳步增长"),
    ("xc2021-pollutants", "主要污染物排放量继续下降", "主要污染物排放量", None, None, "继续下降"),
    ("jy2021-gdp", "生产总值增长8%。", "生产总值增长", "8", "%", None),
    ("jy2021-revenue", "一般公共预算收入增长6%以上。", "一般公共预算收入增长", "6", "%", "以上"),
    ("jy2021-income", "居民人均可支配收入增速与经济增长同步。", "居民人均可支配收入增速", None, None, "与经济增长同步"),
    ("jy2021-urbanisation", "城镇化率提高1.3个百分点左右。", "城镇化率提高", "1.3", "个百分点", "左右"),
    ("jy2021-unemployment-ceiling", "城镇调查失业率控制在5.5%以内。", "城镇调查失业率", "5.5", "%", "以内"),
    ("full-width", "经济增长５．５％左右", "经济增长", "5.5", "%", "左右"),
]


@pytest.mark.parametrize(("phrase", "indicator", "value", "measure", "qualifier"), [t[1:] for t in TARGETS],
                         ids=[t[0] for t in TARGETS])
def test_target_statement(phrase, indicator, value, measure, qualifier):
    (statement,) = target_statements(phrase)
    assert (statement.indicator, statement.value, statement.measure, statement.qualifier) == (
        indicator, Decimal(value) if value else None, measure, qualifier)
    assert statement.phrase == phrase.replace("**", "").rstrip("。")


XUCHANG_2026_TASK_1 = (
    "经济增长5.5%左右,在实际工作中努力争取更好结果;规上工业增加值增长7.5%左右,固定资产投资增长5.5%左右,"
    "社会消费品零售总额增长6%左右,进出口总值稳量提质,一般公共预算收入增长4%左右,城镇调查失业率5.5%左右,"
    "城镇新增就业5万人以上,居民消费价格涨幅2%左右,居民收入增长与经济增长同步,粮食产量285万吨以上,"
    "单位生产总值碳排放与“十五五”考核目标统筹衔接。"
)


def test_a_target_paragraph_splits_into_its_targets_and_skips_remarks():
    statements = target_statements(XUCHANG_2026_TASK_1)
    assert [s.indicator for s in statements] == [
        "经济增长", "规上工业增加值增长", "固定资产投资增长", "社会消费品零售总额增长", "进出口总值",
        "一般公共预算收入增长", "城镇调查失业率", "城镇新增就业", "居民消费价格涨幅", "居民收入增长", "粮食产量",
        "单位生产总值碳排放",
    ]
    for s in statements:
        assert XUCHANG_2026_TASK_1[s.start: s.end] == s.phrase


def test_lead_in_is_skipped_and_offsets_count_from_the_offset_given():
    text = "主要预期目标:经济增长7%,常住人口城镇化率提高1.2个百分点左右"
    first, second = target_statements(text, offset=1000)
    assert (first.indicator, first.start, first.end) == ("经济增长", 1007, 1013)
    assert text[second.start - 1000: second.end - 1000] == "常住人口城镇化率提高1.2个百分点左右"


def test_markdown_markers_do_not_break_offsets():
    source = "目标\n\n生产总值增长**7.5%**以上,城镇新增就业**4.9万人**,粮食产量保持在**280万吨**以上。"
    start = source.index("生产")
    statements = target_statements(source[start:], start)
    assert [source[s.start: s.end] for s in statements] == [
        "生产总值增长**7.5%**以上", "城镇新增就业**4.9万人", "粮食产量保持在**280万吨**以上"]
    assert [s.phrase for s in statements] == ["生产总值增长7.5%以上", "城镇新增就业4.9万人", "粮食产量保持在280万吨以上"]


def test_folded_and_original_text_give_the_same_offsets():
    original = "经济增长５．５％左右，城镇新增就业５万人以上"
    from loaders.text import fold

    assert [(s.start, s.end, s.value) for s in target_statements(original)] == [
        (s.start, s.end, s.value) for s in target_statements(fold(original))]
    assert target_statements(original)[0].phrase == "经济增长５．５％左右"  # as written


def test_range_target_has_low_and_high():
    (s,) = target_statements("社会消费品零售总额增长5%—6%")
    assert (s.value, s.high, s.measure) == (Decimal(5), Decimal(6), "%")


# (id, text as written, noun, value, high, measure, qualifier)
QUANTITIES = [
    ("xc2026-4-projects", "实施重大项目210个", "重大项目", "210", None, "个", None),
    ("xc2026-4-investment", "完成投资700亿元以上", "投资", "700", None, "亿元", "以上"),
    ("xc2026-58-farmland", "新建高标准农田28.2万亩", "高标准农田", "28.2", None, "万亩", None),
    ("xc2026-2-expressways", "建成通车郑南、焦平、周平3条高速公路", "高速公路", "3", None, "条", None),
    ("xc2026-29-exceeding", "培育智能工厂(车间)超14家", "智能工厂(车间)", "14", None, "家", "超"),
    ("xc2026-30-range", "创建1—2个省级产业园区集群地标", "省级产业园区集群地标", "1", "2", "个", None),
    ("xc2026-77-range", "培育3—5所省、市级特色高中", None, "3", "5", "所", None),
    ("xc2026-82-hyphen-range", "推动1-2项中医药关键技术成果转化", "中医药关键技术成果转化", "1", "2", "项", None),
    ("xc2026-89-visitors", "接待游客5500万人次以上", "游客", "5500", None, "万人次", "以上"),
    ("xc2026-27-about", "培育5个左右省级人工智能创新企业(产品)", "省级人工智能创新企业", "5", None, "个", "左右"),
    ("jy2021-9-beds", "拟设置2000余张床位", "床位", "2000", None, "张", "余"),
    ("jy2021-16-water", "蓄水量78万立方米", "蓄水量", "78", None, "万立方米", None),
    ("xc2020-5-floor", "新增贷款不低于200亿元", "贷款", "200", None, "亿元", "不低于"),
    ("xc2020-10-reaching", "新能源充电桩达到2800个", "新能源充电桩", "2800", None, "个", None),
    ("xc2021-md-projects", "抓好**220个**以上重点项目", "重点项目", "220", None, "个", "以上"),
    ("xc2023-breakthrough", "民营企业数量突破10万家", "民营企业数量", "10", None, "万家", "突破"),
    ("xc2023-nearly", "到位资金近600亿元", "到位资金", "600", None, "亿元", "近"),
    ("xc2023-more-than", "实施退减缓税60多亿元", "退减缓税", "60", None, "亿元", "多"),
    ("xc2023-range-report", "新创建绿色矿山4—5个", "绿色矿山", "4", "5", "个", None),
    ("full-width", "新建学校２０所", "学校", "20", None, "所", None),
]


@pytest.mark.parametrize(("text", "noun", "value", "high", "measure", "qualifier"), [q[1:] for q in QUANTITIES],
                         ids=[q[0] for q in QUANTITIES])
def test_quantity(text, noun, value, high, measure, qualifier):
    (q,) = quantities(text)
    assert (q.noun, q.value, q.high, q.measure, q.qualifier) == (
        noun, Decimal(value), Decimal(high) if high else None, measure, qualifier)
    assert text[q.start: q.end].replace("**", "") == q.phrase


def test_two_quantities_side_by_side():
    found = quantities("惠及群众5000户2万余人")
    assert [(q.noun, q.value, q.measure, q.qualifier) for q in found] == [
        ("群众", Decimal(5000), "户", None), (None, Decimal(2), "万人", "余")]


@pytest.mark.parametrize(
    "text",
    ["城市综合创新能力居全省第3位", "办好第**3**届发制品跨境电商大会", "2026年底前建成5G基站", "深入实施“5163”工程",
     "G107改线工程", "提升至3年一遇"],
    ids=["ordinal", "ordinal-markdown", "year-and-code", "quoted-code", "road-code", "return-period"],
)
def test_not_quantities(text):
    assert quantities(text) == []


# -- whole documents -------------------------------------------------------------------------

PARAGRAPHS = {  # file -> [(task key or None, section key or None, number of targets)]
    "xuchang-2026-key-tasks.txt": [("1", "1", 12)],
    "jiyuan-2021-key-tasks.txt": [(str(n), "1", 1) for n in range(1, 9)],
    "xuchang-2023-work-report.txt": [(None, "2", 14)],
    "xuchang-2021-work-report-summary.md": [(None, None, 14)],
    "xuchang-2020-key-tasks.txt": [],
}


@pytest.mark.parametrize("name", sorted(PARAGRAPHS))
def test_target_paragraphs_of_the_corpus(corpus, name):
    doc = corpus[name]
    found = [(p.task, p.section, len(target_statements(p.text, p.start))) for p in target_paragraphs(doc)]
    assert found == PARAGRAPHS[name]
    for paragraph, statement in document_targets(doc):
        assert doc.text[statement.start: statement.end].replace("**", "") == statement.phrase


@pytest.mark.parametrize("name", sorted(PARAGRAPHS))
def test_every_task_is_found_in_its_source_and_quantities_point_into_it(corpus, name):
    doc = corpus[name]
    for task in doc.tasks:
        span = task_span(doc, task)
        assert span is not None, task.key
        start, end = span
        assert "".join(doc.text[start:end].replace("**", "").split()) == "".join(task.text.split())
        for q in quantities(doc.text[start:end], start):
            assert doc.text[q.start: q.end].replace("**", "") == q.phrase
