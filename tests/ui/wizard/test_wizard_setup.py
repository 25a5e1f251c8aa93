"""The wizard gets the set-up right: company domain, language at once, client timeouts, localised dialogs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QLabel

from missend_guard.storage.settings.store import Settings
from missend_guard.ui.i18n import Translations
from missend_guard.ui.wizard.wizard import PAGE_CLIENT, PAGE_DOMAINS, PAGE_SERVER, SetupWizard
from tests.ui.wizard.test_wizard_audit_instance import FakeSetup


@pytest.fixture
def translations(qapp, tmp_path) -> Iterator[Translations]:
    """The app's translators as desktop.start keeps them; English again after the test."""
    held = Translations(qapp, tmp_path / "i18n-cache")
    yield held
    held.remove()


def smtp_wizard(qtbot, tasks, *, settings: Settings | None = None, **kwargs: object) -> SetupWizard:
    wizard = SetupWizard(FakeSetup(), 2525, tasks, settings=settings, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.server.form.host.setText("smtp.abc-corp.co.jp")
    return wizard


def to_domains(wizard: SetupWizard) -> None:
    wizard.restart()
    wizard.next()
    assert wizard.currentId() == PAGE_SERVER
    wizard.next()  # test page: nothing to test now
    wizard.next()
    assert wizard.currentId() == PAGE_DOMAINS


def test_the_company_domain_is_proposed_from_the_account_and_more_can_be_added(qtbot, tasks):
    wizard = smtp_wizard(qtbot, tasks)
    wizard.server.form.username.setText("ken.yamamoto@ABC-Corp.co.jp")
    to_domains(wizard)
    assert wizard.internal_domains() == ["abc-corp.co.jp"]
    assert "ken.yamamoto@ABC-Corp.co.jp" in wizard.domains.note.text()
    wizard.domains.entry.setText("abc-group.jp、 @abc-corp.com")
    wizard.domains.add_button.click()
    assert wizard.internal_domains() == ["abc-corp.co.jp", "abc-group.jp", "abc-corp.com"]
    wizard.domains.list.item(1).setText("ABC-group.co.jp")  # the list is editable in place
    assert wizard.internal_domains() == ["abc-corp.co.jp", "abc-group.co.jp", "abc-corp.com"]
    wizard.next()
    assert wizard.currentId() == PAGE_CLIENT


def test_a_changed_address_changes_the_proposal_but_keeps_what_the_user_added(qtbot, tasks):
    wizard = smtp_wizard(qtbot, tasks)
    wizard.server.form.from_addresses.setText("ken@old-name.co.jp")
    to_domains(wizard)
    wizard.domains.entry.setText("group.example.jp")
    wizard.domains.add_button.click()
    wizard.back()
    wizard.back()
    wizard.server.form.from_addresses.setText("ken@new-name.co.jp")
    wizard.next()
    wizard.next()
    assert wizard.internal_domains() == ["group.example.jp", "new-name.co.jp"]


def test_free_mail_is_not_proposed_and_what_is_no_domain_is_refused(qtbot, tasks):
    wizard = smtp_wizard(qtbot, tasks, settings=Settings().with_changes(internal_domains=["abc-corp.co.jp"]))
    wizard.server.form.username.setText("ken.private@gmail.com")
    to_domains(wizard)
    assert wizard.internal_domains() == ["abc-corp.co.jp"]  # the setting's, and no gmail.com
    assert "gmail.com" in wizard.domains.note.text()
    wizard.domains.entry.setText("abc corp")
    wizard.next()
    assert wizard.currentId() == PAGE_DOMAINS
    assert "abc" in wizard.domains.error.text()
    wizard.domains.entry.setText("abc-corp.jp")
    wizard.next()  # Return in the field means Next: what is typed is taken
    assert wizard.currentId() == PAGE_CLIENT
    assert wizard.internal_domains() == ["abc-corp.co.jp", "abc-corp.jp"]


def test_domains_set_by_the_administrator_are_shown_read_only(qtbot, tasks):
    locked = Settings(admin_locked={"internal_domains": ["corp.example"]})
    wizard = smtp_wizard(qtbot, tasks, settings=locked)
    wizard.server.form.username.setText("ken@abc-corp.co.jp")
    to_domains(wizard)
    assert wizard.internal_domains() == ["corp.example"]
    assert not wizard.domains.list.isEnabled()
    assert not wizard.domains.entry.isEnabled()


def test_choosing_a_language_applies_at_once_and_is_handed_on(qtbot, tasks, translations):
    chosen: list[str] = []

    def choose(lang: str) -> None:
        chosen.append(lang)
        translations.switch(lang)

    wizard = smtp_wizard(qtbot, tasks, language="en", choose_language=choose)
    assert wizard.windowTitle() == "Set up Missend Guard"
    assert not wizard.upstream.language_note.isVisibleTo(wizard)
    wizard.upstream.graph.setChecked(True)
    wizard.upstream.language.setCurrentIndex(wizard.upstream.language.findData("ja"))
    assert chosen == ["ja"]
    assert wizard.language == "ja"
    assert wizard.windowTitle() == "Missend Guard のセットアップ"
    assert wizard.upstream.title() == "メールの送信方法"
    assert wizard.upstream.graph.isChecked()  # the choice made before survives the rebuild
    assert wizard.upstream.language.currentData() == "ja"
    assert "次に Missend Guard を起動したとき" in wizard.upstream.language_note.text()
    assert wizard.upstream.language_note.isVisibleTo(wizard)
    tabs = {wizard.client.clients.tabText(i): wizard.client.clients.widget(i).toPlainText()
            for i in range(wizard.client.clients.count())}
    assert list(tabs) == ["Outlook", "Thunderbird", "Apple Mail", "その他のソフト"]
    assert "mailnews.tcptimeout" in tabs["Thunderbird"]
    assert "設定エディター" in tabs["Thunderbird"]
    assert "サーバーのタイムアウト" in tabs["Outlook"]
    assert "socket_timeout = 300" in tabs["その他のソフト"]


def test_each_client_tab_says_how_to_let_the_program_wait(qtbot, tasks):
    wizard = smtp_wizard(qtbot, tasks)
    tabs = {wizard.client.clients.tabText(i): wizard.client.clients.widget(i).toPlainText()
            for i in range(wizard.client.clients.count())}
    assert "mailnews.tcptimeout" in tabs["Thunderbird"]
    assert "Server Timeouts" in tabs["Outlook"]
    assert "no timeout setting" in tabs["Apple Mail"]
    other = tabs["Other programs"]
    assert 'set smtp_url = "smtp://missend-guard@127.0.0.1:2525/"' in other
    assert "socket_timeout = 300" in other
    assert "timeout 300" in other
    assert "--timeout 300" in other
    assert "42 seconds" in other


def test_the_contacts_file_dialog_speaks_japanese_throughout(qtbot, tasks, translations):
    translations.switch("ja")
    wizard = smtp_wizard(qtbot, tasks, language="ja")
    wizard.contacts.button.click()
    [dialog] = wizard.contacts.findChildren(QFileDialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # the dialog Qt draws itself
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.windowTitle() == "連絡先の取り込み"
    assert dialog.labelText(QFileDialog.DialogLabel.LookIn) == "場所:"
    assert dialog.labelText(QFileDialog.DialogLabel.FileType) == "ファイルの種類:"
    assert dialog.labelText(QFileDialog.DialogLabel.Accept) == "取り込む"
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    english = [t for t in labels if t.isascii() and any(c.isalpha() for c in t)]
    assert english == [], labels
    dialog.reject()
    QCoreApplication.processEvents()


def test_outlook_is_offered_only_where_it_is_installed(qtbot, tasks):
    plain = smtp_wizard(qtbot, tasks)
    assert plain.client.outlook.isHidden()
    assert not plain.outlook_bridge()

    with_outlook = smtp_wizard(qtbot, tasks, outlook_installed=True)
    assert not with_outlook.client.outlook.isHidden()
    assert with_outlook.outlook_bridge()  # offered ticked: that is why the user has Outlook
    with_outlook.client.outlook.setChecked(False)
    assert not with_outlook.outlook_bridge()
