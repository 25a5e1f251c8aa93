"""The issue's check, in one process: a look-alike mail confirmed once and sent again is still flagged."""

from __future__ import annotations

import smtplib
from concurrent.futures import Future

import pytest

from missend_guard.core.gate import HeadlessReviewer
from missend_guard.core.ports.review import Decision, ReviewRequest, Verdict
from tests.helpers.mails import jis_mail
from tests.helpers.rig import AppRig

pytestmark = pytest.mark.slow

KNOWN = "hanako.sato@abc-trading.co.jp"
TYPO = "hanako.sato@abc-tradlng.co.jp"
TO_KNOWN = jis_mail(to=[("佐藤 花子", KNOWN)], message_id="<known@example.co.jp>")
TO_TYPO = jis_mail(to=[("佐藤 花子", TYPO)], message_id="<typo@example.co.jp>")


class ConfirmingUser:
    """Ticks through every warning and sends, like a user in a hurry; may say the address is right."""

    def __init__(self, *, vouch: bool = False) -> None:
        self.vouch = vouch
        self.requests: list[ReviewRequest] = []

    def review(self, request: ReviewRequest) -> Future[Decision]:
        self.requests.append(request)
        if self.vouch and request.trust is not None:
            request.trust.vouch(TYPO)  # *This address is correct* in the dialog
        future: Future[Decision] = Future()
        future.set_result(Decision(Verdict.SEND, "user"))
        return future


def _sent_and_learnt(app: AppRig, address: str, times: int) -> None:
    history = app.services.store.history
    assert app.wait_until(lambda: history.count(address) == times)
    # the context builder republishes after the delivery: the next mail is checked with it
    assert app.wait_until(lambda: address in app.services.context().history.addresses)


def test_a_lookalike_confirmed_once_is_still_flagged_when_sent_again(tmp_path, memory_keyring,
                                                                     smtp_sink):
    user = ConfirmingUser()
    with AppRig(tmp_path, user, upstream_port=smtp_sink.port) as app:
        app.submit(TO_KNOWN, [KNOWN])
        _sent_and_learnt(app, KNOWN, 1)
        app.submit(TO_TYPO, [TYPO])
        _sent_and_learnt(app, TYPO, 1)
        app.submit(TO_TYPO, [TYPO])
        _sent_and_learnt(app, TYPO, 2)
    first, second = ({f.code: f for f in r.report.findings} for r in user.requests[1:])
    assert "lookalike-domain" in first
    assert second["lookalike-domain"].params["sent_days"] == 1  # sent before, not yet trusted
    assert second["first-time-recipient"].params["sent_days"] == 1
    assert len(smtp_sink.handler.wait_for(3)) == 3  # every confirmed mail went out

    # A strict run on the same data dir still refuses it: sending once taught nothing.
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as strict, \
            pytest.raises(smtplib.SMTPDataError) as refused:
        strict.submit(TO_TYPO, [TYPO])
    assert b"lookalike-domain" in refused.value.smtp_error


def test_this_address_is_correct_trusts_it_from_the_next_mail_on(tmp_path, memory_keyring, smtp_sink):
    with AppRig(tmp_path, ConfirmingUser(), upstream_port=smtp_sink.port) as app:
        app.submit(TO_KNOWN, [KNOWN])
        _sent_and_learnt(app, KNOWN, 1)
    user = ConfirmingUser(vouch=True)
    with AppRig(tmp_path, user, upstream_port=smtp_sink.port) as app:
        app.submit(TO_TYPO, [TYPO])
        _sent_and_learnt(app, TYPO, 1)
        assert app.services.store.history.is_vouched(TYPO)
    assert "lookalike-domain" in user.requests[0].report.codes()
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as strict:
        strict.submit(TO_TYPO, [TYPO])  # nothing left at warning level: accepted
        assert len(smtp_sink.handler.wait_for(3)) == 3


def test_a_forget_from_another_process_reaches_the_running_app(tmp_path, memory_keyring, smtp_sink):
    from missend_guard.storage.history import SentHistory

    with AppRig(tmp_path, ConfirmingUser(), upstream_port=smtp_sink.port) as app:
        app.submit(TO_KNOWN, [KNOWN])
        _sent_and_learnt(app, KNOWN, 1)
        cli = SentHistory(app.paths)  # what `missend-guard history forget` opens while the app runs
        assert cli.forget(KNOWN) == ["abc-trading.co.jp", KNOWN]
        cli.close()
        assert app.wait_until(lambda: KNOWN not in app.services.context().history.addresses, timeout=15)
