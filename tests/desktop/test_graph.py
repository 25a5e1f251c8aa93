"""Microsoft 365 in the desktop, end to end: the tray's sign-in and the wizard's Microsoft 365 path.

Real MSAL signs in against the in-process fake Entra ID authority (device code, no browser); the
fake Graph server on 127.0.0.1 validates each request and records what would be delivered.
"""

from __future__ import annotations

import gc
import smtplib
from collections.abc import Iterator
from pathlib import Path

import pytest

from missend_guard.core.gate import ApproveAllReviewer
from missend_guard.core.ports.outbox import OutboxState
from missend_guard.desktop.app import DesktopApp
from missend_guard.runtime.options import RunOptions
from missend_guard.runtime.senders import GraphOptions
from missend_guard.runtime.services import Services, build_services
from missend_guard.storage.settings.store import Account, SettingsStore
from missend_guard.transports.relay import RELAY_USER
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.tray.feed import TrayFeed
from missend_guard.ui.wizard.wizard import (
    PAGE_CLIENT,
    PAGE_CONTACTS,
    PAGE_DOMAINS,
    PAGE_GRAPH,
    PAGE_SIGN_IN,
)
from tests.conftest import find_free_port
from tests.helpers.fake_authority import CLIENT_ID, FakeAuthority
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.mails import jis_mail
from tests.helpers.rig import configure, data_paths

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("graph_isolation")]

USER = "ken.yamamoto@example.co.jp"
COLLEAGUE = "ichiro.suzuki@example.co.jp"
MAIL = jis_mail(to=[("鈴木 一郎", COLLEAGUE)], sender=("山本 健", USER),
                subject="見積書の件（第２版）", message_id="<graph-desktop-1@example.co.jp>")


@pytest.fixture
def fake_graph() -> Iterator[FakeGraph]:
    fake = FakeGraph(tokens={"at-1"}).start()
    yield fake
    fake.stop()
    assert fake.errors == []


@pytest.fixture
def authority() -> Iterator[FakeAuthority]:
    fake = FakeAuthority()
    yield fake
    assert fake.unknown == []


class Desk:
    """build_services wired like desktop.main (sign-in prompts and events to the DesktopApp)."""

    def __init__(self, qapp, tasks: TaskManager, root: Path, *, graph: FakeGraph, authority: FakeAuthority,
                 accounts: tuple[Account, ...]) -> None:
        self.paths = data_paths(root)
        self.store: SettingsStore = configure(self.paths, upstream_port=None)
        self.store.save(self.store.load().with_accounts(accounts))
        self.notes: list[str] = []
        self.feed = TrayFeed(tasks)  # built before the services, which report to it
        self.services: Services = build_services(
            self.paths, self.store, reviewer=ApproveAllReviewer(),
            options=RunOptions(relay_port=find_free_port(), hold_seconds=0, graph=GraphOptions(
                base_url=graph.url, authority_http_client=authority, allow_plaintext_cache=True)),
            on_event=self.feed.post_delivery_event, on_sign_in_required=self.feed.post_sign_in_required,
        )
        # No browser on a test machine: the device code.
        self.app = DesktopApp(qapp, self.services, QtReviewer(tasks, lang="en"), self.store, "en",
                              tasks=tasks, feed=self.feed, browser=False)
        self.app.tray.notify = self._notify  # type: ignore[method-assign]

    def _notify(self, title: str, text: str, failed: bool = False) -> None:
        self.notes.append(title)

    def submit(self, raw: bytes, rcpts: list[str]) -> None:
        with smtplib.SMTP("127.0.0.1", self.services.intake.relay.port, timeout=60) as smtp:
            smtp.login(RELAY_USER, self.services.secrets.relay_password())
            smtp.sendmail(USER, rcpts, raw)

    def close(self) -> None:
        self.app.tray.stop()
        self.services.stop()
        gc.collect()  # free this test's Qt objects now, on this thread, not in a later test


@pytest.fixture
def desk(qapp, tasks, tmp_path, memory_keyring, fake_graph, authority) -> Iterator[Desk]:  # noqa: PLR0917 (fixtures)
    rig = Desk(qapp, tasks, tmp_path, graph=fake_graph, authority=authority,
               accounts=(Account("m365", "graph", client_id=CLIENT_ID, tenant="", default=True),))
    rig.services.start()
    yield rig
    rig.close()


