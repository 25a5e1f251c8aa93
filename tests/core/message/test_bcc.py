"""The Bcc conversion rewrites To/Cc only: the body and every other header stay byte-identical."""

from __future__ import annotations

import email
import email.policy

from missend_guard.core.message.bcc import move_external_to_bcc
from missend_guard.core.message.model import parse_message
from tests.helpers import samples

EXTERNAL = {"hanako.sato@abc-tradlng.co.jp", "ichiro@xyz-bank.co.jp", "misaki@partner.example.com"}


def _split(raw: bytes) -> tuple[bytes, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head, body


def test_externals_leave_to_and_cc_body_unchanged():
    raw = samples.raw_mail()
    out = move_external_to_bcc(raw, lambda a: a.lower() in EXTERNAL)
    assert _split(out)[1] == _split(raw)[1]
    parsed = email.message_from_bytes(out, policy=email.policy.default)
    to = [a.addr_spec for a in parsed["To"].addresses]
    cc = [a.addr_spec for a in parsed["Cc"].addresses]
    assert to == []
    assert cc == ["sho.nakamura@example.co.jp"]
    assert parsed["Cc"].addresses[0].display_name == "中村 翔"
    assert "Bcc" not in parsed  # a Bcc header would show every external to every recipient
    # Other headers keep their exact bytes.
    for name in (b"From:", b"Subject:", b"Message-ID:", b"Content-Type:", b"MIME-Version:"):
        original = [ln for ln in _split(raw)[0].split(b"\r\n") if ln.startswith(name)]
        assert original
        assert all(ln in _split(out)[0].split(b"\r\n") for ln in original)


def test_reparsed_message_keeps_internal_recipients_and_attachments():
    raw = samples.raw_mail()
    out = move_external_to_bcc(raw, lambda a: a.lower() in EXTERNAL)
    msg = parse_message(out)
    assert [r.address for r in msg.recipients] == ["sho.nakamura@example.co.jp"]
    assert [a.filename for a in msg.attachments] == ["見積書_2024.xlsx", "order.pdf"]
    assert msg.problems == ()


def test_lf_only_message_and_folded_headers():
    raw = (
        b"From: a@example.co.jp\nTo: x@out.example,\n  y@example.co.jp\nCc: z@out.example\n"
        b"Subject: hi\n\nbody line\n"
    )
    out = move_external_to_bcc(raw, lambda a: a.endswith("@out.example"))
    assert out == b"From: a@example.co.jp\nTo: y@example.co.jp\nSubject: hi\n\nbody line\n"
