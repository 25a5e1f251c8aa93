"""`kill -9` of `missend-guard run --headless` during the hold and during sending: never twice.

The sink records a message when it accepts the final dot, as a real server queues it: a kill
while the app waits for the reply finds the mail already upstream. The app must then ask (the
mail becomes "uncertain"), never send it again on its own.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from email.utils import make_msgid

import pytest

from tests.conftest import find_free_port
from tests.helpers.headless import COLLEAGUE, HIDDEN, Cli, submit, wait_all_sent
from tests.helpers.mails import jis_mail

pytestmark = pytest.mark.slow

QUEUE_FIRST_ROUNDS = 5
Item = dict[str, object]




def mail() -> bytes:
    return jis_mail(to=[("鈴木 一郎", COLLEAGUE)], message_id=make_msgid())


def wait_for(cli: Cli, done: Callable[[list[Item]], bool], timeout: float = 60) -> list[Item]:
    """Poll `outbox list --json` (as a user would, from another process) until `done`."""
    deadline = time.monotonic() + timeout
    while True:
        items = cli.outbox()
        if done(items):
            return items
        assert time.monotonic() < deadline, items
        time.sleep(0.3)


def states(items: list[Item]) -> list[object]:
    return [i["state"] for i in items]


def copies(smtp_sink) -> Counter[bytes]:
    return Counter(m.data for m in smtp_sink.messages)


def test_kill_during_hold_then_restart_delivers_each_exactly_once(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    mails = [mail() for _ in range(3)]
    cli.start(port, hold=5)
    for raw in mails:
        assert submit(port, password, raw).startswith("2.0.0 Queued as ")
    cli.kill9()  # within the 5 s hold: nothing has gone upstream yet
    assert smtp_sink.messages == []
    assert {i["state"] for i in cli.outbox()} == {"held"}

    cli.start(port, hold=5)
    smtp_sink.handler.wait_for(3, timeout=60)
    wait_all_sent(cli, 3)
    assert sorted(m.data for m in smtp_sink.messages) == sorted(mails)
    assert all(m.rcpt_tos == (COLLEAGUE, HIDDEN) for m in smtp_sink.messages)


def test_kill_while_waiting_for_the_reply_to_the_dot_asks_instead_of_sending_again(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    raw = mail()
    smtp_sink.handler.delay = 30  # the upstream has the mail and takes its time to say so
    cli.start(port, hold=0)
    submit(port, password, raw)
    assert smtp_sink.handler.data_started.wait(60)
    cli.kill9()
    [item] = cli.outbox()
    assert item["state"] == "sending"  # what a crash leaves behind

    smtp_sink.handler.delay = 0
    cli.start(port, hold=0)
    [item] = cli.outbox()
    assert item["state"] == "uncertain"
    assert "may have been delivered" in str(item["last_error"])
    time.sleep(3)  # several passes of the delivery worker
    [item] = cli.outbox()
    assert (item["state"], item["attempts"]) == ("uncertain", 1)
    assert [m.data for m in smtp_sink.messages] == [raw]  # exactly one copy upstream


def test_queue_first_upstream_killed_between_dot_and_reply_never_gets_a_duplicate(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    smtp_sink.handler.delay = 2.0  # queues on the dot, answers after scanning
    sent: list[bytes] = []
    cli.start(port, hold=0)
    for _ in range(QUEUE_FIRST_ROUNDS):
        smtp_sink.handler.data_started.clear()
        raw = mail()
        submit(port, password, raw)
        sent.append(raw)
        assert smtp_sink.handler.data_started.wait(60)
        time.sleep(random.uniform(0, 1.5))  # somewhere before the 250
        cli.kill9()
        cli.start(port, hold=0)  # recovery of this round's mail, and of every earlier one
    time.sleep(3)
    items = cli.outbox()
    assert copies(smtp_sink) == Counter(sent)  # each exactly once: no duplicate, nothing lost
    assert states(items) == ["uncertain"] * QUEUE_FIRST_ROUNDS


def test_a_connection_dropped_after_the_dot_asks_and_the_cli_answers_while_running(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    first, second = mail(), mail()
    cli.start(port, hold=0)
    smtp_sink.handler.drop_reply = True
    submit(port, password, first)
    [doubtful] = wait_for(cli, lambda items: states(items) == ["uncertain"])
    time.sleep(2)
    assert copies(smtp_sink) == Counter([first])
    hint = cli.run("outbox", "list").splitlines()[-1]
    assert "outbox resend ID" in hint
    assert "outbox mark-sent ID" in hint

    cli.run("outbox", "resend", str(doubtful["id"]))  # the user: it did not arrive
    [again] = wait_for(cli, lambda items: states(items) == ["sent"])
    assert again["attempts"] == 2
    assert copies(smtp_sink) == Counter([first, first])

    smtp_sink.handler.drop_reply = True
    submit(port, password, second)
    doubtful = wait_for(cli, lambda items: states(items) == ["sent", "uncertain"])[1]
    cli.run("outbox", "mark-sent", str(doubtful["id"]))  # the user: it did arrive
    wait_for(cli, lambda items: states(items) == ["sent", "sent"])
    time.sleep(2)
    assert copies(smtp_sink) == Counter([first, first, second])
    audit = json.loads(cli.run("audit", "--json"))
    assert [(r["decided_by"], r["detail"]) for r in audit if r["decided_by"] == "user"] == [
        ("user", "sent again by user (an earlier copy may have been delivered)"),
        ("user", "marked sent by user"),
    ]


def test_restarts_before_the_point_of_no_return_use_no_attempt(cli, smtp_sink):
    settings_file = cli.data_dir / "settings.json"
    document = json.loads(settings_file.read_text(encoding="utf-8"))
    document["settings"]["retry_max_attempts"] = 2
    settings_file.write_text(json.dumps(document), encoding="utf-8")
    port = find_free_port()
    password = cli.run("relay-password").strip()
    raw = mail()
    handler = smtp_sink.handler
    handler.rcpt_delay = 30  # the upstream stalls before any data: killed mid-envelope each time
    cli.start(port, hold=0)
    submit(port, password, raw)
    for _ in range(4):
        assert handler.rcpt_started.wait(60)
        handler.rcpt_started.clear()
        cli.kill9()
        cli.start(port, hold=0)
    assert handler.rcpt_started.wait(60)
    handler.rcpt_delay = 0
    handler.rcpt_replies = {COLLEAGUE: "451 4.7.1 greylisted", HIDDEN: "451 4.7.1 greylisted"}
    cli.kill9()
    cli.start(port, hold=0)
    [item] = wait_for(cli, lambda items: items[0]["last_error"] != ""
                      and "greylisted" in str(items[0]["last_error"]))
    assert (item["state"], item["attempts"]) == ("retry", 1)  # the first real try; not failed
    assert smtp_sink.messages == []


def test_sigterm_then_restart_on_the_same_port_sends_nothing_new(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    raw = mail()
    cli.start(port, hold=0)
    submit(port, password, raw)
    wait_all_sent(cli, 1)
    cli.stop()
    cli.start(port, hold=0)
    time.sleep(2)
    [item] = cli.outbox()
    assert (item["state"], item["attempts"]) == ("sent", 1)
    assert [m.data for m in smtp_sink.messages] == [raw]
    assert os.path.isdir(cli.data_dir / "logs")