def test_held_mail_goes_to_graph_after_signing_in_from_the_tray(qtbot, desk, fake_graph):
    desk.submit(MAIL, [COLLEAGUE])  # never signed in: the mail waits, the tray asks
    tray = desk.app.tray
    qtbot.waitUntil(lambda: "m365" in tray.sign_in_actions, timeout=30000)
    action = tray.sign_in_actions["m365"]
    assert action.text() == "Sign in to Microsoft 365 (m365)…"
    assert action in tray.menu.actions()
    assert "Sign in to Microsoft 365 again" in desk.notes
    # The prompt comes from inside the send attempt; the outbox marks the mail waiting just after.
    qtbot.waitUntil(lambda: len(desk.services.store.outbox.items((OutboxState.RETRY,))) == 1, timeout=30000)
    [waiting] = desk.services.store.outbox.items((OutboxState.RETRY,))
    assert fake_graph.deliveries == []

    action.trigger()
    session = desk.app.sign_in_prompts.sessions["m365"]
    qtbot.waitUntil(lambda: session.result is not None, timeout=30000)
    assert session.result == (True, USER)
    assert session.dialog.code == "ABCD-EFGH"  # MSAL's device code reached the dialog
    assert session.dialog.state == "done"
    qtbot.waitUntil(lambda: len(fake_graph.deliveries) == 1, timeout=30000)
    assert fake_graph.deliveries[0].mime == MAIL
    assert "m365" not in tray.sign_in_actions
    assert action not in tray.menu.actions()
    assert "Signed in to Microsoft 365" in desk.notes
    outbox = desk.services.store.outbox
    qtbot.waitUntil(lambda: outbox.get(waiting.id).state is OutboxState.SENT, timeout=30000)


def test_a_second_prompt_for_the_same_account_adds_no_second_action(qtbot, desk):
    tray = desk.app.tray
    desk.feed.post_sign_in_required("m365", "Sign in to Microsoft 365 again: expired")
    desk.feed.post_sign_in_required("M365", "Sign in to Microsoft 365 again: expired")
    qtbot.waitUntil(lambda: desk.notes.count("Sign in to Microsoft 365 again") == 2, timeout=5000)
    assert len(tray.sign_in_actions) == 1


@pytest.fixture
def new_user(qapp, tasks, tmp_path, memory_keyring, fake_graph, authority) -> Iterator[Desk]:  # noqa: PLR0917 (fixtures)
    rig = Desk(qapp, tasks, tmp_path, graph=fake_graph, authority=authority, accounts=())
    rig.services.start()
    yield rig
    rig.close()


def test_wizard_microsoft_365_path_signs_in_and_saves_a_graph_account(qtbot, new_user, fake_graph):
    new_user.app.open_wizard()
    wizard = new_user.app.windows["wizard"]
    wizard.upstream.graph.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_GRAPH
    wizard.graph.client_id.setText("not-a-client-id")
    wizard.next()
    assert wizard.currentId() == PAGE_GRAPH  # refused, with the reason shown
    assert "11111111-2222-3333-4444-555555555555" in wizard.graph.error.text()
    wizard.graph.client_id.setText(f" {CLIENT_ID} ")
    wizard.graph.from_addresses.setText(f"{USER}、ken@example.co.jp")
    wizard.next()
    assert wizard.currentId() == PAGE_SIGN_IN
    assert not wizard.sign_in.isComplete()

    wizard.sign_in.button.click()
    qtbot.waitUntil(wizard.sign_in.isComplete, timeout=30000)
    assert USER in wizard.sign_in.status.text()
    assert wizard.sign_in.session.dialog.code == "ABCD-EFGH"
    wizard.sign_in.session.dialog.close_button.click()
    wizard.next()
    assert wizard.currentId() == PAGE_DOMAINS
    assert wizard.domains.domains() == ["example.co.jp"]  # the settings' domain, not twice
    wizard.domains.entry.setText("group.example.com")
    wizard.next()  # what is still typed is taken on Next
    assert wizard.currentId() == PAGE_CLIENT
    assert wizard.client.fields["port"].text() == str(new_user.services.intake.relay.port)
    wizard.next()
    assert wizard.currentId() == PAGE_CONTACTS
    wizard.accept()

    assert new_user.store.load().accounts == (Account(
        "Microsoft 365", "graph", client_id=CLIENT_ID, tenant="organizations",
        from_addresses=(USER, "ken@example.co.jp"), default=True),)
    assert new_user.store.load().get("internal_domains") == ("example.co.jp", "group.example.com")
    new_user.submit(MAIL, [COLLEAGUE])  # signed in by the wizard: goes without a prompt
    qtbot.waitUntil(lambda: len(fake_graph.deliveries) == 1, timeout=30000)
    assert fake_graph.deliveries[0].mime == MAIL
    assert "Sign in to Microsoft 365 again" not in new_user.notes
