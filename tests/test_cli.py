"""The govkg command end to end on the bundled corpus: build, extract, query, export, bad input."""

from __future__ import annotations

import csv
from pathlib import Path
import io
import json

import pytest
import rdflib

from kg.cli import main
from kg.config import DATA_DIR


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["build", "--store", str(path)]) == 0
    return path


def quad_count(capsys, store_dir) -> int:
    code, out, _ = run(capsys, "export", "--format", "nquads", "--store", store_dir)
    assert code == 0
    return len([l for l in out.splitlines() if l.strip()])


@pytest.mark.parametrize(
    "name, tasks", [("xuchang-2026-key-tasks.txt", 100), ("xuchang-2020-key-tasks.txt", 115), ("jiyuan-2021-key-tasks.txt", 143)],
    ids=["xuchang-2026", "xuchang-2020", "jiyuan-2021"],
)
def test_extract_json(capsys, name, tasks):
    code, out, _ = run(capsys, "extract", DATA_DIR / name, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data["document"]) >= {"id", "title", "city", "year", "kind", "doc_number", "issued"}
    assert len(data["tasks"]) == tasks
    for task in data["tasks"]:
        assert task["assignments"], task["number"]
        assert set(task["assignments"][0]) >= {"mention", "name", "role", "position", "unit"}
        assert task["number"].isdigit()


def test_extract_unit_iris_are_resolved_in_the_documents_city(capsys):
    _, out, _ = run(capsys, "extract", DATA_DIR / "jiyuan-2021-key-tasks.txt", "--json")
    task9 = next(t for t in json.loads(out)["tasks"] if t["number"] == "9")
    assert [a["unit"] for a in task9["assignments"]] == [
        "https://w3id.org/govkg/id/unit/济源市/卫生健康委员会",
        "https://w3id.org/govkg/id/unit/济源市/城投建设发展有限公司",
        "https://w3id.org/govkg/id/unit/济源市/玉泉街道办事处",
    ]


def test_unit_workload_csv(capsys, store_dir):
    code, out, _ = run(capsys, "query", "unit-workload", "--param", "city=许昌市", "--param", "year=2026", "--format", "csv", "--store", store_dir)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["unit", "label", "tasks", "lead", "collective"]
    by_label = {r["label"]: r for r in rows}
    assert by_label["市发展和改革委员会"]["tasks"] == "37"
    assert by_label["市发展和改革委员会"]["unit"] == "https://w3id.org/govkg/id/unit/许昌市/发展和改革委员会"
    assert {r["label"] for r in rows} >= {"市科学技术局", "长葛市政府"}
    assert not any(r["label"].startswith("卫生健康委员会") for r in rows)  # 济源's units stay in 济源


def test_unit_workload_role_filter(capsys, store_dir):
    _, out, _ = run(capsys, "query", "unit-workload", "--param", "city=济源市", "--param", "role=lead", "--format", "json", "--store", store_dir)
    bindings = json.loads(out)["results"]["bindings"]
    top = bindings[0]
    assert (top["label"]["value"], top["tasks"]["value"], top["lead"]["value"]) == ("发展改革和统计局", "12", "12")


def test_co_responsibility(capsys, store_dir):
    _, out, _ = run(capsys, "query", "co-responsibility", "--param", "year=2021", "--format", "csv", "--store", store_dir)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:3] == ["unit_a", "unit_b", "shared_tasks"]
    assert all(r["unit_a"] < r["unit_b"] for r in rows)
    assert all("济源市" in r["unit_a"] for r in rows)


def test_query_param_is_bound_not_spliced(capsys, store_dir):
    code, out, _ = run(capsys, "query", "unit-workload", "--param", 'city=许昌市" } } DROP ALL #', "--format", "csv", "--store", store_dir)
    assert code == 0 and out.strip() == "unit,label,tasks,lead,collective"


