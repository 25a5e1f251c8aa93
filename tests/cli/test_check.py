"""`missend-guard check` through a real subprocess: flags, JSON contract, exit codes, languages, stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SCHEMA_FILE = ROOT.parent / "shared" / "check-output.schema.json"


def run_check(*args: str, stdin: bytes | None = None, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    cmd = [sys.executable, "-m", "missend_guard", "check", "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=120, check=False)


@pytest.fixture
def schema() -> dict[str, object]:
    if not SCHEMA_FILE.exists():
        pytest.skip("shared/check-output.schema.json is not beside the repository")
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_json_output_matches_schema_and_contract(tmp_path: Path, schema: dict[str, object]) -> None:
    proc = run_check(
        "--json", "--internal-domain", "example.co.jp", "--contacts", str(SAMPLES / "contacts.vcf"),
        str(SAMPLES / "lookalike-domain.eml"), data_dir=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stderr == b""
    result = json.loads(proc.stdout.decode("utf-8"))
    jsonschema.validate(result, schema)
    assert result["subject"] == "お見積りの件"
    assert result["from"] == {"name": "山本 健", "address": "ken.yamamoto@example.co.jp"}
    assert result["recipients"] == [
        {"field": "to", "name": "佐藤 花子", "address": "hanako.sato@abc-tradlng.co.jp",
         "domain": "abc-tradlng.co.jp", "internal": False, "known": False},
    ]
    look = [f for f in result["findings"] if f["code"] == "lookalike-domain"]
    assert look
    assert look[0]["target"] == "recipient:0"
    assert look[0]["params"]["similar_to"] == "abc-trading.co.jp"


def test_clean_internal_mail_exits_zero(tmp_path: Path, schema: dict[str, object]) -> None:
    sample = str(SAMPLES / "clean-internal.eml")
    proc = run_check("--json", "--internal-domain", "example.co.jp", sample, data_dir=tmp_path)
    assert proc.returncode == 0, proc.stdout.decode()
    result = json.loads(proc.stdout)
    jsonschema.validate(result, schema)
    assert all(f["severity"] == "info" for f in result["findings"])


def test_missing_file_exits_3_with_one_line(tmp_path: Path) -> None:
    proc = run_check("--json", str(tmp_path / "nope.eml"), data_dir=tmp_path)
    assert proc.returncode == 3
    assert proc.stdout == b""
    err = proc.stderr.decode()
    assert err.count("\n") == 1
    assert "no such file" in err


def test_stdin_input_and_block_exit_code(tmp_path: Path) -> None:
    raw = b"From: me@example.co.jp\r\nTo: x@blocked.example\r\nSubject: hi\r\n\r\nhello\r\n"
    settings = tmp_path / "settings.json"
    document = {"schema_version": 1, "settings": {"blocked_domains": ["blocked.example"]}}
    settings.write_text(json.dumps(document))
    proc = run_check("--json", "-", stdin=raw, data_dir=tmp_path)
    assert proc.returncode == 2, proc.stderr.decode()
    codes = [f["code"] for f in json.loads(proc.stdout)["findings"]]
    assert "blocked-recipient" in codes


def test_malformed_message_is_checked_not_an_error(tmp_path: Path) -> None:
    raw = (b"From: me@example.co.jp\r\nTo: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           b'Content-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\ncut')
    proc = run_check("--json", "-", stdin=raw, data_dir=tmp_path)
    assert proc.returncode == 1
    codes = [f["code"] for f in json.loads(proc.stdout)["findings"]]
    assert "malformed-message" in codes


@pytest.mark.parametrize(
    ("lang", "expected"), [("ja", "添付ファイルがありません"), ("en", "nothing is attached")]
)
def test_readable_report_in_both_languages(tmp_path: Path, lang: str, expected: str) -> None:
    proc = run_check("--lang", lang, "--internal-domain", "example.co.jp",
                     str(SAMPLES / "missing-attachment.eml"), data_dir=tmp_path)
    assert proc.returncode == 1
    assert expected in proc.stdout.decode("utf-8")


def test_record_adds_history_and_plain_check_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sample = str(SAMPLES / "missing-attachment.eml")
    first = json.loads(run_check("--json", sample, data_dir=data).stdout)
    assert not data.exists() or not any(data.rglob("*.sqlite3")), "check without --record wrote files"
    assert first["recipients"][0]["known"] is False
    assert run_check("--record", "--json", sample, data_dir=data).returncode in (0, 1)
    again = json.loads(run_check("--json", sample, data_dir=data).stdout)
    assert again["recipients"][0]["known"] is True
    assert "first-time-recipient" not in [f["code"] for f in again["findings"]]


def test_unreadable_contacts_file_is_a_clear_error(tmp_path: Path) -> None:
    proc = run_check("--contacts", str(tmp_path / "missing.vcf"), str(SAMPLES / "clean-internal.eml"),
                     data_dir=tmp_path)
    assert proc.returncode == 3
    assert b"Traceback" not in proc.stderr
    assert b"missing.vcf" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_pipe_or_device_is_refused_at_once_not_read(tmp_path: Path, kind: str) -> None:
    import os

    if kind == "fifo":
        target = tmp_path / "mail.eml"
        os.mkfifo(target)  # nobody writes: reading it would block for ever
    else:
        target = Path("/dev/zero")  # never ends: reading it would eat memory up to the limit
    proc = run_check(str(target), data_dir=tmp_path / "data")
    assert proc.returncode == 3
    err = proc.stderr.decode()
    assert "not a regular file" in err
    assert "Traceback" not in err


def test_oversized_file_is_refused_from_its_size(tmp_path: Path) -> None:
    from missend_guard.cli.check import MAX_INPUT_BYTES

    big = tmp_path / "big.eml"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_INPUT_BYTES + 1)
    proc = run_check(str(big), data_dir=tmp_path / "data")
    assert proc.returncode == 3
    assert "larger than" in proc.stderr.decode()
