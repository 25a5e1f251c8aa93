"""The independent evaluation: every corpus mail through `python -m missend_guard check --json`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.corpus.build_corpus import write_generated
from tests.corpus.scoring import HERE, judge, load_expected, load_schema, prepare_data_dir, run_check

EXPECTED = load_expected()

# Engine defects still present (strict xfail: the test fails once fixed). None at the moment.
KNOWN_DEFECTS: dict[str, str] = {}


def _params() -> list[Any]:
    out = []
    for entry in EXPECTED["mails"]:
        marks = []
        if entry["id"] in KNOWN_DEFECTS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[entry["id"]]))
        out.append(pytest.param(entry, id=entry["id"], marks=marks))
    return out


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("mg-data")
    prepare_data_dir(directory, EXPECTED)
    return directory


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_generated(tmp_path_factory.mktemp("mg-large"))


def test_corpus_is_committed_and_current() -> None:
    """Every mail named in expected.json exists (the large ones are built at test time)."""
    missing = [e["file"] for e in EXPECTED["mails"] if not e["generated"] and not (HERE / e["file"]).exists()]
    assert not missing
    assert len(EXPECTED["mails"]) >= 60


@pytest.mark.parametrize("entry", _params())
def test_mail(entry: dict[str, Any], data_dir: Path, generated: dict[str, Path]) -> None:
    """The engine raises what the contract requires and nothing above info it does not allow."""
    mail = generated[entry["id"]] if entry["generated"] else HERE / entry["file"]
    verdict = judge(entry, run_check(mail, data_dir, EXPECTED), load_schema())
    assert verdict.ok, f"{entry['id']}: {entry['description']}\n{verdict.explain()}"
