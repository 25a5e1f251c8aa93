"""Learning that cannot launder: the gate and the rules over a real sent history (SQLite, temp dir)."""

from __future__ import annotations

import time
from concurrent.futures import Future

import pytest

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Finding, Report
from missend_guard.core.check.policy import Policy
from missend_guard.core.gate import Gate, is_quiet
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import parse_message
from missend_guard.core.ports.review import Decision, ReviewRequest, Verdict
from missend_guard.storage.history import SentHistory
from missend_guard.storage.paths import DataPaths
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.mails import jis_mail

DAY = 86_400.0
KNOWN = "hanako.sato@abc-trading.co.jp"
TYPO = "hanako.sato@abc-tradlng.co.jp"
TYPO_DOMAIN = "abc-tradlng.co.jp"
SENDER = "ken.yamamoto@example.co.jp"
POLICY = Policy(internal_domains=frozenset({"example.co.jp"}))
TYPO_MAIL = jis_mail(to=[("佐藤 花子", TYPO)])


class Clock:
    """A clock the test moves by hand; it starts at 09:00 local time (days are the user's days)."""

    def __init__(self) -> None:
        self.now = time.mktime((2026, 11, 20, 9, 0, 0, 0, 0, -1))

    def __call__(self) -> float:
        return self.now


class Confirming:
    """Sends whatever it is asked about (the user ticked through every warning); keeps the requests."""

    def __init__(self, *, vouch: bool = False, send: bool = True) -> None:
        self.vouch = vouch
        self.send = send
        self.requests: list[ReviewRequest] = []

    def review(self, request: ReviewRequest) -> Future[Decision]:
        self.requests.append(request)
        if self.vouch and request.trust is not None:  # *This address is correct* in the dialog
            request.trust.vouch(TYPO)
        future: Future[Decision] = Future()
        future.set_result(Decision(Verdict.SEND if self.send else Verdict.CANCEL, "user"))
        return future


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def history(tmp_path, clock) -> SentHistory:
    sent = SentHistory(DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "p.json"), clock=clock)
    sent.record([KNOWN], when=clock.now - 30 * DAY)  # the real partner, written to last month
    return sent


def _context(history: SentHistory, policy: Policy = POLICY) -> CheckContext:
    return CheckContext(policy=policy, history=history.snapshot())


def _send(history: SentHistory, reviewer: Confirming | None = None, policy: Policy = POLICY) -> Report:
    """The typo mail through the gate, confirmed, then delivered (recorded as the delivery worker does)."""
    reviewer = reviewer or Confirming()
    gate = Gate(lambda: _context(history, policy), reviewer, MemoryOutbox(), MemoryAudit(), trust=history)
    outcome = gate.process(TYPO_MAIL, Envelope(SENDER, (TYPO,)))
    if outcome.item is not None:
        history.record(outcome.item.rcpt_tos)
    return reviewer.requests[-1].report


def _check(history: SentHistory, policy: Policy = POLICY) -> dict[str, Finding]:
    """The next mail to the typo address: its findings by code."""
    context = _context(history, policy)
    return {f.code: f for f in _report(context).findings}


def _report(context: CheckContext) -> Report:
    from missend_guard.core.check.checker import check

    return check(parse_message(TYPO_MAIL, (TYPO,)), context)


def test_a_lookalike_confirmed_once_is_still_flagged_when_sent_again(history):
    first = {f.code: f for f in _send(history).findings}
    assert {"lookalike-domain", "lookalike-contact", "first-time-recipient"} <= first.keys()
    assert "sent_days" not in first["lookalike-domain"].params
    assert history.count(TYPO) == 1  # it did go out

    second = _check(history)
    assert second["lookalike-domain"].params["similar_to"] == "abc-trading.co.jp"
    assert second["lookalike-domain"].params["sent_days"] == 1  # sent before, not yet trusted
    assert second["lookalike-contact"].params["sent_days"] == 1
    assert second["first-time-recipient"].params["sent_days"] == 1
    context = _context(history)
    assert not context.is_known_address(TYPO)
    assert TYPO_DOMAIN not in context.known_domains
    message = parse_message(TYPO_MAIL, (TYPO,))
    assert not is_quiet(message, _report(context), context)


def test_a_cancelled_mail_leaves_nothing_to_learn(history):
    _send(history, Confirming(send=False))
    assert history.count(TYPO) == 0
    findings = _check(history)
    assert "sent_days" not in findings["lookalike-domain"].params  # never sent: simply unknown


def test_trusted_after_sends_on_three_different_days(history, clock):
    _send(history)
    clock.now += 3 * 3600
    _send(history)  # the same day again, that afternoon: still one day
    assert _check(history)["lookalike-domain"].params["sent_days"] == 1
    clock.now += DAY
    _send(history)
    assert _check(history)["lookalike-domain"].params["sent_days"] == 2
    clock.now += 3 * DAY
    _send(history)
    findings = _check(history)
    assert "lookalike-domain" not in findings
    assert "lookalike-contact" not in findings
    assert "first-time-recipient" not in findings
    assert _context(history).is_known_address(TYPO)


def test_the_number_of_days_is_policy(history, clock):
    _send(history)
    clock.now += DAY
    _send(history)
    assert "lookalike-domain" in _check(history)
    assert "lookalike-domain" not in _check(history, POLICY.updated(trust_after_days=2))


def test_vouching_trusts_at_once(history):
    _send(history)
    _send(history, Confirming(vouch=True))  # the second time the user says it is right
    findings = _check(history)
    assert "lookalike-domain" not in findings
    assert "first-time-recipient" not in findings
    assert history.is_vouched(TYPO)
    assert history.is_vouched(TYPO_DOMAIN)


def test_a_vouch_counts_even_when_that_mail_is_cancelled(history):
    _send(history, Confirming(vouch=True, send=False))
    findings = _check(history)
    assert "lookalike-domain" not in findings
    assert "first-time-recipient" not in findings


def test_forget_makes_it_first_time_again(history, clock):
    for _ in range(3):
        _send(history)
        clock.now += DAY
    assert "lookalike-domain" not in _check(history)  # trusted by now
    assert history.forget(TYPO) == [TYPO_DOMAIN, TYPO]  # its only address: the domain goes too
    findings = _check(history)
    assert "sent_days" not in findings["lookalike-domain"].params
    assert findings["first-time-recipient"].params == {"address": TYPO, "domain_known": False}
    assert history.count(TYPO) == 0
    assert _check(history).keys() == {f.code for f in _send(history).findings}  # as on day one


def test_forgetting_a_domain_forgets_its_addresses(history):
    history.record(["taro@abc-tradlng.co.jp", TYPO])
    assert history.forget("ABC-TRADLNG.CO.JP") == [TYPO_DOMAIN, TYPO, "taro@abc-tradlng.co.jp"]
    assert history.snapshot().domains == {"abc-trading.co.jp"}
    assert history.forget(TYPO_DOMAIN) == []
