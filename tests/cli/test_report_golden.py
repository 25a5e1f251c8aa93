"""`missend-guard check` prints, byte for byte, the reports recorded in tests/cli/golden/ (ja, en, JSON).

The golden files were captured before the texts moved into missend_guard/texts/, so any change in
wording, punctuation or order shows here. After an intended change, regenerate them with
`python -m tests.cli.test_report_golden` and review the diff.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
CORPUS = ROOT / "tests" / "corpus"

# The two setups the mails are written for: samples/ (README) and the corpus (tests/corpus/expected.json).
SETUPS: dict[str, tuple[str, ...]] = {
    "samples": (
        "--internal-domain", "example.co.jp", "--contacts", str(ROOT / "samples" / "contacts.vcf"),
    ),
    "corpus": (
        "--internal-domain", "sakura-sys.co.jp", "--internal-domain", "sakura-group.jp",
        "--contacts", str(CORPUS / "contacts.vcf"), "--contacts", str(CORPUS / "contacts.csv"),
    ),
}
MODES: dict[str, tuple[str, ...]] = {"ja": ("--lang", "ja"), "en": ("--lang", "en"), "json": ("--json",)}

# (name, mail, setup, modes): lookalike and contact texts, nothing to report, a block, an encrypted
# attachment, a list param, body/message/attachment targets, a subject target.
CASES: list[tuple[str, Path, str, tuple[str, ...]]] = [
    ("lookalike-domain", ROOT / "samples" / "lookalike-domain.eml", "samples", ("ja", "en", "json")),
    ("missing-attachment", ROOT / "samples" / "missing-attachment.eml", "samples", ("ja", "en")),
    ("clean-internal", ROOT / "samples" / "clean-internal.eml", "samples", ("ja", "en")),
    ("blocked-bcc", CORPUS / "mails" / "bl03_blocked_address_bcc.eml", "corpus", ("ja", "en", "json")),
    ("encrypted-attachment", CORPUS / "mails" / "an04_person_name.eml", "corpus", ("ja", "en")),
    ("hidden-sheet", CORPUS / "mails" / "hs02_very_hidden_external.eml", "corpus", ("ja", "en")),
    ("truncated", CORPUS / "mails" / "mf07_truncated_external.eml", "corpus", ("ja", "en")),
    ("empty-subject", CORPUS / "mails" / "es02_empty_subject_external.eml", "corpus", ("ja", "en")),
]


def run(mail: Path, setup: str, mode: str, data_dir: Path) -> bytes:
    """stdout and exit code of one `missend-guard check`, as the golden files hold them."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if setup == "corpus":  # the corpus's block list
        (data_dir / "settings.json").write_bytes((CORPUS / "settings.json").read_bytes())
    cmd = [sys.executable, "-m", "missend_guard", "check", "--data-dir", str(data_dir),
           *SETUPS[setup], *MODES[mode], str(mail)]
    proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False, cwd=ROOT)
    assert proc.stderr == b"", proc.stderr.decode("utf-8", "replace")
    return proc.stdout + f"exit {proc.returncode}\n".encode()


def _params() -> list[object]:
    return [pytest.param(name, mail, setup, mode, id=f"{name}-{mode}")
            for name, mail, setup, modes in CASES for mode in modes]


@pytest.mark.parametrize(("name", "mail", "setup", "mode"), _params())
def test_report_is_byte_identical(name: str, mail: Path, setup: str, mode: str, tmp_path: Path) -> None:
    expected = (GOLDEN / f"{name}.{mode}").read_bytes()
    assert run(mail, setup, mode, tmp_path / "data") == expected


_PROBE = """
import sys
from missend_guard.cli import main
status = main(sys.argv[1:])
print("UI=" + ",".join(sorted(m for m in sys.modules if m.startswith(("missend_guard.ui", "PySide6")))))
sys.exit(status)
"""


def test_the_readable_report_loads_no_ui_module(tmp_path: Path) -> None:
    """The CLI takes its texts from missend_guard.texts, not from ui/ (and so never loads Qt)."""
    mail = ROOT / "samples" / "lookalike-domain.eml"
    cmd = [sys.executable, "-c", _PROBE, "check", "--data-dir", str(tmp_path), *SETUPS["samples"],
           "--lang", "ja", str(mail)]
    proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout.decode("utf-8").splitlines()[-1] == "UI="


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        for case, eml, where, modes in CASES:
            for each in modes:
                output = run(eml, where, each, Path(scratch) / f"{case}-{each}")
                (GOLDEN / f"{case}.{each}").write_bytes(output)
