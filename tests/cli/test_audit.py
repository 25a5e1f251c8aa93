"""`audit [--since] [--json|--csv]` over a real audit log."""

from __future__ import annotations

import csv
import io
import json

import pytest

from missend_guard.cli import main
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.paths import DataPaths


@pytest.fixture
def data(tmp_path):
    paths = DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "none.json")
    times = iter([1_700_000_000.0, 1_800_000_000.0])
    log = SqliteAuditLog(paths, clock=lambda: next(times))
    log.record(AuditEvent("decision", "<a@x>", "見積書", ("hanako@abc-trading.co.jp",),
                          ("first-time-recipient",), "cancel", "headless-policy", "Missend Guard"))
    log.record(AuditEvent("delivery", "<b@x>", "議事録", ("ichiro@example.co.jp",), (), "sent",
                          "up", "250 2.0.0 Ok"))
    log.close()
    return ["--data-dir", str(tmp_path / "data")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_every_event_without_plain_subjects(capsys, data):
    code, out, _ = run(capsys, "audit", "--json", *data)
    assert code == 0
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["decision", "delivery"]
    assert rows[0]["codes"] == ["first-time-recipient"]
    assert "見積書" not in out  # subjects are hashed by default


def test_since_filters(capsys, data):
    rows = json.loads(run(capsys, "audit", "--json", "--since", "2025-01-01T00:00:00Z", *data)[1])
    assert [r["message_id"] for r in rows] == ["<b@x>"]


def test_csv_has_a_header(capsys, data):
    out = run(capsys, "audit", "--csv", *data)[1]
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))  # BOM: Excel reads UTF-8
    assert rows[0][:2] == ["time", "kind"]
    assert len(rows) == 3


def test_text_and_bad_since(capsys, data):
    out = run(capsys, "audit", *data)[1]
    assert "250 2.0.0 Ok" in out
    with pytest.raises(SystemExit) as bad:
        main(["audit", "--since", "yesterday", *data])
    assert bad.value.code == 2
    assert "not an ISO date" in capsys.readouterr().err
