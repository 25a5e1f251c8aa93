"""End to end through Microsoft 365: smtplib → relay → gate → outbox → GraphSender → fake Graph.

Real MSAL signs in against an in-process fake Entra ID authority; the fake Graph server on
127.0.0.1 validates every request and records what Exchange would deliver.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from missend_guard.core.gate import ApproveAllReviewer
from missend_guard.core.ports.outbox import DeliveryEvent, OutboxState
from missend_guard.runtime.options import RunOptions
from missend_guard.runtime.senders import GraphOptions, graph_token_cache
from missend_guard.runtime.services import Services, build_services
from missend_guard.storage.settings.store import Account
from missend_guard.transports.relay import RELAY_USER
from missend_guard.transports.senders.graph.sender import SIGN_IN_AGAIN, resume_key
from tests.conftest import find_free_port
from tests.helpers.fake_authority import CLIENT_ID, FakeAuthority
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.mails import jis_mail
from tests.helpers.rig import configure, data_paths

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("graph_isolation")]

COLLEAGUE = "ichiro.suzuki@example.co.jp"
HIDDEN = "bucho@example.co.jp"  # envelope only: a Bcc the client never wrote into the header
MAIL = jis_mail(to=[("鈴木 一郎", COLLEAGUE)], sender=("山本 健", "ken@example.co.jp"),
                subject="見積書の件（第２版）", message_id="<graph-e2e-1@example.co.jp>")


class GraphApp:
    """build_services with one Microsoft 365 account, hold 0, approve-all; signed in once."""

    def __init__(self, root: Path, graph: FakeGraph, authority: FakeAuthority, *,
                 hold: float = 0, **settings: object) -> None:
        self.paths = data_paths(root)
        self.store = configure(self.paths, upstream_port=None, **settings)
        self.store.save(self.store.load().with_accounts((
            Account("m365", "graph", client_id=CLIENT_ID, tenant="", default=True),
        )))
        self.events: list[DeliveryEvent] = []
        self.prompts: list[tuple[str, str]] = []
        self.codes: list[str] = []
        self.changed = threading.Event()
        self.services: Services = build_services(
            self.paths, self.store, reviewer=ApproveAllReviewer(),
            options=RunOptions(relay_port=find_free_port(), hold_seconds=hold, graph=GraphOptions(
                base_url=graph.url, authority_http_client=authority, allow_plaintext_cache=True)),
            on_event=self._on_event, on_sign_in_required=self._on_prompt,
        )

    def _on_event(self, event: DeliveryEvent) -> None:
        self.events.append(event)
        self.changed.set()

    def _on_prompt(self, account: str, reason: str) -> None:
        self.prompts.append((account, reason))

    def sign_in(self) -> str:
        """What the tray's "Sign in" does on a machine without a browser: a device code."""
        return self.services.sign_in("m365", lambda code, uri, text: self.codes.append(code),
                                     browser=False)

    def submit(self, raw: bytes, rcpts: list[str]) -> None:
        with smtplib_client(self.services) as smtp:
            smtp.sendmail("ken@example.co.jp", rcpts, raw)

    def wait_for(self, *kinds: str, timeout: float = 30.0) -> list[str]:
        """Wait until the delivery events so far are `kinds` (or more); returns them."""
        deadline = time.monotonic() + timeout
        while [e.kind for e in self.events][: len(kinds)] != list(kinds):
            if time.monotonic() > deadline:
                break
            self.changed.wait(0.05)
            self.changed.clear()
        return [e.kind for e in self.events]


def smtplib_client(services: Services):  # type: ignore[no-untyped-def]
    import smtplib

    smtp = smtplib.SMTP("127.0.0.1", services.intake.relay.port, timeout=60)
    smtp.login(RELAY_USER, services.secrets.relay_password())
    return smtp


