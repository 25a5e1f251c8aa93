"""The Bcc conversion rewrites To/Cc only: the body and every other header stay byte-identical."""

from __future__ import annotations

import email
import email.policy

from missend_guard.core.message.bcc import (
    move_external_to_bcc,
    restore_hidden_recipients,
    without_bcc,
)
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


# --- a returned mail gets its hidden recipients back -------------------------------------------

ENVELOPE = (*(a for _, a in samples.TO + samples.CC), samples.BCC_ENVELOPE_ONLY)


def _bcc(raw: bytes) -> list[str]:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    return [a.addr_spec for a in parsed["Bcc"].addresses] if "Bcc" in parsed else []


def test_bcc_moved_mail_returned_reads_with_every_recipient():
    moved = move_external_to_bcc(samples.raw_mail(), lambda a: a.lower() in EXTERNAL)
    returned = restore_hidden_recipients(moved, ENVELOPE)
    assert sorted(_bcc(returned)) == sorted([*EXTERNAL, samples.BCC_ENVELOPE_ONLY])
    parsed = email.message_from_bytes(returned, policy=email.policy.default)
    assert parsed["Cc"].addresses[0].display_name == "中村 翔"  # ISO-2022-JP names kept
    assert _split(returned)[1] == _split(moved)[1]
    assert without_bcc(returned) == moved  # submitted again: the Bcc line leaves, nothing else


def test_nobody_hidden_keeps_the_bytes():
    raw = samples.raw_mail(with_attachments=False)
    visible = tuple(a for _, a in samples.TO + samples.CC)
    assert restore_hidden_recipients(raw, [a.upper() for a in visible]) == raw
    assert without_bcc(raw) == raw


def test_only_the_envelope_only_recipient_goes_to_bcc_after_to_and_cc():
    raw = samples.raw_mail(with_attachments=False)
    returned = restore_hidden_recipients(raw, ENVELOPE)
    assert _bcc(returned) == [samples.BCC_ENVELOPE_ONLY]
    names = [ln.split(b":")[0] for ln in _split(returned)[0].split(b"\r\n") if ln[:1] not in b" \t"]
    assert names.index(b"Bcc") == names.index(b"Cc") + 1


def test_raw_iso_2022_jp_names_are_read_as_names_not_comments():
    # s-nail writes ISO-2022-JP bytes unencoded; the "(" of ESC ( B must not swallow the address.
    name = "山田 太郎".encode("iso2022_jp")
    raw = (b"From: ken@example.co.jp\nTo: " + name + b" <taro@example.co.jp>, "
           + name + b" <jiro@out.example>\nSubject: x\n\nbody\n")
    returned = restore_hidden_recipients(raw, ["taro@example.co.jp", "jiro@out.example",
                                               "hidden@out.example", "HIDDEN@out.example"])
    assert returned == raw.replace(b"\nSubject", b"\nBcc: hidden@out.example\nSubject")


def test_raw_iso_2022_jp_names_survive_the_move_to_bcc():
    """s-nail writes JIS names raw in To:; the "(" of ESC ( B must not open a comment."""
    name = "佐藤 花子".encode("iso-2022-jp")
    colleague = "鈴木 一郎".encode("iso-2022-jp")
    raw = (b"From: ken@example.co.jp\r\nTo: " + name + b" <hanako@abc-trading.co.jp>, "
           + colleague + b" <ichiro@example.co.jp>\r\nSubject: test\r\n\r\nbody\r\n")
    moved = move_external_to_bcc(raw, lambda a: not a.endswith("@example.co.jp"))
    message = email.message_from_bytes(moved, policy=email.policy.default)
    [kept] = message["To"].addresses
    assert kept.addr_spec == "ichiro@example.co.jp"
    assert kept.display_name == "鈴木 一郎"
    assert b"hanako@abc-trading.co.jp" not in moved.split(b"\r\n\r\n")[0]
