"""The independent evaluation: every corpus mail through `python -m missend_guard check --json`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.corpus.build_corpus import write_generated
from tests.corpus.scoring import HERE, judge, load_expected, load_schema, prepare_data_dir, run_check

EXPECTED = load_expected()

# Engine defects still present at the end of the evaluation (strict: the test fails once fixed).
_PASSWORD_NOTE = (
    "password-in-mail (not in CONTRACT.md) fires on a line that only announces the password comes "
    "separately (パスワードは別途お送りします / The password will follow in a separate message)"
)
_BE_SURNAME = "salutation-mismatch: a surname ending in 部 (阿部, 服部, 岡部) never matches the addressee"
KNOWN_DEFECTS: dict[str, str] = {
    "clean03_forward_with_pdf": _BE_SURNAME,
    "hd01_hattori_san": _BE_SURNAME,
    "clean09_encrypted_zip": _PASSWORD_NOTE,
    "clean10_encrypted_pdf_en": _PASSWORD_NOTE,
    "up04_zipcrypto_ok": _PASSWORD_NOTE,
    "an02_invoice_other_company": _PASSWORD_NOTE,
    "an04_person_name": _PASSWORD_NOTE,
    "an05_right_company_ok": _PASSWORD_NOTE,
}


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
