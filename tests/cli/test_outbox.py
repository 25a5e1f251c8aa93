"""`outbox list|show|undo|retry` against a real SQLite outbox in a temp data dir."""

from __future__ import annotations

import json

import pytest

from missend_guard.cli import main
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.storage.outbox.store import SqliteOutbox
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


# -- uncertain mail: the user decides --------------------------------------------------------------


@pytest.fixture
def uncertain(stored, tmp_path):
    item, data = stored
    outbox = SqliteOutbox(DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "none.json"))
    outbox.release(item.id)
    outbox.claim_due()
    outbox.begin_attempt(item.id)
    outbox.mark_delivering(item.id)
    outbox.mark_uncertain(item.id, "no reply after the final dot", None)
    yield item, data, outbox
    outbox.close()


def test_list_shows_uncertain_mail_with_both_commands(capsys, uncertain):
    item, data, _ = uncertain
    out = run(capsys, "outbox", "list", *data)[1]
    [row, hint] = out.splitlines()
    assert row.split("\t")[:2] == [item.id, "uncertain"]
    assert "no reply after the final dot" in row
    assert "outbox resend ID" in hint
    assert "outbox mark-sent ID" in hint
    [entry] = json.loads(run(capsys, "outbox", "list", "--json", *data)[1])
    assert entry["state"] == "uncertain"


def test_no_hint_without_uncertain_mail(capsys, stored):
    _, data = stored
    assert len(run(capsys, "outbox", "list", *data)[1].splitlines()) == 1


def test_resend_makes_it_due_now_and_retry_does_not(capsys, uncertain):
    item, data, outbox = uncertain
    code, _, err = run(capsys, "outbox", "retry", item.id, *data)
    assert code == 2
    assert "may already have reached the server" in err
    code, out, _ = run(capsys, "outbox", "resend", item.id, *data)
    assert code == 0
    assert "sent again now" in out
    again = outbox.get(item.id)
    assert (again.state.value, again.attempts) == ("retry", 1)
    assert run(capsys, "outbox", "resend", item.id, *data)[0] == 2  # not uncertain any more


def test_mark_sent_records_it_and_the_audit_says_who(capsys, uncertain, tmp_path):
    item, data, outbox = uncertain
    code, out, _ = run(capsys, "outbox", "mark-sent", item.id, *data)
    assert code == 0
    assert "recorded as sent" in out
    assert outbox.get(item.id).state.value == "sent"
    audit = json.loads(run(capsys, "audit", "--json", *data)[1])
    assert [(r["decision"], r["decided_by"], r["detail"]) for r in audit][-1] == (
        "sent", "user", "marked sent by user")
    assert run(capsys, "outbox", "mark-sent", item.id, *data)[0] == 2