@pytest.fixture
def fake_graph() -> Iterator[FakeGraph]:
    fake = FakeGraph(tokens={"at-1"}).start()
    yield fake
    fake.stop()
    assert fake.errors == []  # every request had the shape Graph expects


@pytest.fixture
def authority() -> Iterator[FakeAuthority]:
    fake = FakeAuthority()
    yield fake
    assert fake.unknown == []


@pytest.fixture
def app(tmp_path: Path, memory_keyring: object, fake_graph: FakeGraph,
        authority: FakeAuthority) -> Iterator[GraphApp]:
    rig = GraphApp(tmp_path, fake_graph, authority)
    assert rig.sign_in() == "ken.yamamoto@example.co.jp"
    assert rig.codes == ["ABCD-EFGH"]
    rig.services.start()
    try:
        yield rig
    finally:
        rig.services.stop()


def test_mail_from_a_client_reaches_graph_byte_for_byte_with_the_bcc(app, fake_graph):
    app.submit(MAIL, [COLLEAGUE, HIDDEN])
    assert app.wait_for("sent") == ["sent"]
    [delivery] = fake_graph.deliveries
    assert delivery.mime == MAIL  # what recipients get: the client's exact bytes
    assert delivery.recipients == {COLLEAGUE, HIDDEN}
    assert delivery.via == "sendMail"
    [item] = app.services.store.outbox.items((OutboxState.SENT,))
    assert item.attempts == 1
    assert app.prompts == []
    assert len(app.services.outgoing.senders.graph_state) == 0  # nothing half-done is remembered
    assert graph_token_cache(app.paths, "m365").exists()


def test_revoked_sign_in_holds_the_mail_until_the_user_signs_in_again(app, fake_graph, authority):
    fake_graph.tokens.clear()  # Graph now refuses at-1 …
    authority.revoked.add("rt-1")  # … and the refresh token was revoked by the admin
    app.submit(MAIL, [COLLEAGUE])
    assert app.wait_for("held") == ["held"]
    [held] = app.services.store.outbox.items((OutboxState.RETRY,))
    assert held.last_error.startswith(SIGN_IN_AGAIN)
    assert "AADSTS50173" in held.last_error
    assert app.events[0].detail == held.last_error
    assert app.prompts == [("m365", held.last_error)]
    assert (held.attempts, held.waiting_for) == (0, "sign-in")  # waiting used no attempt
    assert fake_graph.deliveries == []
    assert app.services.outgoing.worker.run_once() == 0  # not hammered: it waits for the user

    fake_graph.tokens.add("at-2")  # the next token the fake authority issues
    assert app.sign_in() == "ken.yamamoto@example.co.jp"
    assert app.wait_for("held", "sent") == ["held", "sent"]
    assert [d.mime for d in fake_graph.deliveries] == [MAIL]  # exactly once
    sent = app.services.store.outbox.get(held.id)
    assert sent is not None
    assert sent.state is OutboxState.SENT
    assert app.prompts == [("m365", held.last_error)]  # one prompt, not one per try


def test_throttled_send_waits_for_retry_after_then_goes_once(app, fake_graph):
    fake_graph.fail_next(429, code="ApplicationThrottled", message="Too many requests",
                         headers={"Retry-After": "1"}, path_suffix="/sendMail")
    before = time.time()
    app.submit(MAIL, [COLLEAGUE])
    assert app.wait_for("retry", "sent") == ["retry", "sent"]
    retry = app.events[0]
    assert "429 ApplicationThrottled" in retry.item.last_error
    assert retry.item.next_retry is not None
    # Retry-After (1 s) decides the wait, not the backoff policy (30 s by default).
    assert before + 1 <= retry.item.next_retry <= time.time() + 1
    assert [d.mime for d in fake_graph.deliveries] == [MAIL]
    assert app.services.store.outbox.items((OutboxState.SENT,))[0].attempts == 2


