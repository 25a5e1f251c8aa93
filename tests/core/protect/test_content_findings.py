"""Encrypting a file keeps what the recipient will still find inside it: hidden sheets, tracked changes."""

from __future__ import annotations

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import MESSAGE, attachment_target
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.model import parse_message
from missend_guard.core.protect.content_findings import carry_content_findings
from missend_guard.core.protect.encrypt import Choice, protect_message
from tests.helpers import attachment_builders as build
from tests.helpers.protected_mail import PARTNER, protected_mail

PASSWORD = "Qz7pK3mW9xR2tV5c"
CTX = CheckContext(Policy(internal_domains=frozenset({"example.co.jp"})))
HIDDEN = build.xlsx((("見積", "visible"), ("原価", "hidden"), ("計算", "veryHidden")))


def _checked(raw: bytes):
    message = parse_message(raw, (PARTNER,))
    return message, check(message, CTX)


def _codes(report, target):
    return sorted(f.code for f in report.for_target(target))


def test_hidden_sheet_stays_on_the_zipped_workbook():
    raw = protected_mail(xlsx_data=HIDDEN)
    before_msg, before = _checked(raw)
    xlsx = next(i for i, a in before_msg.files if a.filename.endswith(".xlsx"))
    assert "hidden-sheet" in _codes(before, attachment_target(xlsx))
    protected = protect_message(raw, {xlsx: Choice.ENCRYPT_ZIP}, PASSWORD)
    after_msg, after = _checked(protected.raw)
    # The re-check alone cannot see inside the encrypted ZIP ...
    assert "hidden-sheet" not in _codes(after, attachment_target(xlsx))
    kept = carry_content_findings(before, after, after_msg, protected.actions)
    # ... but the recipient will: the warning stays on the ZIP's row, with the sheet names.
    assert after_msg.attachments[xlsx].filename.endswith(".zip")
    assert _codes(kept, attachment_target(xlsx)).count("hidden-sheet") == 1
    finding = next(f for f in kept.for_target(attachment_target(xlsx)) if f.code == "hidden-sheet")
    assert list(finding.params["sheets"]) == ["原価", "計算"]


def test_a_removed_file_before_it_moves_the_warning_with_the_workbook():
    raw = protected_mail(xlsx_data=HIDDEN)
    before_msg, before = _checked(raw)
    pdf = next(i for i, a in before_msg.files if a.filename.endswith(".pdf"))
    xlsx = next(i for i, a in before_msg.files if a.filename.endswith(".xlsx"))
    assert pdf < xlsx
    protected = protect_message(raw, {pdf: Choice.REMOVE, xlsx: Choice.ENCRYPT_ZIP}, PASSWORD)
    after_msg, after = _checked(protected.raw)
    kept = carry_content_findings(before, after, after_msg, protected.actions)
    assert len(after_msg.attachments) == 1
    assert _codes(kept, attachment_target(0)).count("hidden-sheet") == 1
    assert not kept.for_target(attachment_target(1))


def test_removed_or_unchanged_files_carry_nothing():
    raw = protected_mail(xlsx_data=HIDDEN)
    before_msg, before = _checked(raw)
    xlsx = next(i for i, a in before_msg.files if a.filename.endswith(".xlsx"))
    removed = protect_message(raw, {xlsx: Choice.REMOVE}, "")
    after_msg, after = _checked(removed.raw)
    assert carry_content_findings(before, after, after_msg, removed.actions) == after
    as_is = protect_message(raw, {xlsx: Choice.SEND_AS_IS}, "")
    after_msg, after = _checked(as_is.raw)
    kept = carry_content_findings(before, after, after_msg, as_is.actions)
    # Sent as is, the re-check sees the sheet itself: one warning, not two.
    assert _codes(kept, attachment_target(xlsx)).count("hidden-sheet") == 1


def test_a_file_that_cannot_be_placed_keeps_its_warning_on_the_mail():
    raw = protected_mail(xlsx_data=HIDDEN)
    before_msg, before = _checked(raw)
    xlsx = next(i for i, a in before_msg.files if a.filename.endswith(".xlsx"))
    protected = protect_message(raw, {xlsx: Choice.ENCRYPT_ZIP}, PASSWORD)
    after_msg, after = _checked(protect_message(raw, {xlsx: Choice.REMOVE}, "").raw)
    kept = carry_content_findings(before, after, after_msg, protected.actions)
    assert _codes(kept, MESSAGE).count("hidden-sheet") == 1
