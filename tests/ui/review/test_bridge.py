"""QtReviewer: worker threads ask, the GUI thread shows dialogs one at a time; cancel closes."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.ports.review import Verdict
from missend_guard.ui.review.bridge import QtReviewer
from tests.helpers import samples


@pytest.fixture
def reviewer(qtbot, tasks):
    notices: list[tuple[str, str]] = []
    rv = QtReviewer(tasks, lang="en", notify=lambda t, m: notices.append((t, m)))
    rv.notices = notices
    yield rv
    while rv.current_dialog is not None:
        rv.current_dialog.reject()


def _from_thread(reviewer, request):
    box = {}

    def run():
        box["future"] = reviewer.review(request)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return box["future"]


def test_slot_runs_on_gui_thread_when_called_from_a_worker(qtbot, reviewer):
    threads: list[QThread] = []
    reviewer.dialog_shown.connect(lambda d: threads.append(QThread.currentThread()))
    future = _from_thread(reviewer, samples.simple_request())
    qtbot.waitUntil(lambda: reviewer.current_dialog is not None)
    assert threads == [QApplication.instance().thread()]
    dialog = reviewer.current_dialog
    assert dialog.isVisible()
    for check in dialog.checkboxes:
        check.setChecked(True)
    dialog.send_button.click()
    assert future.result(timeout=5).verdict is Verdict.SEND
    assert future.result().decided_by == "user"


def test_cancelling_the_future_closes_the_dialog_with_a_notice(qtbot, reviewer):
    future = _from_thread(reviewer, samples.simple_request("見積もりの件"))
    qtbot.waitUntil(lambda: reviewer.current_dialog is not None)
    closed: list[int] = []
    reviewer.current_dialog.finished.connect(closed.append)
    threading.Thread(target=future.cancel).start()
    qtbot.waitUntil(lambda: reviewer.current_dialog is None)
    assert closed == [0]
    assert future.cancelled()
    assert "見積もりの件" in reviewer.notices[0][1]


def test_reviews_queue_one_after_another(qtbot, reviewer):
    futures = [_from_thread(reviewer, samples.simple_request(f"件名{i}")) for i in range(3)]
    qtbot.waitUntil(lambda: reviewer.waiting == 3)
    first = reviewer.current_dialog
    assert first.position_label.text() == "Mail 1 of 3"
    assert first.model.request.message.subject == "件名0"
    first.reject()
    assert futures[0].result(timeout=5).verdict is Verdict.CANCEL
    second = reviewer.current_dialog
    assert second is not first
    assert second.model.request.message.subject == "件名1"
    assert second.position_label.text() == "Mail 1 of 2"
    # A queued (not yet shown) review withdrawn by its client disappears without a dialog.
    futures[2].cancel()
    qtbot.waitUntil(lambda: reviewer.waiting == 1)
    second.reject()
    assert reviewer.current_dialog is None
    assert not futures[1].cancelled()


def test_paused_reviewer_passes_without_dialog(reviewer):
    reviewer.pause(None)
    future = reviewer.review(samples.simple_request())
    assert future.result(timeout=1).decided_by == "paused"
    assert reviewer.current_dialog is None
    reviewer.resume()
    assert not reviewer.paused


def test_companies_and_internal_domains_come_from_the_context_the_mail_was_checked_with(qtbot, reviewer):
    bank = Contact("田中 一郎", ("ichiro@xyz-bank.co.jp",), company="XYZ銀行")
    policy = Policy(internal_domains=frozenset({"example.co.jp"}))
    context = CheckContext(policy, contacts=ContactBook([bank]))
    _from_thread(reviewer, replace(samples.request(), context=context))
    qtbot.waitUntil(lambda: reviewer.current_dialog is not None)
    model = reviewer.current_dialog.model
    assert {g.domain: g.company for g in model.external_groups}["xyz-bank.co.jp"] == "XYZ銀行"
    auditor = next(r for r in (*model.internal, *(r for g in model.external_groups for r in g.rows))
                   if r.address == samples.BCC_ENVELOPE_ONLY)
    assert not auditor.external  # envelope-only Bcc: internal by the context's policy