def test_undo_forgets_how_far_a_send_had_got(app, fake_graph):
    app.services.outgoing.worker.stop()  # keep the mail held while we look
    app.submit(MAIL, [COLLEAGUE])
    [item] = app.services.store.outbox.items((OutboxState.HELD,))
    key = resume_key(MAIL, [COLLEAGUE])
    app.services.outgoing.senders.graph_state[key] = '{"draft": "AAMk-9", "phase": "attach"}'
    app.services.outgoing.senders.graph_state["stale"] = '{"phase": "sendmail"}'
    path = app.services.undo(item.id)
    assert path.read_bytes() == MAIL
    assert dict(app.services.outgoing.senders.graph_state) == {"stale": '{"phase": "sendmail"}'}
    app.services.prune_graph_state()  # at start: state of no queued mail is dropped
    assert dict(app.services.outgoing.senders.graph_state) == {}
    assert fake_graph.deliveries == []


def test_big_mail_whose_send_reply_was_lost_is_not_sent_twice_after_a_restart(
    tmp_path, memory_keyring, fake_graph, authority,
):
    from tests.helpers.big_mail import MiB, big_mail

    raw, (big, small) = big_mail()  # 10 MB + 2.5 MB files: a draft with an upload session
    rcpts = ["sato@example.co.jp"]
    first = GraphApp(tmp_path, fake_graph, authority, retry_backoff_base_seconds=3)
    first.sign_in()
    # Graph sends the draft, but the reply never arrives (network cut, app killed).
    fake_graph.fail_next(202, drop_reply_after_processing=True, path_suffix="/send")
    first.services.start()
    try:
        first.submit(raw, rcpts)
        assert first.wait_for("uncertain") == ["uncertain"]  # never retried blindly
    finally:
        first.services.stop()
    assert len(fake_graph.deliveries) == 1

    second = GraphApp(tmp_path, fake_graph, authority, retry_backoff_base_seconds=3)  # restart
    assert len(second.services.outgoing.senders.graph_state) == 1  # the draft id, from the database
    second.services.start()  # looks for it at once: the draft shows it was sent
    try:
        assert second.wait_for("sent") == ["sent"]
        [item] = second.services.store.outbox.items((OutboxState.SENT,))
        assert len(second.services.outgoing.senders.graph_state) == 0
    finally:
        second.services.stop()
    assert item.attempts == 1  # found, not tried again
    assert second.events[0].detail.startswith("Microsoft Graph: already sent before a lost reply")
    [delivery] = fake_graph.deliveries  # exactly once
    assert sorted(delivery.attachments) == sorted([
        ("見積書_2026年度.pdf", "application/octet-stream", big),
        ("明細.xlsx", "application/octet-stream", small),
    ])
    assert fake_graph.finished_uploads[0].size == 10 * MiB


def test_mail_waiting_for_an_account_goes_when_a_graph_account_is_added(
    tmp_path, memory_keyring, fake_graph, authority,
):
    # With no account at all the relay answers 451 (the client keeps the mail); a mail already
    # held when the user removes the account waits for one instead.
    rig = GraphApp(tmp_path, fake_graph, authority, hold=2)
    rig.sign_in()
    settings = rig.store.load()
    rig.services.start()
    try:
        rig.submit(MAIL, [COLLEAGUE])
        rig.store.save(settings.with_accounts(()))  # the settings dialog removes the account
        rig.services.apply_settings(settings.with_accounts(()))
        assert rig.wait_for("held") == ["held"]
        [waiting] = rig.services.store.outbox.items((OutboxState.RETRY,))
        assert "no upstream account" in waiting.last_error
        assert (waiting.attempts, waiting.waiting_for) == (0, "account")
        rig.store.save(settings)  # the settings dialog adds the Microsoft 365 account again
        rig.services.apply_settings(settings)
        assert rig.wait_for("held", "sent") == ["held", "sent"]
    finally:
        rig.services.stop()
    assert [d.mime for d in fake_graph.deliveries] == [MAIL]
