"""The desktop on real services: Show password… on held and recently sent mail, Undo reported to
Services.undone, and contacts changed in settings taking effect without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from missend_guard.core.gate import ApproveAllReviewer
from missend_guard.core.ports.outbox import OutboxItem, OutboxState
from missend_guard.desktop.app import DesktopApp
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.tray.feed import TrayFeed
from tests.conftest import find_free_port
from tests.helpers.fake_ui import RecordingOpener
from tests.helpers.mails import jis_mail
from tests.helpers.rig import AppRig

pytestmark = pytest.mark.slow

PASSWORD = "Hq4vTz8KmW2pXc7R"
PARTNER = "hanako.sato@abc-trading.co.jp"
NEWCOMER = "jiro.tanaka@xyz-bank.co.jp"


def mail(n: int, to: str = PARTNER, subject: str = "お見積りの件") -> bytes:
    return jis_mail(to=[("佐藤 花子", to)], subject=f"{subject}（{n}）",
                    sender=("山本 健", "ken@example.co.jp"), message_id=f"<live-{n}@example.co.jp>")


class Live:
    """AppRig (approve-all gate) with a DesktopApp on top; tray notices and opened files recorded."""

    def __init__(self, qapp, tasks: TaskManager, rig: AppRig) -> None:
        self.rig = rig
        self.opened: list[str] = []
        self.app = DesktopApp(qapp, rig.services, QtReviewer(tasks, lang="en"), rig.store, "en",
                              tasks=tasks, feed=TrayFeed(tasks), opener=RecordingOpener(self.opened))
        self.app.tray.show_toasts = False
        self.notes: list[tuple[str, str]] = []
        self.app.tray.notify = self._notify  # type: ignore[method-assign]
        self.app.tray._open_url = self._open_url

    def _notify(self, title: str, text: str, failed: bool = False) -> None:
        self.notes.append((title, text))

    def _open_url(self, url) -> bool:
        self.opened.append(url.toLocalFile())
        return True

    def item(self, n: int) -> OutboxItem:
        items = self.rig.services.store.outbox.items()
        [item] = [i for i in items if i.message_id == f"<live-{n}@example.co.jp>"]
        return item

    def close(self) -> None:
        if self.app.password_window is not None:
            self.app.password_window.close()
        self.app.tray.stop()


@pytest.fixture
def held(qapp, tasks, tmp_path, memory_keyring) -> Iterator[Live]:
    with AppRig(tmp_path, ApproveAllReviewer(), upstream_port=find_free_port(), hold=600) as rig:
        live = Live(qapp, tasks, rig)
        yield live
        live.close()


@pytest.fixture
def sending(qapp, tasks, tmp_path, memory_keyring, smtp_sink) -> Iterator[Live]:
    with AppRig(tmp_path, ApproveAllReviewer(), upstream_port=smtp_sink.port, hold=0) as rig:
        live = Live(qapp, tasks, rig)
        yield live
        live.close()


def actions_of(menu: QMenu) -> dict[str, object]:
    return {a.text(): a for a in menu.actions()}


def submenu(menu: QMenu, starts: str) -> QMenu:
    [found] = [a.menu() for a in menu.actions() if a.text().startswith(starts)]
    return found


def test_show_password_on_a_held_mail_shows_the_kept_password(held):
    held.rig.submit(mail(1), [PARTNER], mail_from="ken@example.co.jp")
    held.rig.submit(mail(2), [PARTNER], mail_from="ken@example.co.jp")
    assert held.app.keeper.keep(held.item(1).message_id, PASSWORD)
    held.app.tray.refresh()
    protected = actions_of(submenu(held.app.tray.held_menu, "お見積りの件（1）"))
    plain = actions_of(submenu(held.app.tray.held_menu, "お見積りの件（2）"))
    assert "Show &password…" in protected
    assert "Show &password…" not in plain
    protected["Show &password…"].trigger()
    window = held.app.password_window
    assert window is not None
    assert window.isVisible()
    assert window.password_label.text() == PASSWORD
    assert PARTNER in window.recipients_label.text()


def test_tray_undo_tells_the_services_and_forgets_the_password(held, monkeypatch):
    services = held.rig.services
    held.rig.submit(mail(3), [PARTNER], mail_from="ken@example.co.jp")
    item = held.item(3)
    held.app.keeper.keep(item.message_id, PASSWORD)
    undone: list[str] = []
    real_undone = services.undone
    monkeypatch.setattr(services, "undone", lambda item: undone.append(item.id) or real_undone(item))
    held.app.tray.refresh()
    actions_of(submenu(held.app.tray.held_menu, "お見積りの件（3）"))["&Undo"].trigger()
    assert undone == [item.id]
    assert held.item(3).state is OutboxState.RETURNED
    assert held.opened == [str(services.store.outbox.message_file(item.id))]
    assert held.app.keeper.lookup(item.message_id) is None
    assert not held.app.passwords.has_kept_password(item.message_id)


def test_recently_sent_lists_newest_first_with_show_password(qtbot, sending):
    rig = sending.rig
    for n in (4, 5):
        rig.submit(mail(n), [PARTNER], mail_from="ken@example.co.jp")
    assert rig.wait_until(lambda: len(rig.items(OutboxState.SENT)) == 2)
    sending.app.keeper.keep(sending.item(4).message_id, PASSWORD)
    tray = sending.app.tray
    tray.fill_recent()
    titles = [a.text() for a in tray.recent_menu.actions()]
    assert titles == ["お見積りの件（5）", "お見積りの件（4）"]
    older = actions_of(submenu(tray.recent_menu, "お見積りの件（4）"))
    assert "Show &password…" not in actions_of(submenu(tray.recent_menu, "お見積りの件（5）"))
    older["&Show"].trigger()
    assert sending.opened == [str(rig.services.store.outbox.message_file(sending.item(4).id))]
    older["Show &password…"].trigger()
    assert sending.app.password_window.password_label.text() == PASSWORD


def test_recently_sent_says_when_nothing_was_sent(held):
    held.app.tray.fill_recent()
    [only] = held.app.tray.recent_menu.actions()
    assert only.text() == "No mail sent yet"
    assert not only.isEnabled()


VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:佐藤;花子;;;\r\nFN:佐藤 花子\r\nORG:ABC商事\r\n"
    f"EMAIL;TYPE=INTERNET:{PARTNER}\r\nEND:VCARD\r\n"
)


def test_contacts_changed_in_settings_apply_without_restart(qtbot, sending, tmp_path: Path):
    services = sending.rig.services
    card = tmp_path / "取引先.vcf"
    card.write_bytes(VCARD.encode("utf-8"))
    before = services.context()
    assert before.contacts.by_address(PARTNER) is None

    sending.app.save_settings(sending.rig.store.load().with_changes(contacts_files=[str(card)]))
    now = services.context()  # published at once, not after an index rebuild
    assert now.contacts.by_address(PARTNER).name == "佐藤 花子"
    assert now.contacts.company_for_domain("abc-trading.co.jp") == "ABC商事"
    assert now.policy.is_internal("example.co.jp")  # the rest of the settings still in force
    assert sending.notes == []

    # A delivery makes the builder thread publish a context with new history: same new contacts.
    sending.rig.submit(mail(6, to=NEWCOMER), [NEWCOMER], mail_from="ken@example.co.jp")
    qtbot.waitUntil(lambda: NEWCOMER in services.context().history.addresses, timeout=30000)
    assert services.context() is not now
    assert services.context().contacts.by_address(PARTNER) is not None

    missing = tmp_path / "消えた連絡先.csv"
    sending.app.save_settings(sending.rig.store.load().with_changes(
        contacts_files=[str(card), str(missing)]))
    assert [title for title, _ in sending.notes] == ["Contacts"]
    assert "消えた連絡先.csv" in sending.notes[0][1]
    assert services.context().contacts.by_address(PARTNER) is not None  # the good file still counts

    sending.app.save_settings(sending.rig.store.load().with_changes(contacts_files=[]))
    assert services.context().contacts.by_address(PARTNER) is None