@pytest.mark.parametrize(
    "argv, message",
    [(["query", "no-such-query"], "no named query"), (["query", "unit-workload", "--param", "year=soon"], "expects an integer"),
     (["query", "unit-workload", "--param", "colour=red"], "has no parameter"), (["query", "--sparql", "SELECT WHERE"], "SPARQL syntax error")],
    ids=["unknown-query", "bad-integer", "unknown-param", "bad-sparql"],
)
def test_query_errors_exit_2(capsys, store_dir, argv, message):
    code, _, err = run(capsys, *argv, "--store", store_dir)
    assert code == 2 and message in err and "Traceback" not in err


def test_nquads_round_trip_and_turtle_parses(capsys, store_dir, tmp_path):
    n = quad_count(capsys, store_dir)
    ds = rdflib.Dataset()
    code, out, _ = run(capsys, "export", "--format", "nquads", "--store", store_dir)
    ds.parse(data=out, format="nquads")
    assert len(list(ds.quads((None, None, None, None)))) == n
    assert run(capsys, "export", "--format", "turtle", "-o", tmp_path / "all.ttl", "--store", store_dir)[0] == 0
    g = rdflib.Graph().parse(tmp_path / "all.ttl", format="turtle")
    assert len(g) == len({(q[0], q[1], q[2]) for q in ds.quads()})
    code, out, _ = run(capsys, "export", "--graph", "许昌市/2026/key-tasks", "--format", "trig", "--store", store_dir)
    assert code == 0 and "许昌市/2026/key-tasks/task/100" in out


def test_rebuild_changes_nothing(capsys, store_dir):
    before = run(capsys, "export", "--format", "nquads", "--store", store_dir)[1]
    assert main(["build", "--store", str(store_dir)]) == 0
    capsys.readouterr()
    after = run(capsys, "export", "--format", "nquads", "--store", store_dir)[1]
    assert sorted(before.splitlines()) == sorted(after.splitlines())


def test_junk_file_exit_2_store_unchanged(capsys, store_dir, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02binary\xff\xfe\x00" * 50)
    before = quad_count(capsys, store_dir)
    code, out, err = run(capsys, "build", junk, "--store", store_dir)
    assert code == 2
    failed = [l for l in out.splitlines() if l.startswith("FAILED")]
    assert len(failed) == 1 and "junk.txt" in failed[0]
    assert quad_count(capsys, store_dir) == before


def test_one_bad_document_does_not_stop_the_others(capsys, tmp_path):
    bad = tmp_path / "unrelated.txt"
    bad.write_text("红烧肉的做法\n先把五花肉切块，焯水。\n再加冰糖炒糖色。\n", encoding="utf-8")
    store = tmp_path / "store"
    code, out, _ = run(capsys, "build", DATA_DIR / "jiyuan-2021-key-tasks.txt", bad, "--store", store)
    assert code == 2
    assert "loaded  济源市/2021/key-tasks" in out
    assert "unrelated.txt:1: expected a key-task notice" in out


def test_missing_file_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "build", tmp_path / "nope.txt", "--store", tmp_path / "s")
    assert code == 2 and "nope.txt: no such file" in err


def test_queries_lists_named_queries(capsys):
    code, out, _ = run(capsys, "queries")
    assert code == 0
    for name in ("unit-workload", "co-responsibility"):
        assert f"{name}:" in out


def test_units_unresolved_lists_minted_units_with_their_documents(capsys, tmp_path):
    store = tmp_path / "store"
    small = Path(__file__).parent / "data" / "variants" / "notice-small.txt"  # 洛阳: no authority data
    assert main(["build", str(small), "--store", str(store)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "units", "--unresolved", "--format", "csv", "--store", store)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["label"] for r in rows} >= {"市发展改革委", "市财政局", "瀍河区政府", "老城区政府", "市商务局", "相关部门"}
    assert all(r["documents"] == "notice-small.txt" and r["city"] == "洛阳市" for r in rows)
    code, out, _ = run(capsys, "units", "--city", "许昌市", "--format", "csv", "--store", store)
    known = {r["label"]: r for r in csv.DictReader(io.StringIO(out))}  # the authority data, named by no document here
    assert known["市发展和改革委员会"]["tasks"] == "0" and known["市发展和改革委员会"]["resolved"] == "yes"
    assert "市发展改革委" in known["市发展和改革委员会"]["aliases"]
