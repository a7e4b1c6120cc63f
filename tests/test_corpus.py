"""The bundled corpus read end to end: task counts, assignments and the issue's named cases."""

from __future__ import annotations

import pytest

NOTICES = {
    "xuchang-2026-key-tasks.txt": ("许昌市", 2026, 100, None),
    "xuchang-2020-key-tasks.txt": ("许昌市", 2020, 115, "许政〔2020〕20号"),
    "jiyuan-2021-key-tasks.txt": ("济源市", 2021, 143, None),
}


@pytest.mark.parametrize("name", NOTICES, ids=list(NOTICES))
def test_notice_tasks_and_metadata(corpus, name):
    city, year, count, number = NOTICES[name]
    doc = corpus[name]
    assert (doc.kind, doc.city, doc.year, doc.doc_number) == ("key-tasks", city, year, number)
    assert len(doc.tasks) == count
    assert [t.number for t in doc.tasks] == [str(i) for i in range(1, count + 1)]
    assert all(t.assignments for t in doc.tasks), [t.number for t in doc.tasks if not t.assignments]
    assert doc.problems == ()


@pytest.mark.parametrize("name", NOTICES, ids=list(NOTICES))
def test_mentions_are_exact_substrings(corpus, name):
    doc = corpus[name]
    for task in doc.tasks:
        for a in task.assignments:
            assert doc.text[a.start:a.end] == a.mention
        assert task.start < task.end and task.text[:6] in doc.text[task.start:task.end]


def _assignments(doc, number):
    task = next(t for t in doc.tasks if t.number == number)
    return [(a.role, a.position, a.name, a.mention) for a in task.assignments]


def test_jiyuan_task_9_roles(corpus):
    assert _assignments(corpus["jiyuan-2021-key-tasks.txt"], "9") == [
        ("lead", 1, "卫生健康委员会", "卫生健康委员会"),
        ("responsible", 1, "城投建设发展有限公司", "城投建设发展有限公司"),
        ("responsible", 2, "玉泉街道办事处", "玉泉街道办事处"),
    ]


def test_xuchang_2026_task_4_distributive_suffix(corpus):
    names = _assignments(corpus["xuchang-2026-key-tasks.txt"], "4")
    assert ("responsible", 4, "长葛市政府", "长葛市") in names
    assert ("responsible", 5, "建安区政府", "建安区政府") in names
    assert ("responsible", 6, "市城乡一体化示范区管委会", "市城乡一体化示范区管委会") in names


def test_xuchang_2020_etc_collective_and_bracket_alias(corpus):
    doc = corpus["xuchang-2020-key-tasks.txt"]
    first = _assignments(doc, "1")
    assert first == [
        ("responsible", 1, "市疫情防控指挥部办公室", "市疫情防控指挥部办公室"),
        ("responsible", 2, "市卫生健康委", "市卫生健康委"),
        ("responsible", 3, "相关单位", "等"),
        ("responsible", 4, "各县(市、区)政府(管委会)", "各县(市、区)政府(管委会)"),
    ]
    assert ("responsible", 1, "市住房和城乡建设局", "市住房和城乡建设局(市供热办)") in _assignments(doc, "80")


def test_xuchang_2020_pasted_page_header_is_not_a_document_number(corpus):
    doc = corpus["xuchang-2020-key-tasks.txt"]
    assert doc.doc_number == "许政〔2020〕20号"
    assert "许政〔2020〕21号" not in "".join(t.text for t in doc.tasks)


@pytest.mark.parametrize(
    "name, kind, year, sections",
    [("xuchang-2023-work-report.txt", "work-report", 2023, 11), ("xuchang-2021-work-report-summary.md", "work-report-summary", 2021, 9)],
    ids=["report-2023", "summary-2021"],
)
def test_narrative_documents_load_with_sections(corpus, name, kind, year, sections):
    doc = corpus[name]
    assert (doc.kind, doc.city, doc.year) == (kind, "许昌市", year)
    assert len(doc.sections) == sections
