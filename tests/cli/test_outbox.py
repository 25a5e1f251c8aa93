"""`outbox list|show|undo|retry` against a real SQLite outbox in a temp data dir."""

from __future__ import annotations

import json

import pytest

from missend_guard.cli import main
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.storage.outbox import SqliteOutbox
from missend_guard.storage.paths import DataPaths
from tests.helpers.mails import jis_mail

RAW = jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")], subject="見積書の送付")


@pytest.fixture
def stored(tmp_path):
    paths = DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "none.json")
    outbox = SqliteOutbox(paths)
    item = outbox.store(RAW, Envelope("ken@example.co.jp", ("hanako@abc-trading.co.jp",)),
                        subject="見積書の送付", message_id="<t-1@example.co.jp>", account="",
                        hold_seconds=600, decision=lambda item: AuditEvent(kind="decision"))
    outbox.close()
    return item, ["--data-dir", str(tmp_path / "data")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_has_the_contract_fields(capsys, stored, tmp_path):
    item, data = stored
    code, out, _ = run(capsys, "outbox", "list", "--json", *data)
    assert code == 0
    [row] = json.loads(out)
    assert row["id"] == item.id
    assert row["state"] == "held"
    assert row["subject"] == "見積書の送付"
    assert row["rcpt_tos"] == ["hanako@abc-trading.co.jp"]
    assert row["path"] == str(tmp_path / "data" / "outbox" / f"{item.id}.eml")


def test_list_and_show_are_readable(capsys, stored):
    item, data = stored
    out = run(capsys, "outbox", "list", *data)[1]
    assert item.id in out
    assert "見積書の送付" in out
    code, out, _ = run(capsys, "outbox", "show", item.id, *data)
    assert code == 0
    assert "message_id" in out
    assert "<t-1@example.co.jp>" in out


def test_undo_moves_the_mail_to_returned_and_says_where(capsys, stored, tmp_path):
    item, data = stored
    code, out, _ = run(capsys, "outbox", "undo", item.id, *data)
    assert code == 0
    path = tmp_path / "data" / "returned" / f"{item.id}.eml"
    assert str(path) in out
    assert path.read_bytes() == RAW
    code, _, err = run(capsys, "outbox", "undo", item.id, *data)  # already returned
    assert code == 2
    assert "Traceback" not in err


def test_retry_of_a_held_item_is_refused_clearly(capsys, stored):
    item, data = stored
    code, _, err = run(capsys, "outbox", "retry", item.id, *data)
    assert code == 2
    assert err.startswith("missend-guard: ")


def test_unknown_id_and_missing_id(capsys, stored):
    _, data = stored
    assert run(capsys, "outbox", "show", "nope", *data)[0] == 2
    code, _, err = run(capsys, "outbox", "undo", *data)
    assert code == 2
    assert "message ID is needed" in err
