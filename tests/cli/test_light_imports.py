"""Everyday commands stay light: `outbox`, `audit`, `history`, `check` never load the relay, Qt or msal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("aiosmtpd", "PySide6", "msal", "httpx")

_PROBE = """
import json, sys
from missend_guard.cli import main
status = main(sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(%r)))
print('HEAVY=' + json.dumps(heavy))
sys.exit(status)
"""


def _loaded_by(*argv: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE % json.dumps(HEAVY), *argv],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    [line] = [x for x in done.stdout.splitlines() if x.startswith("HEAVY=")]
    return list(json.loads(line.removeprefix("HEAVY=")))


@pytest.mark.parametrize(
    "argv",
    [
        ("outbox", "list"),
        ("outbox", "list", "--json"),
        ("audit",),
        ("history", "list"),
        ("history", "list", "--json"),
        ("history", "forget", "nobody@example.com"),
    ],
)
def test_outbox_and_audit_commands_load_no_relay_qt_or_msal(tmp_path: Path, argv: tuple[str, ...]):
    assert _loaded_by(*argv, "--data-dir", str(tmp_path)) == []


def test_check_loads_no_relay_qt_or_msal(tmp_path: Path):
    sample = Path(__file__).resolve().parents[2] / "samples" / "lookalike-domain.eml"
    assert _loaded_by("check", "--data-dir", str(tmp_path), "--json", str(sample)) == []


def test_the_probe_sees_a_heavy_import(tmp_path: Path):
    """The probe itself works: a command that does load the relay is caught."""
    probe = _PROBE.replace("status = main(sys.argv[1:])", "import aiosmtpd; status = 0")
    done = subprocess.run([sys.executable, "-c", probe % json.dumps(HEAVY)],
                          capture_output=True, text=True, timeout=120, check=True)
    assert 'HEAVY=["aiosmtpd"]' in done.stdout
