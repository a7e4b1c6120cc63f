"""Bad input is refused with exit 2 and one line naming the file, the line and what was expected."""

from __future__ import annotations

import pytest

from kg.cli import main
from tests.conftest import TEST_DATA

BAD = TEST_DATA / "bad"
CASES = [
    ("empty.txt", "empty.txt: expected a non-empty text document, found 'an empty file'"),
    ("whitespace.txt", "whitespace.txt: expected a non-empty text document, found 'only blank lines'"),
    ("binary.bin", "binary.bin: expected a text document (UTF-8, GB18030/GBK or UTF-16), found 'binary data'"),
    ("unrelated.txt", "unrelated.txt:1: expected a key-task notice"),
    ("truncated.txt", "truncated.txt:7: expected a numbered task"),
]


@pytest.mark.parametrize("name, message", CASES, ids=[c[0] for c in CASES])
def test_extract_refuses(capsys, name, message):
    assert main(["extract", str(BAD / name), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_build_of_bad_files_changes_nothing(capsys, tmp_path):
    store = tmp_path / "store"
    good = TEST_DATA / "variants" / "notice-small.txt"
    assert main(["build", str(good), "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "nquads", "--store", str(store)]) == 0
    before = capsys.readouterr().out
    assert main(["build", *[str(BAD / name) for name, _ in CASES], "--store", str(store)]) == 2
    out = capsys.readouterr().out
    assert sum(l.startswith("FAILED") for l in out.splitlines()) == len(CASES)
    assert main(["export", "--format", "nquads", "--store", str(store)]) == 0
    assert capsys.readouterr().out == before
